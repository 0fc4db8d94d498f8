"""Login protection shared by every page: the lockout answer of django-axes and the client
address it counts failures by; the login page, and the Russian reason a sign-in backend (a
directory's: registry.backends) leaves when it refuses someone."""

from __future__ import annotations

import ipaddress
import logging
import math
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from portal.views.scoped import UnscopedViewMixin

log = logging.getLogger(__name__)

# The key of every request whose address is unknown (gunicorn on a unix socket leaves
# REMOTE_ADDR empty): they are counted together, never not at all. "0.0.0.0" is no client's
# address and fits axes' GenericIPAddressField on every database.
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104  (a key, not an address anything listens on)


def minutes_text(minutes: int) -> str:
    """«через 1 минуту / 2 минуты / 5 минут»: the forms are in locale/ru (ngettext)."""
    return ngettext("%(count)s минуту", "%(count)s минут", minutes) % {"count": minutes}


def lockout_message(wait: timedelta | None = None) -> str:
    """The reason and the wait, in whole minutes rounded up (never "0 минут")."""
    if wait is None:
        wait = settings.AXES_COOLOFF_TIME
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return (
        "Слишком много неудачных попыток входа. "
        f"Повторите через {minutes_text(minutes)} или обратитесь к администратору."
    )


def _lock_ends(attempts, limit: int):
    """When a user name's or an address's lock lifts: attempts older than the cool-off stop
    counting, the oldest first; the lock holds while the newer ones still reach the limit."""
    total = 0
    for attempt_time, failures in sorted(attempts, reverse=True):
        total += failures
        if total >= limit:
            return attempt_time + settings.AXES_COOLOFF_TIME
    return None


def remaining_wait(username: str | None, ip_address: str | None) -> timedelta:
    """The time left until the user name and the address are both let in again, from the
    attempts that still count (the full cool-off if none is found)."""
    from axes.models import AccessAttempt

    cooloff = settings.AXES_COOLOFF_TIME
    now = timezone.now()
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - cooloff)
    ends = []
    for field, value in (("username", username), ("ip_address", ip_address)):
        if not value:
            continue
        rows = recent.filter(**{field: value}).values_list("attempt_time", "failures_since_start")
        end = _lock_ends(list(rows), settings.AXES_FAILURE_LIMIT)
        if end is not None:
            ends.append(end)
    if not ends:
        return cooloff
    return max(min(max(ends) - now, cooloff), timedelta(0))


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the reason and the time to wait, as 429 (not axes' own
    English page)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "lockout_message": lockout_message(remaining_wait(username, address)),
        "next": request.POST.get("next") or request.GET.get("next", ""),
        **directory_context(),
    }
    return render(request, "registration/login.html", context, status=429)


def normalized(address: str) -> str | None:
    """The key an address is counted by: IPv4 as it is; an IPv4-mapped IPv6 address as its
    IPv4; any other IPv6 as its /64 network (one client holds a whole /64, and would
    otherwise have 2**64 fresh addresses to try from). None if it is no address."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False).network_address)
    return str(ip)


def _connection_address(request) -> str:
    address = normalized(request.META.get("REMOTE_ADDR") or "")
    if address is None:
        log.warning(
            "Login protection: no client address in REMOTE_ADDR (%r); counted as %s",
            request.META.get("REMOTE_ADDR"),
            UNKNOWN_ADDRESS,
        )
        return UNKNOWN_ADDRESS
    return address


def client_ip(request) -> str:
    """The address failures are counted by: the connection's, or, behind
    settings.TRUSTED_PROXY_COUNT proxies of ours, the address the outermost one saw (the
    N-th from the right of X-Forwarded-For; whatever the client wrote further left is
    ignored). Normalized (see `normalized`); never empty: an unknown address is
    UNKNOWN_ADDRESS, so that its failures still lock."""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return _connection_address(request)
    chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [a for a in chain if a]
    if len(chain) < count:
        return _connection_address(request)
    address = normalized(chain[-count])
    if address is None:
        return _connection_address(request)
    return address


class SignInRefused(PermissionDenied):
    """A backend's refusal with its reason for the user. Django's authenticate() stops at a
    PermissionDenied and sends user_login_failed (so django-axes counts it); the reason
    travels on the request to the login page (`refusal_of`)."""

    def __init__(self, request, message: str):
        super().__init__(message)
        self.message = message
        if request is not None:
            request.sign_in_refusal = message


def refusal_of(request) -> str | None:
    return getattr(request, "sign_in_refusal", None)


class LoginForm(AuthenticationForm):
    """Django's form, saying a backend's own reason instead of "wrong password" when there
    is one (a directory account with no mapped group, a directory that does not answer)."""

    def get_invalid_login_error(self):
        reason = refusal_of(self.request)
        if reason:
            return ValidationError(reason, code="refused")
        return super().get_invalid_login_error()


class LoginView(UnscopedViewMixin, auth_views.LoginView):
    unscoped_because = "signing in: no rows before the user is known"
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **directory_context()}


def directory_context() -> dict:
    """What the login page offers besides the portal's password, if switched on (settings,
    "# Directory sign-in"): the OpenID Connect button, the note on directory passwords."""
    return {
        "oidc_button": settings.OIDC_BUTTON_TEXT if settings.OIDC_ENABLED else "",
        "ldap_enabled": settings.LDAP_ENABLED,
    }


def end_sessions(user_ids) -> int:
    """Signs these users out everywhere: each open session of theirs is deleted through its
    own store (a cached_db session lives in the cache too). Reads every unexpired session
    once: the session table has no user column."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session

    wanted = {str(pk) for pk in user_ids}
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) in wanted:
            store(session.session_key).delete()
            ended += 1
    return ended


class LogoutView(UnscopedViewMixin, auth_views.LogoutView):
    unscoped_because = "signing out: shows no rows"
