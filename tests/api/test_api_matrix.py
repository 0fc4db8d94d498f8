"""The pages' permission matrix run against the API: every endpoint as every role, with the
user's own authority's objects and another authority's (tests/test_url_matrix.py's Side),
through real tokens. Each request runs in a savepoint that is rolled back.

Outcomes: ok (2xx; for a list: the side's object is listed), absent (a list without it),
accepted (202: an official's write went into his proposal), refused (400/409), 401, 403,
404, 405, 429 — as the status says."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from portal.api.tokens import create_token
from roadmaps.choices import ItemStatus
from tests.test_url_matrix import ROLES, both, sides, user_of, who  # noqa: F401

pytestmark = pytest.mark.django_db

READ = who(("ok", "404"), ("ok", "404"), "ok", "ok", anonymous="401")
LISTED = who(("ok", "absent"), ("ok", "absent"), "ok", "ok", anonymous="401")
SIGNED_IN = {"anonymous": both("401"), **{r: both("ok") for r in ROLES[1:]}}
PUBLIC = {r: both("ok") for r in ROLES}


@dataclass
class Entry:
    kwargs: object = None  # Side -> URL kwargs
    expect: dict = field(default_factory=dict)
    method: str = "get"
    data: object = None  # (Side, role) -> JSON body
    listed: object = None  # Side -> the id a list must hold


def detail(attribute, expect=READ):
    return Entry(lambda s: {"pk": getattr(s, attribute).pk}, expect)


def listing(attribute, expect=LISTED):
    return Entry(expect=expect, listed=lambda s: getattr(s, attribute).pk)


def new_row(side, role):
    body = {
        "unit": side.unit.pk,
        "function_name": "Выдача справок",
        "regulating_act": "Закон № 1",
        "typical_process": side.process.typical_process_id,
        "responsible": "Петров П. П.",
        "status": side.process.status_id,
        "kind": side.process.kind_id,
    }
    return {**body, "authority": side.authority.pk} if role == "admin" else body


def changed_row(side, role):
    return {"version": side.process.version, "client": "Граждане и организации"}


ENTRIES = {
    "api:organization-list": [listing("authority")],
    "api:organization-detail": [detail("authority")],
    "api:catalogue-list": [Entry(expect=SIGNED_IN)],
    "api:catalogue-detail": [Entry(lambda s: {"code": s.authority.edition.code}, SIGNED_IN)],
    "api:process-list": [
        listing("process"),
        Entry(
            method="post",
            data=new_row,
            expect=who(("accepted", "refused"), ("ok", "refused"), "403", "ok", anonymous="401"),
        ),
    ],
    "api:process-detail": [
        detail("process"),
        Entry(
            lambda s: {"pk": s.process.pk},
            method="patch",
            data=changed_row,
            expect=who(("accepted", "404"), ("ok", "404"), "403", "ok", anonymous="401"),
        ),
    ],
    "api:process-history": [detail("process")],
    "api:version-list": [listing("version")],
    "api:version-detail": [detail("version")],
    "api:proposal-list": [listing("proposal")],
    "api:proposal-detail": [detail("proposal")],
    "api:campaign-list": [listing("campaign")],
    "api:campaign-detail": [detail("campaign")],
    "api:roadmap-list": [listing("roadmap")],
    "api:roadmap-detail": [detail("roadmap")],
    "api:measure-list": [listing("item")],
    "api:measure-detail": [detail("item")],
    "api:measure-status": [
        Entry(
            lambda s: {"pk": s.item.pk},
            method="post",
            data=lambda s, role: {"status": ItemStatus.IN_PROGRESS, "version": s.item.version},
            expect=who(("403", "404"), ("ok", "404"), "403", "ok", anonymous="401"),
        )
    ],
    "api:segment_profile-list": [listing("profile")],
    "api:segment_profile-detail": [detail("profile")],
    "api:touchpoint-list": [listing("touchpoint")],
    "api:touchpoint-detail": [detail("touchpoint")],
    "api:assessment-list": [listing("assessment")],
    "api:assessment-detail": [detail("assessment")],
    "api:survey-list": [listing("survey")],
    "api:survey-detail": [detail("survey")],
    "api:survey-results": [detail("survey")],
    # every signed-in user; the answers counted are his scope's (tests/api/test_surveys_api.py)
    "api:survey_group_results": [Entry(lambda s: {"pk": s.survey.group_id}, SIGNED_IN)],
    "api:open_datasets": [listing("authority", PUBLIC)],
    "api:open_registry": [Entry(lambda s: {"authority_pk": s.authority.pk}, PUBLIC)],
    "api:open_passport": [Entry(lambda s: {"authority_pk": s.authority.pk}, PUBLIC)],
    "api:schema": [Entry(expect=PUBLIC)],
    "api:docs": [Entry(expect=PUBLIC)],
}


def api_names():
    return {name for name in named_patterns_with_api() if name.startswith("api:")}


def named_patterns_with_api():
    from django.urls import URLResolver, get_resolver

    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "api":
            yield from (f"api:{p.name}" for p in pattern.url_patterns if p.name)


def test_every_api_url_has_an_entry():
    assert api_names() - set(ENTRIES) == set(), "endpoint без строки в матрице прав"
    assert set(ENTRIES) - api_names() == set()


def listed_ids(body) -> set[int]:
    rows = body["results"] if isinstance(body, dict) else body
    return {row.get("id", row.get("authority")) for row in rows}


def outcome(response, entry: Entry, side) -> str:
    status = response.status_code
    if status == 202:
        return "accepted"
    if status in (400, 409):
        return "refused"
    if 200 <= status < 300:
        if entry.listed is not None:
            return "ok" if entry.listed(side) in listed_ids(response.json()) else "absent"
        return "ok"
    return str(status)


@pytest.mark.parametrize("role", ROLES)
def test_api_permissions(world, sides, role):  # noqa: F811 (the fixture)
    user = user_of(world, role)
    client = APIClient()
    if user is not None:
        _, key = create_token(user, writable=True)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    mismatches = []
    for name, entries in sorted(ENTRIES.items()):
        for entry in entries:
            for side, expected in zip(sides, entry.expect[role], strict=True):
                url = reverse(name, kwargs=entry.kwargs(side) if entry.kwargs else None)
                savepoint = transaction.savepoint()
                try:
                    data = entry.data(side, role) if entry.data else None
                    call = getattr(client, entry.method)
                    response = call(url, data, format="json") if data else call(url)
                    got = outcome(response, entry, side)
                finally:
                    transaction.savepoint_rollback(savepoint)
                if got != expected:
                    where = "own" if side is sides[0] else "foreign"
                    detail = response.content[:300].decode(errors="replace")
                    mismatches.append(f"{name} {entry.method} {where}: {got} ≠ {expected} {detail}")
    assert not mismatches, "\n".join(mismatches)
