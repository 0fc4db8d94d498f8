"""A rate per token (per signed-in user for a session, per address for open data)."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle

from portal.models import APIToken


class PerTokenThrottle(SimpleRateThrottle):
    cache_format = "api-throttle:%(scope)s:%(ident)s"

    def __init__(self):
        pass  # the rate depends on the request: chosen in allow_request

    def allow_request(self, request, view):
        self.scope = "token" if request.user and request.user.is_authenticated else "anonymous"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        token = request.auth
        if isinstance(token, APIToken):
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
