"""The version for the visually impaired (in the spirit of ГОСТ Р 52872-2019): larger text,
high contrast, nothing said by colour alone. A cookie, set by a plain form, so that it works
without JavaScript and holds on every page, signed in or not."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from portal.views.scoped import UnscopedViewMixin

LOW_VISION_COOKIE = "low_vision"
LOW_VISION_DAYS = 365


def low_vision(request) -> dict:
    """Context processor: whether the page is drawn for the visually impaired."""
    return {"low_vision": request.COOKIES.get(LOW_VISION_COOKIE) == "1"}


class LowVisionView(UnscopedViewMixin, View):
    unscoped_because = "a display preference of anyone, signed in or not: no rows"

    def post(self, request):
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("public_index")  # never sent on to another site
        response = redirect(back)
        if request.POST.get("mode") == "on":
            response.set_cookie(
                LOW_VISION_COOKIE,
                "1",
                max_age=LOW_VISION_DAYS * 24 * 3600,
                samesite="Lax",
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
            )
        else:
            response.delete_cookie(LOW_VISION_COOKIE, samesite="Lax")
        return response
