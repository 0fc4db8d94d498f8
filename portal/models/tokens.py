"""API tokens: a user's key for scripts and regional systems (portal.api). Only a hash of the
key is kept; the key itself is shown once, when it is made. A token is never deleted: it is
revoked (or runs out) and stays as the record of who used the API."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.fields import user_field
from portal.scoping import ADMINISTRATOR, CHANGE, SELF_ONLY, VIEW, Reach, RestrictedQuerySet, Scope

# A user sees and revokes his own tokens; an administrator every token.
TOKEN_RULES = {**SELF_ONLY, ADMINISTRATOR: Reach.ALL}


def key_hash(key: str) -> str:
    """SHA-256 of the key: the key is 256 random bits (portal.api.tokens), so a fast hash is
    enough, and one indexed lookup finds its token."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class APIToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name="пользователь",
    )
    name = models.CharField("назначение", max_length=200, blank=True)
    # The key's first characters: shown in the lists so that a user recognizes his token.
    prefix = models.CharField("начало ключа", max_length=8)
    digest = models.CharField("хеш ключа", max_length=64, unique=True, editable=False)
    writable = models.BooleanField("чтение и запись", default=False)
    created_at = models.DateTimeField("создан", default=timezone.now)
    expires_at = models.DateTimeField("действует до")
    last_used_at = models.DateTimeField("последнее обращение", null=True, blank=True)
    revoked_at = models.DateTimeField("отозван", null=True, blank=True)
    revoked_by = user_field("отозвал")

    objects = RestrictedQuerySet.as_manager()
    scoping = Scope(author="user", rules={VIEW: TOKEN_RULES, CHANGE: TOKEN_RULES})

    class Meta:
        verbose_name = "ключ API"
        verbose_name_plural = "ключи API"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def access_label(self) -> str:
        return "чтение и запись" if self.writable else "только чтение"
