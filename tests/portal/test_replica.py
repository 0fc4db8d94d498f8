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
