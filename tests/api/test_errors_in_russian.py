"""What the API answers to malformed requests is Russian, as the pages' messages are: DRF's
own messages where Django's locale translates them, the portal's where DRF puts an English
detail of its parser or of Python in them."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from rest_framework.settings import api_settings

from tests.api.conftest import token_client

pytestmark = pytest.mark.django_db

# Latin words a Russian message may hold: the API's own names of fields and headers.
ALLOWED = {"json", "version", "token", "bearer", "authorization", "multipart", "form", "data"}


def english(detail: str) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z]{3,}", detail) if w.lower() not in ALLOWED}


@pytest.mark.parametrize(
    "body, content_type",
    [
        ("{bad", "application/json"),
        ('{"function_name": "x",}', "application/json"),
        ("[1, 2", "application/json"),
    ],
)
def test_a_body_that_does_not_parse(world, body, content_type):
    response = token_client(world.officer).generic(
        "POST", "/api/processes/", body, content_type=content_type
    )
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    assert re.search("[А-Яа-я]", detail) and not english(detail), detail
    assert "JSON parse error" not in detail


def test_too_many_requests_says_when_to_come_back(world, monkeypatch):
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "token", "1/hour")
    cache.clear()
    client = token_client(world.officer)
    client.get("/api/processes/")
    response = client.get("/api/processes/")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    detail = response.json()["detail"]
    assert re.search("[А-Яа-я]", detail) and not english(detail), detail
    assert "через 60 минут" in detail
