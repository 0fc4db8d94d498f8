"""Russian plural forms: the catalog in locale/ru is complete, its committed django.mo says
what django.po says (no machine needs msgfmt), every counted phrase in the code is in it,
and the counts read right with 1, 2, 5, 11, 21, 22, 25."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest
from django.template import Context, Template
from django.utils.translation import template as template_i18n

from portal.auth import minutes_text
from portal.models import Job
from portal.plurals import rows_text
from registry.jobs import published_message
from roadmaps.services.board import days_left_text, overdue_days_text
from roadmaps.services.reader import columns_text, more_lines_text

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
NUMBERS = (1, 2, 5, 11, 21, 22, 25)
CODE = ("portal", "registry", "roadmaps", "segmentation", "config")
NGETTEXT = {"ngettext", "ngettext_lazy", "npgettext", "npgettext_lazy"}


def test_every_plural_entry_has_the_three_russian_forms():
    po = polib.pofile(str(PO))
    assert "nplurals=3;" in po.metadata["Plural-Forms"]
    assert po.metadata["Language"] == "ru"
    incomplete = [
        e.msgid
        for e in po
        if e.msgid_plural and not all(e.msgstr_plural.get(i, "").strip() for i in range(3))
    ]
    assert not incomplete, f"впишите три формы в {PO.name}: {incomplete}"
    assert not [e.msgid for e in po if e.fuzzy or e.obsolete]


def catalog(entries) -> dict:
    return {
        (e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural))
        for e in entries
        if e.msgid and not e.obsolete
    }


def test_the_committed_mo_is_compiled_from_the_po():
    po, mo = polib.pofile(str(PO)), polib.mofile(str(MO))
    assert catalog(mo) == catalog(po), (
        "django.mo устарел: manage.py compilemessages -l ru и закоммитьте django.mo"
    )
    assert mo.metadata["Plural-Forms"] == po.metadata["Plural-Forms"]


def python_msgids(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            first = node.args[0] if node.args else None
            if name in NGETTEXT and isinstance(first, ast.Constant):
                found.add(first.value)
    return found


def template_msgids(path: Path) -> set[str]:
    code = template_i18n.templatize(path.read_text(encoding="utf-8"))
    return {m.group(1) for m in re.finditer(r"ngettext\(\s*u?'((?:[^'\\]|\\.)*)'", code)}


def test_every_counted_phrase_of_the_code_is_in_the_catalog():
    used = set()
    for package in CODE:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                used |= python_msgids(path)
    for path in (ROOT / "templates").rglob("*.html"):
        used |= {m.replace("\\'", "'") for m in template_msgids(path)}
    assert {"%(count)s строка", "в ближайший %(count)s день"} <= used  # the scan sees them
    known = {e.msgid for e in polib.pofile(str(PO)) if e.msgid_plural}
    assert used - known == set(), "manage.py makemessages -l ru, три формы, compilemessages"


@pytest.mark.parametrize(
    ("function", "expected"),
    [
        (
            rows_text,
            ["1 строка", "2 строки", "5 строк", "11 строк", "21 строка", "22 строки", "25 строк"],
        ),
        (
            minutes_text,
            ["1 минуту", "2 минуты", "5 минут", "11 минут", "21 минуту", "22 минуты", "25 минут"],
        ),
        (
            columns_text,
            [
                "1 столбец",
                "2 столбца",
                "5 столбцов",
                "11 столбцов",
                "21 столбец",
                "22 столбца",
                "25 столбцов",
            ],
        ),
        (
            more_lines_text,
            [
                "больше 1 строки",
                "больше 2 строк",
                "больше 5 строк",
                "больше 11 строк",
                "больше 21 строки",
                "больше 22 строк",
                "больше 25 строк",
            ],
        ),
        (
            overdue_days_text,
            [
                "на 1 день",
                "на 2 дня",
                "на 5 дней",
                "на 11 дней",
                "на 21 день",
                "на 22 дня",
                "на 25 дней",
            ],
        ),
        (
            days_left_text,
            [
                "остался 1 день",
                "осталось 2 дня",
                "осталось 5 дней",
                "осталось 11 дней",
                "остался 21 день",
                "осталось 22 дня",
                "осталось 25 дней",
            ],
        ),
    ],
)
def test_counted_phrases(function, expected):
    assert [function(n) for n in NUMBERS] == expected


def test_thousands_are_grouped_and_still_agree():
    assert rows_text(1001) == "1 001 строка"
    assert rows_text(50_000) == "50 000 строк"


@pytest.mark.django_db
def test_job_progress_agrees_with_the_total(world):
    texts = [Job(user=world.official, done=1, total=n).progress_text for n in NUMBERS]
    assert texts == [
        "1 из 1 строки",
        "1 из 2 строк",
        "1 из 5 строк",
        "1 из 11 строк",
        "1 из 21 строки",
        "1 из 22 строк",
        "1 из 25 строк",
    ]
    job = Job(user=world.official, done=3, total=21, counted="органа власти|органов власти")
    assert job.progress_text == "3 из 21 органа власти"
    assert Job(user=world.official, done=2, total=4, counted="нечто").progress_text == "2 из 4"


def test_the_published_version_counts_its_rows():
    class Version:
        number, row_count = 3, 22

    assert published_message(Version()).startswith("Опубликована версия 3 (22 строки).")


def test_a_template_counts_with_blocktranslate():
    template = Template(
        "{% load i18n %}{% blocktranslate count count=n %}в ближайший {{ count }} день"
        "{% plural %}в ближайшие {{ count }} дней{% endblocktranslate %}"
    )
    texts = [template.render(Context({"n": n})) for n in NUMBERS]
    assert texts == [
        "в ближайший 1 день",
        "в ближайшие 2 дня",
        "в ближайшие 5 дней",
        "в ближайшие 11 дней",
        "в ближайший 21 день",
        "в ближайшие 22 дня",
        "в ближайшие 25 дней",
    ]


def test_the_board_says_how_many_authorities_it_shows():
    """The verb does not agree with the total («Показан 20 из 21» was wrong): the board's own
    phrase, taken from its template, with the total grouped by thousands."""
    source = (ROOT / "templates" / "roadmaps" / "deadlines.html").read_text()
    phrase = re.search(
        r"{% blocktranslate count count=owners_total.*?{% endblocktranslate %}", source
    )
    template = Template("{% load i18n humanize %}" + phrase[0])
    texts = [
        template.render(Context({"owners_total": total, "progress": [None] * 20}))
        for total in (21, 22, 25, 101, 3572)
    ]
    assert texts == [
        "Первые 20 из 21 органа власти",
        "Первые 20 из 22 органов власти",
        "Первые 20 из 25 органов власти",
        "Первые 20 из 101 органа власти",
        "Первые 20 из 3\xa0572 органов власти",
    ]
