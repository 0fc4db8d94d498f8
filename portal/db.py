"""Reads from a PostgreSQL read replica, where a page can bear a replica's lag.

`DATABASE_REPLICA_URL` adds the alias "replica". Only code that asks for it reads there:
lists, exports and public pages wrap their work in `replica_reads()` (or use
`ReplicaReadMixin`); everything else, and every write, goes to the primary. A user who has
just written reads from the primary for `REPLICA_LAG_SECONDS`, so a list shown after a save
has the saved row even when the replica lags.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
WROTE_COOKIE = "portal_wrote"
_reading_replica: ContextVar[bool] = ContextVar("portal_reading_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reads_from_replica(model) -> bool:
    """The portal's own rows may lag; who is signed in may not: sessions, the user and the
    login records are always read from the primary (a session just made at login is not on
    the replica yet)."""
    meta = model._meta
    if meta.label == settings.AUTH_USER_MODEL:
        return False
    return meta.app_label in settings.REPLICA_READ_APPS


@contextmanager
def replica_reads():
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


class ReplicaRouter:
    """The primary for writes and migrations; the replica for reads inside replica_reads()."""

    def db_for_read(self, model, **hints):
        if _reading_replica.get() and replica_configured() and reads_from_replica(model):
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


def wrote_recently(request) -> bool:
    stamp = request.COOKIES.get(WROTE_COOKIE, "")
    try:
        return time.time() - float(stamp) < settings.REPLICA_LAG_SECONDS
    except ValueError:
        return False


class ReplicaReadMixin:
    """A view whose GET reads from the replica (unless the user has just written)."""

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or wrote_recently(request):
            return super().dispatch(request, *args, **kwargs)
        with replica_reads():
            response = super().dispatch(request, *args, **kwargs)
            # A template response renders later, outside this block: render it here.
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            return response


class WroteMiddleware:
    """Marks a browser that has just sent a write, so its next pages read the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS") and replica_configured():
            response.set_cookie(
                WROTE_COOKIE,
                f"{time.time():.0f}",
                max_age=settings.REPLICA_LAG_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
