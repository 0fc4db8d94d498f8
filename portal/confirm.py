"""Irreversible actions ask first. A Confirmation is what the server says will happen; the
page shows it as a Bootstrap modal (templates/portal/_confirm.html, opened by data-bs-*
attributes: no inline script) whose trigger is a link to the same text as a page
(templates/portal/confirm.html) when scripts do not run. With `refused` set there is
nothing to do: the button is disabled and says why, and the action's view refuses too."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.shortcuts import render


@dataclass
class Confirmation:
    key: str  # names the modal: "publish", "approve" ...
    button: str  # the trigger's label
    title: str  # the question
    text: str  # what will happen, counted
    action: str  # the URL the confirmed form posts to
    page: str  # the URL of the same question as a page (no script)
    confirm: str = ""  # the confirming button's label (the trigger's by default)
    fields: dict = field(default_factory=dict)  # hidden fields posted
    refused: str = ""  # why there is nothing to do
    style: str = "primary"  # Bootstrap's button colour
    size: str = ""  # "sm" for a small trigger
    comment: str = ""  # the label of a required remark posted as `comment_name`
    comment_name: str = "comment"
    # Instead of a comment: a form's fields, drawn by this template in the modal and the page
    # (the exclusion's grounds and explanation).
    fields_template: str = ""
    form: object = None
    cancel: str = ""  # where the page's «Отмена» goes

    def __post_init__(self):
        self.confirm = self.confirm or self.button


def confirmation_page(request, confirmation: Confirmation, status: int = 200):
    return render(request, "portal/confirm.html", {"confirm": confirmation}, status=status)
