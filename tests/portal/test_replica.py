"""portal.db: reads inside replica_reads() go to the replica alias, writes and migrations to
the primary, and a browser that has just written reads the primary for a while."""

from __future__ import annotations

import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.views import View

from portal import db
from registry.models import Process


@pytest.fixture
def replica(monkeypatch):
    monkeypatch.setattr(db, "replica_configured", lambda: True)


def test_reads_go_to_the_replica_only_inside_replica_reads(replica):
    router = db.ReplicaRouter()
    assert router.db_for_read(Process) is None
    with db.replica_reads():
        assert router.db_for_read(Process) == db.REPLICA
        assert router.db_for_write(Process) == "default"
    assert router.db_for_read(Process) is None


def test_who_is_signed_in_is_always_read_from_the_primary(replica):
    from django.contrib.sessions.models import Session

    from registry.models import User

    router = db.ReplicaRouter()
    with db.replica_reads():
        assert router.db_for_read(Session) is None
        assert router.db_for_read(User) is None
        assert router.db_for_read(Process) == db.REPLICA


def test_without_a_replica_everything_reads_the_primary():
    with db.replica_reads():
        assert db.ReplicaRouter().db_for_read(Process) is None


def test_nothing_is_migrated_on_the_replica():
    router = db.ReplicaRouter()
    assert router.allow_migrate("default", "registry") is True
    assert router.allow_migrate(db.REPLICA, "registry") is False


class Probe(db.ReplicaReadMixin, View):
    def get(self, request):
        return HttpResponse("replica" if db._reading_replica.get() else "primary")

    post = get


def test_a_get_reads_the_replica_unless_the_user_has_just_written(replica, settings):
    settings.REPLICA_LAG_SECONDS = 10
    factory = RequestFactory()
    assert Probe.as_view()(factory.get("/")).content == b"replica"
    assert Probe.as_view()(factory.post("/")).content == b"primary"
    fresh = factory.get("/")
    fresh.COOKIES[db.WROTE_COOKIE] = f"{time.time():.0f}"
    assert Probe.as_view()(fresh).content == b"primary"
    stale = factory.get("/")
    stale.COOKIES[db.WROTE_COOKIE] = f"{time.time() - 60:.0f}"
    assert Probe.as_view()(stale).content == b"replica"
    junk = factory.get("/")
    junk.COOKIES[db.WROTE_COOKIE] = "x"
    assert Probe.as_view()(junk).content == b"replica"


def test_a_write_marks_the_browser(replica, settings):
    settings.REPLICA_LAG_SECONDS = 10
    middleware = db.WroteMiddleware(lambda request: HttpResponse("ok"))
    factory = RequestFactory()
    assert db.WROTE_COOKIE not in middleware(factory.get("/")).cookies
    cookie = middleware(factory.post("/")).cookies[db.WROTE_COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"]


@pytest.mark.django_db(transaction=True)
def test_a_list_and_a_public_page_read_from_a_configured_replica(world):
    """A real second connection ("replica", here the same PostgreSQL database) in a separate
    process with DATABASE_REPLICA_URL set: the list's and the public page's queries go there,
    the session and a write go to the primary."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a replica is a PostgreSQL server")
    settings_dict = connection.settings_dict
    url = (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}@"
        f"{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"
    )
    script = """
import json, django
django.setup()
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from registry.models import User
client = Client()
client.force_login(User.objects.get(username="coordinator"))
counts = {}
for name, path in (("list", "/registry/processes/"), ("public", "/public/")):
    with CaptureQueriesContext(connections["replica"]) as replica, \\
            CaptureQueriesContext(connections["default"]) as primary:
        status = client.get(path).status_code
    counts[name] = [status, len(replica), len(primary)]
print(json.dumps(counts))
"""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DATABASE_REPLICA_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=root, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]
    counts = json.loads(out.stdout.strip().splitlines()[-1])
    status, replica, primary = counts["list"]
    assert status == 200 and replica > 3  # the rows, their count, the filter choices
    assert primary >= 1  # the session and the user are read from the primary
    status, replica, _ = counts["public"]
    assert status == 200 and replica >= 1
