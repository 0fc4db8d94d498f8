"""Login protection shared by every page: the lockout answer of django-axes and the client
address it counts failures by."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render


def minutes_text(minutes: int) -> str:
    if minutes % 10 == 1 and minutes % 100 != 11:
        word = "минуту"
    elif minutes % 10 in (2, 3, 4) and minutes % 100 not in (12, 13, 14):
        word = "минуты"
    else:
        word = "минут"
    return f"{minutes} {word}"


def lockout_message() -> str:
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return (
        "Слишком много неудачных попыток входа. "
        f"Повторите через {minutes_text(minutes)} или обратитесь к администратору."
    )


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the reason and the time to wait, as 429 (not axes' own
    English page)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "lockout_message": lockout_message(),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=429)


def client_ip(request) -> str | None:
    """The address failures are counted by: the connection's, or, behind
    settings.TRUSTED_PROXY_COUNT proxies of ours, the address the outermost one saw (the
    N-th from the right of X-Forwarded-For; whatever the client wrote further left is
    ignored)."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [a for a in chain if a]
    if len(chain) < count:
        return remote
    candidate = chain[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
