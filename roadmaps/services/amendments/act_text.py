"""An act's text read into word edits (seed 000, item 1(1)): «в строке 1.4 слова "…"
заменить словами "…"», «в строках 2.6, 2.7 слова "…" исключить», «в названии слова "…"
заменить словами "…"», «после таблицы дополнить сноской …: "…"» — what the officer then
checks and confirms (`words.plan_words`, `words.amend_words`)."""

from __future__ import annotations

import re

from roadmaps.services.amendments.words import FOOTNOTE, ROWS, TITLE, WordEdit, parse_numbers

# «в строке 1.4 слова "…" заменить словами "…"», «в строках 2.6, 2.7 слова "…" исключить»,
# «в названии слова "…" заменить словами "…"», «после таблицы дополнить сноской …: "…"»
_Q = r"[\"«“](?P<{}>.+?)[\"»”]"
_WORDS = re.compile(
    r"в\s+(?:строк[еах]+\s+(?P<rows>[\d.,\sи]+?)|(?P<title>названии))\s+слова\s+"
    + _Q.format("old")
    + r"\s+(?:заменить\s+словами\s+"
    + _Q.format("new")
    + r"|(?P<drop>исключить))",
    re.IGNORECASE,
)
_FOOTNOTE = re.compile(
    r"после\s+таблицы\s+дополнить\s+сноской[^:\"«]*:?\s*[\"«“](?P<new>.+?)[\"»”]\s*[;.]?\s*$",
    re.IGNORECASE | re.MULTILINE,
)


_APPENDIX = re.compile(r"в\s+приложении\s+№\s*(?P<number>\d+)", re.IGNORECASE)


def parse_act_text(text: str, appendix: str | None = None) -> list[WordEdit]:
    """The word edits an act's text words, in its order (what the officer then confirms).
    `appendix`: only those under «в приложении № N» ("" — those before any appendix, the
    plan's own table); None — all."""
    found = []
    for match in _WORDS.finditer(text):
        if match["title"]:
            edit = WordEdit(TITLE, old=match["old"], new=match["new"] or "")
        else:
            edit = WordEdit(ROWS, parse_numbers(match["rows"])[0], match["old"], match["new"] or "")
        found.append((match.start(), edit))
    for match in _FOOTNOTE.finditer(text):
        found.append((match.start(), WordEdit(FOOTNOTE, new=match["new"])))
    found.sort(key=lambda pair: pair[0])
    if appendix is None:
        return [edit for _, edit in found]
    headings = [(m.start(), m["number"]) for m in _APPENDIX.finditer(text)]

    def under(position: int) -> str:
        return next((n for start, n in reversed(headings) if start < position), "")

    return [edit for position, edit in found if under(position) == appendix]
