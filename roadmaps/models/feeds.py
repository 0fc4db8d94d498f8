"""The secret address of a user's calendar of deadlines."""

from __future__ import annotations

from django.conf import settings
from django.db import models


def _new_feed_token() -> str:
    import secrets

    return secrets.token_urlsafe(24)


class CalendarFeedToken(models.Model):
    """The secret part of a user's iCalendar feed address: calendar programs subscribe
    without a session, so the address itself is the credential. Created on demand."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="пользователь",
        on_delete=models.CASCADE,
        related_name="calendar_feed_token",
    )
    token = models.CharField("ключ", max_length=64, unique=True, default=_new_feed_token)
    created_at = models.DateTimeField("создан", auto_now_add=True)

    class Meta:
        verbose_name = "ключ календаря сроков"
        verbose_name_plural = "ключи календаря сроков"

    def __str__(self) -> str:
        return f"Календарь сроков: {self.user}"
