"""A reorganized body's plans pass to its successor from the day the successor takes over.

Seed 000 (order 329-рп) puts it as a footnote to each plan: «*С 5 июня 2024 года реализация
мероприятий осуществляется Министерством спорта Омской области.» The succession itself is data
on the organization (`registry.Organization.successor`, `successor_since`); this module is the
one writer that applies it: from that day the predecessor's plans are owned by the successor
(so the one scoping rule gives them to the successor's users and takes them from the
predecessor's) and the measures naming the predecessor name the successor. Both keep the
predecessor in their history. Before the day nothing moves; applying twice moves nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from registry.models import Organization
from roadmaps.models import ItemResponsible, Roadmap


@dataclass
class Transfer:
    """What one succession moved (or, in a dry run, would move)."""

    predecessor: Organization
    successor: Organization
    since: date
    roadmaps: list[Roadmap] = field(default_factory=list)
    responsibles: int = 0
    refused: list[str] = field(default_factory=list)  # plans left with the predecessor, why

    def text(self) -> str:
        return (
            f"{self.predecessor.full_name} → {self.successor.full_name} "
            f"(с {self.since:%d.%m.%Y}). Планов: {len(self.roadmaps)}, "
            f"ответственных в мероприятиях: {self.responsibles}."
        )


def heir(organization: Organization, day: date) -> Organization:
    """The body that carries on `organization`'s work on `day`: its successor, that one's
    successor and so on, each from its own date (a loop in the data stops where it closes)."""
    seen = {organization.pk}
    while (
        organization.successor_id
        and organization.successor_since <= day
        and organization.successor_id not in seen
    ):
        organization = organization.successor
        seen.add(organization.pk)
    return organization


def reason(predecessor: Organization, since: date, successor: Organization) -> str:
    return (
        f"Правопреемство: с {since:%d.%m.%Y} реализация мероприятий осуществляется "
        f"правопреемником «{successor.full_name}» (прежде — «{predecessor.full_name}»)"
    )


def share_plan_refusal(plan: Roadmap, successor: Organization) -> str:
    """Why the plan cannot pass to `successor` (Russian), "" when it can: an authority holds
    one share plan of a plan (services.collective), and the successor may hold his own."""
    if plan.collective_of_id is None:
        return ""
    held = Roadmap.objects.filter(owner=successor, collective_of_id=plan.collective_of_id)
    if not held.exclude(pk=plan.pk).exists():
        return ""
    return (
        f"План «{plan}» не передан правопреемнику «{successor.full_name}»: у него уже есть "
        f"план долей в мероприятиях плана «{plan.collective_of}», а такой план у органа власти "
        "один. Перенесите доли в план правопреемника (администратор) и запустите передачу снова."
    )


def _first_state(plan: Roadmap) -> None:
    """A plan saved without history (a bulk write) gets its present state recorded first, so
    that the owner before the succession stays in history."""
    if not plan.history.exists():
        Roadmap.history.bulk_history_create(
            [plan], default_change_reason="Состояние плана до правопреемства"
        )


@transaction.atomic
def apply_successions(day: date | None = None, *, dry_run: bool = False) -> list[Transfer]:
    """Moves every plan and measure responsibility of a body whose successor has taken over by
    `day` (today by default) to that successor; returns what moved, one Transfer per
    predecessor that still had something."""
    day = day or timezone.localdate()
    transfers = []
    predecessors = (
        Organization.objects.filter(successor__isnull=False, successor_since__lte=day)
        .select_related("successor")
        .order_by("successor_since", "full_name")
    )
    for predecessor in predecessors:
        successor = heir(predecessor, day)
        plans = list(Roadmap.objects.select_for_update().filter(owner=predecessor).order_by("pk"))
        named = list(
            ItemResponsible.objects.select_for_update()
            .filter(organization=predecessor)
            .order_by("pk")
        )
        if not plans and not named:
            continue
        refused = {plan.pk: share_plan_refusal(plan, successor) for plan in plans}
        plans = [plan for plan in plans if not refused[plan.pk]]
        transfers.append(
            Transfer(
                predecessor,
                successor,
                predecessor.successor_since,
                plans,
                len(named),
                [why for why in refused.values() if why],
            )
        )
        if dry_run:
            continue
        why = reason(predecessor, predecessor.successor_since, successor)
        for plan in plans:
            _first_state(plan)
            plan.owner = successor
            plan._change_reason = why
            plan.save(update_fields=["owner", "updated_at"])
        for responsible in named:
            # the item's own text keeps the document's wording; the link names who acts now
            responsible.organization = successor
            responsible._change_reason = "Правопреемство"
            responsible.save(update_fields=["organization"])
    return transfers


def owners_before(plan: Roadmap) -> list[Organization]:
    """The plan's earlier owners, the latest first (from its history)."""
    ids = []
    for owner_id in plan.history.order_by("-history_date", "-history_id").values_list(
        "owner_id", flat=True
    ):
        if owner_id != plan.owner_id and owner_id not in ids:
            ids.append(owner_id)
    found = Organization.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
