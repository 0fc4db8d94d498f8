"""The deadlines of the measures a user may see as calendar events (services.ical)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from portal.scoping import restrict
from roadmaps.models import CalendarFeedToken, ItemStatus, RoadmapItem, _new_feed_token
from roadmaps.services import board, deadlines, ical


def token_for(user) -> CalendarFeedToken:
    token, _ = CalendarFeedToken.objects.get_or_create(user=user)
    return token


def existing_token(user) -> CalendarFeedToken | None:
    """The user's address if he has asked for one: a page (a GET) never creates it."""
    return CalendarFeedToken.objects.filter(user=user).first()


def reissue(user) -> CalendarFeedToken:
    """A new secret address for the user: the old one answers 404 from now on (a leaked
    address is closed without closing the account)."""
    token, _ = CalendarFeedToken.objects.update_or_create(
        user=user, defaults={"token": _new_feed_token(), "created_at": timezone.now()}
    )
    return token


def revoke(tokens) -> int:
    """The administrator's revocation: the addresses stop working at once; the user may ask
    for a new one on the deadlines page."""
    count, _ = tokens.delete()
    return count


def events(user, authority_id: int | None = None) -> list[ical.Event]:
    """One all-day event per dated measure (cancelled ones left out) on its last day on time:
    "до 01.09.2023" is an event on 31 August (services.deadlines.last_day)."""
    items = restrict(RoadmapItem, user).filter(deadline_date__isnull=False)
    items = items.exclude(status=ItemStatus.CANCELLED)
    if authority_id is not None:
        items = items.filter(roadmap__owner_id=authority_id)
    result = []
    host = settings.PORTAL_URL.split("://", 1)[-1].split("/", 1)[0] or "portal"
    for item in board.with_related(items).order_by("deadline_date", "roadmap_id", "sort_key"):
        roadmap = item.roadmap
        done = item.status == ItemStatus.DONE
        summary = f"{'[исполнено] ' if done else ''}{item.number} {item.text}"
        if len(summary) > 200:
            summary = summary[:199] + "…"
        description = "\n".join(
            line
            for line in (
                f"Дорожная карта: {roadmap}",
                f"Чей план: {roadmap.owner_display}",
                f"Мероприятие: {item.number} {item.text}",
                f"Срок реализации: {item.deadline_text}",
                "Ответственный: " + "; ".join(item.responsible_display()),
                f"Вид документа: {item.document_type}" if item.document_type else "",
                f"Статус: {item.get_status_display()}",
            )
            if line
        )
        result.append(
            ical.Event(
                uid=f"roadmap-item-{item.pk}@{host}",
                day=deadlines.last_day(item),
                summary=summary,
                description=description,
                url=settings.PORTAL_URL + reverse("roadmaps:item_detail", args=[item.pk]),
                categories=roadmap.owner.display_name,
            )
        )
    return result
