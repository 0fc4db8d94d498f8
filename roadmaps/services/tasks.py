""" "My tasks" and reminder e-mails for roadmap measures: a source of portal.tasks
(registered in RoadmapsConfig.ready()).

A user gets the open measures he answers for (services.access.my_items, the same measures as
the page "Мои мероприятия": an authorized officer those of his authority's roadmaps and those
naming his authority or its units, an official those naming his unit or a unit under it),
those overdue or due within services.deadlines.DUE_SOON_DAYS. The reminders then send what is
overdue or due within the registry's few working days, as for every other task."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from portal.tasks import Task
from roadmaps.choices import DeadlineState
from roadmaps.models import DATED_KINDS, ItemStatus
from roadmaps.services import access, deadlines

KIND = "roadmap"  # the group of "Мои задачи" (portal.tasks.KINDS)


def roadmap_tasks(user, today=None) -> Iterable[Task]:
    measures = access.my_items(user)
    if measures is None:
        return
    today = today or timezone.localdate()
    horizon = today + timedelta(days=deadlines.DUE_SOON_DAYS + 1)  # "до" dates end a day earlier
    measures = (
        measures.filter(deadline_kind__in=DATED_KINDS, deadline_date__lte=horizon)
        .exclude(status__in=(ItemStatus.DONE, ItemStatus.CANCELLED))
        .select_related("roadmap__owner")
    )
    for item in measures.order_by("deadline_date", "roadmap_id", "sort_key"):
        state = deadlines.classify(item, today)
        if state not in (DeadlineState.OVERDUE, DeadlineState.DUE_SOON):
            continue
        text = item.text if len(item.text) <= 120 else item.text[:119] + "…"
        yield Task(
            f"Исполнить мероприятие {item.number} дорожной карты: {text}",
            reverse("roadmaps:item_detail", args=[item.pk]),
            deadlines.last_day(item),
            f"{item.roadmap} ({item.roadmap.owner.display_name}); срок реализации — "
            f"{item.deadline_text}"
            + (f"; вид документа — {item.document_type}" if item.document_type else ""),
            kind=KIND,
        )
