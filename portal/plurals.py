"""Counted phrases that several apps show («22 строки»). Every count goes through Django's
ngettext: msgid is the form for 1, msgid_plural the form for 5, and the three Russian forms
are in locale/ru/LC_MESSAGES/django.po (docs/architecture.md, "Counted phrases")."""

from __future__ import annotations

from django.utils.translation import ngettext

from portal.cells import number


def rows_text(count: int) -> str:
    """«1 строка», «22 строки», «25 строк» (the number grouped as documents write it)."""
    return ngettext("%(count)s строка", "%(count)s строк", count) % {"count": number(count)}
