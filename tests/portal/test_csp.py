"""Content-Security-Policy (django-csp) on every page, and templates that need no
'unsafe-inline' (issue 11, item 5)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]


def policy(response) -> list[str]:
    header = response.headers.get("Content-Security-Policy", "")
    return [part.strip() for part in header.split(";")]


@pytest.mark.parametrize(
    ("who", "url"),
    [
        (None, "/"),
        (None, "/accounts/login/"),
        (None, "/public/"),
        (None, "/no-such-page/"),
        ("official", "/registry/processes/"),
        ("official", "/registry/processes/add/"),
        ("officer", "/registry/proposals/"),
        ("coordinator", "/registry/campaigns/"),
        ("officer", "/registry/versions/"),
        ("officer", "/roadmaps/deadlines/"),
        ("officer", "/roadmaps/mine/"),
        ("officer", "/segmentation/"),
        ("officer", "/segmentation/profiles/add/"),
        ("coordinator", "/segmentation/coverage/"),
        ("officer", "/roadmaps/?page=abc"),
        ("officer", "/registry/versions/compare/?a=abc"),  # the 400 page
        ("admin", "/admin/"),
        ("admin", "/admin/registry/user/"),
        ("admin", "/admin/axes/accessattempt/"),
    ],
)
def test_every_page_has_the_policy(client, world, who, url):
    if who:
        client.force_login(getattr(world, who))
    response = client.get(url)
    assert response.status_code in (200, 400, 404)
    parts = policy(response)
    for directive in DIRECTIVES:
        assert directive in parts, (directive, parts)
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_lockout_page_has_the_policy(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 1
    response = client.post("/accounts/login/", {"username": "officer", "password": "x"})
    assert response.status_code == 429
    assert "script-src 'self'" in policy(response)


def template_files():
    dirs = [
        ROOT / "templates",
        *(ROOT / app / "templates" for app in ("portal", "registry", "roadmaps", "segmentation")),
    ]
    return sorted(p for d in dirs if d.is_dir() for p in d.rglob("*.html"))


FORBIDDEN = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "style block": re.compile(r"<style", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
}


def test_templates_need_no_unsafe_inline():
    files = template_files()
    assert len(files) > 40
    found = [
        f"{path.relative_to(ROOT)}:{text[: m.start()].count(chr(10)) + 1}: {what}"
        for path in files
        for text in [path.read_text(encoding="utf-8")]
        for what, pattern in FORBIDDEN.items()
        for m in pattern.finditer(text)
    ]
    assert not found, "\n".join(found)


def test_the_grep_finds_what_it_should():
    samples = [
        "<script>alert(1)</script>",
        '<button onclick="x()">',
        "<style>p{}</style>",
        '<div style="width: 5%">',
    ]
    for sample in samples:
        assert any(p.search(sample) for p in FORBIDDEN.values()), sample
    assert not any(p.search('<script src="/static/a.js"></script>') for p in FORBIDDEN.values())
    assert not any(p.search('<td data-bar-width="5" class="x">') for p in FORBIDDEN.values())


def test_policy_setting_is_the_documented_one():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
