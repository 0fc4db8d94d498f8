"""Open data without a token (the list of data sets, each registry and its passport, the same
payloads as the public files) and the schema: generated without a warning, JSON on
?format=json, Swagger UI from the portal's own static files."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from registry.services import publication

pytestmark = pytest.mark.django_db


def test_schema_has_no_warnings():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out, stderr=StringIO())
    assert "/api/processes/" in out.getvalue()


def test_schema_json_and_docs_without_cdn(client):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert {"/api/open-data/", "/api/open-data/{authority_pk}/passport/"} <= set(paths)
    assert "tokenAuth" in json.loads(schema.content)["components"]["securitySchemes"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources  # no CDN
    assert any("swagger-ui-dist" in s for s in sources)
    assert "<script>" not in html  # the page's own script is a file: the CSP holds
    script = client.get("/api/docs/?script")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


def test_open_data_needs_no_token(world):
    version = publication.publish(world.authority, world.officer)
    anonymous = APIClient()
    anonymous.credentials(HTTP_AUTHORIZATION="Token wrong")  # ignored, not refused
    [dataset] = anonymous.get("/api/open-data/").json()
    assert dataset["authority"] == world.authority.pk and dataset["version"] == 1
    registry = anonymous.get(dataset["registry"])
    assert registry.status_code == 200
    assert registry.json() == json.loads(json.dumps(publication.json_payload(version)))
    passport = anonymous.get(dataset["passport"]).json()
    assert passport["version"] == 1 and len(passport["fields"]) == 14
    assert passport["files"]["json"] == dataset["files"]["json"]
    assert anonymous.get(dataset["files"]["csv"]).status_code == 200


def test_open_data_of_a_version_and_unknown_ones(world):
    publication.publish(world.authority, world.officer)
    anonymous = APIClient()
    url = reverse("api:open_registry", args=[world.authority.pk])
    assert anonymous.get(url, {"version": 1}).json()["version"] == 1
    assert anonymous.get(url, {"version": 2}).status_code == 404
    unpublished = reverse("api:open_registry", args=[world.city_authority.pk])
    assert anonymous.get(unpublished).status_code == 404
    bad = anonymous.get(url, {"version": "x"})
    assert bad.status_code == 400 and not bad.json()["detail"].isascii()
    assert anonymous.post("/api/open-data/").status_code in (401, 403, 405)
