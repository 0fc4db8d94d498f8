"""Query parameters taken apart in one place: bounded numbers, dates, search strings.

A value a form cannot show as a field error raises BadParameter, which the portal's
middleware answers with 400 and a Russian message (never a 500 from the database)."""

from __future__ import annotations

import re
from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError

# The largest key both databases store (SQLite's and PostgreSQL's bigint).
MAX_ID = 2**63 - 1
# A search string builds one LIKE per word: bounded so that no database refuses the query
# (SQLite's expression depth) and no request costs more than a typed phrase would.
SEARCH_MAX_CHARS = 200
SEARCH_MAX_WORDS = 20
INTEGER = re.compile(r"-?[0-9]{1,19}")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # what fromisoformat takes and more


class BadParameter(Exception):
    """A query parameter that no page can be built for; the message is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def search_words(text: str | None) -> list[str]:
    """The words a search string looks for, at most SEARCH_MAX_WORDS of the first
    SEARCH_MAX_CHARS characters (a longer string is cut, not refused: forms refuse it).
    NUL characters are dropped: PostgreSQL refuses them in any text parameter."""
    text = (text or "").replace("\x00", "")
    return text[:SEARCH_MAX_CHARS].split()[:SEARCH_MAX_WORDS]


def validate_search(value: str) -> None:
    if len(value.split()) > SEARCH_MAX_WORDS:
        raise ValidationError(
            f"В строке поиска не больше {SEARCH_MAX_WORDS} слов.", code="too_many_words"
        )


class SearchField(forms.CharField):
    """The search box of a filter form: over-long or many-word strings are a field error."""

    default_error_messages = {
        "max_length": f"Строка поиска — не длиннее {SEARCH_MAX_CHARS} символов.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", SEARCH_MAX_CHARS)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.validators.append(validate_search)


def int_param(
    request,
    name: str,
    *,
    default: int | None = None,
    min_value: int = 1,
    max_value: int = MAX_ID,
    data=None,
) -> int | None:
    """An integer parameter (an id by default) of the query string, or of `data` (a POST);
    absent or empty gives `default`."""
    raw = (request.GET if data is None else data).get(name, "").strip()
    if not raw:
        return default
    if not INTEGER.fullmatch(raw):
        raise BadParameter(f"Параметр «{name}» должен быть целым числом.")
    value = int(raw)
    if not min_value <= value <= max_value:
        if max_value == MAX_ID:  # no bound a user would type: only the lower one is said
            raise BadParameter(f"Параметр «{name}» должен быть числом не меньше {min_value}.")
        raise BadParameter(f"Параметр «{name}» должен быть числом от {min_value} до {max_value}.")
    return value


def date_param(request, name: str) -> date | None:
    """A date parameter as ГГГГ-ММ-ДД (what <input type=date> sends); absent gives None.
    Only that form: fromisoformat alone also takes "2024-W01-1" or "20240101"."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        if not ISO_DATE.fullmatch(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(f"Параметр «{name}» должен быть датой в виде ГГГГ-ММ-ДД.") from None


class SearchFilter(django_filters.CharFilter):
    """A filterset's search box (SearchField's limits)."""

    field_class = SearchField
