"""Making and revoking API tokens: the only place that writes them."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.models import APIToken
from portal.models.tokens import key_hash
from portal.scoping import CHANGE, can


def too_long() -> str:
    return f"Ключ выдается не более чем на {settings.API_TOKEN_MAX_DAYS} дн."


def create_token(user, *, name: str = "", writable: bool = False, expires_at=None):
    """A new token of the user; returns (token, key). The key is shown once and not kept."""
    now = timezone.now()
    if expires_at is None:
        expires_at = now + timedelta(days=settings.API_TOKEN_DAYS)
    if expires_at <= now:
        raise ValidationError({"expires_at": "Срок действия ключа должен быть в будущем."})
    if expires_at > now + timedelta(days=settings.API_TOKEN_MAX_DAYS):
        raise ValidationError({"expires_at": too_long()})
    key = secrets.token_urlsafe(32)  # 256 random bits
    token = APIToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=key[:8],
        digest=key_hash(key),
        writable=writable,
        expires_at=expires_at,
    )
    return token, key


def revoke_token(token: APIToken, user) -> APIToken:
    """The token stops working at once; the record stays."""
    if not can(user, CHANGE, token):
        raise ValidationError("Отозвать этот ключ может его владелец или администратор.")
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = timezone.now(), user
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def token_for_key(key: str) -> APIToken | None:
    return (
        APIToken.objects.select_related("user__organization").filter(digest=key_hash(key)).first()
    )


USE_RECORDED_EVERY = timedelta(minutes=1)


def note_use(token: APIToken) -> None:
    """When the token was last used, written at most once a minute (not a write per call)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > USE_RECORDED_EVERY:
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def revoke_all(user, by=None) -> int:
    """Every token of the user still working stops at once (his account is switched off);
    `by` None is the portal itself (registry's directory sync). How many were revoked."""
    return APIToken.objects.filter(user=user, revoked_at=None).update(
        revoked_at=timezone.now(), revoked_by=by
    )
