"""The forms and messages of a portal page, read as a browser reads them: what
bench/locustfile.py posts (no Locust here, so tests read pages with it too)."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser


class Forms(HTMLParser):
    """Every form of a page with what a browser would post: checked boxes, selected options
    (a single select's first one if none is), text areas; not what sits in a <template>."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = self._select = self._textarea = None
        self._in_template = 0
        self.feed(text)

    def _add(self, name, value):
        if self._form is not None and name and not self._in_template:
            self._form["fields"].append((name, value))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "template":
            self._in_template += 1
        elif tag == "form":
            self._form = {"action": a.get("action") or "", "id": a.get("id"), "fields": []}
            self.forms.append(self._form)
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(a.get("name"), a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select = {"name": a.get("name"), "many": "multiple" in a, "chosen": []}
            self._select["first"] = None
        elif tag == "option" and self._select is not None:
            value = a.get("value") or ""
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"].append(value)
        elif tag == "textarea":
            self._textarea = {"name": a.get("name"), "text": ""}

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "template":
            self._in_template -= 1
        elif tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            s, self._select = self._select, None
            chosen = s["chosen"] or ([] if s["many"] or s["first"] is None else [s["first"]])
            for value in chosen:
                self._add(s["name"], value)
        elif tag == "textarea" and self._textarea is not None:
            t, self._textarea = self._textarea, None
            self._add(t["name"], t["text"].removeprefix("\n"))


def find_form(text: str, form_id=None, action_end=None, field=None):
    for form in Forms(text).forms:
        if form_id and form["id"] == form_id:
            return form
        if action_end and form["action"].endswith(action_end):
            return form
        if field and any(name == field for name, _ in form["fields"]):
            return form
    return None


def replaced(fields, name, value):
    return [(k, value if k == name else v) for k, v in fields]


def messages(text: str) -> str:
    """The texts of the page's alerts (django.contrib.messages and form errors)."""
    found = re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', text, re.S)
    return " | ".join(" ".join(unescape(re.sub(r"<[^>]+>", " ", m)).split()) for m in found)
