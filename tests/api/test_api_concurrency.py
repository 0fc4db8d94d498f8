"""A page save and an API write of the same row at once, on PostgreSQL through the live
server (tests/test_concurrency.py's way): exactly one is accepted, the other is refused with
409, the row holds the accepted change and its history one new state."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from django.db import connection
from django.urls import reverse

from portal.api.tokens import create_token
from registry.models import Process
from tests.registry.test_process_editing import form_data
from tests.test_concurrency import Browser, at_once, opened_version

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def api_patch(base: str, key: str, path: str, body: dict) -> tuple[int, str]:
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="PATCH")
    request.add_header("Authorization", f"Token {key}")
    request.add_header("Content-Type", "application/json")
    try:
        response = urllib.request.urlopen(request, timeout=60)
    except urllib.error.HTTPError as answer:
        response = answer
    return response.status, response.read().decode("utf-8")


def test_page_and_api_write_at_once(live_server, world):
    url = reverse("registry:process_edit", args=[world.own_row.pk])
    page = Browser(live_server, world.admin)
    version = opened_version(page.get(url)[1])
    _, key = create_token(world.officer, writable=True)
    states = world.own_row.history.count()
    answers = at_once(
        lambda: page.post(
            url, form_data(world, identifier="1", version=version, responsible="Со страницы")
        ),
        lambda: api_patch(
            live_server.url,
            key,
            f"/api/processes/{world.own_row.pk}/",
            {"version": version, "responsible": "Из API"},
        ),
    )
    statuses = [status for status, _ in answers]
    assert sorted(statuses) in ([200, 409], [302, 409]), statuses
    winner = "Со страницы" if statuses[0] == 302 else "Из API"
    row = Process.objects.get(pk=world.own_row.pk)
    assert row.responsible == winner and row.version == version + 1
    assert world.own_row.history.count() == states + 1
