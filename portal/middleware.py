"""Middleware every page shares."""

import time

from django.conf import settings
from django.shortcuts import render

from portal.params import BadParameter


class BadParameterMiddleware:
    """A query parameter no page can be built for is the client's error: 400 with the
    reason in Russian, instead of a 500 further down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadParameter):
            return render(request, "400.html", {"message": exception.message}, status=400)
        return None


class SessionIdleMiddleware:
    """Moves a signed-in session's end forward by the idle time (SESSION_COOKIE_AGE), but
    writes the session at most once per SESSION_REFRESH_SECONDS: saving it on every request
    was an UPDATE per page for nothing. The idle time is thus kept to within that margin.
    Placed after SessionMiddleware, which saves a session marked modified."""

    KEY = "_refreshed_at"

    @classmethod
    def logged_in(cls, sender, request, user, **kwargs):
        session = getattr(request, "session", None)
        if session is not None:
            session[cls.KEY] = int(time.time())

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[self.KEY] = now  # modified: SessionMiddleware saves it, a new end
        return response
