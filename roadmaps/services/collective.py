"""Collective measures: a measure of a region's (or municipality's) plan addressed to several
authorities («Во всех ОИВ СО утверждены реестры процессов», seed 002) split into one task per
authority, each with its own status, evidence and deadline state, and rolled up on the measure
for the coordinator (how many have done it, who is late, their evidence).

An authority's shares are the items of its share plan (`Roadmap.collective_of` = the region's
plan), each naming the measure it is a share of (`RoadmapItem.share_of`). The plan belongs to
the authority, so the one scoping rule gives a share to its own authority only (its officer
changes it; another authority's share and evidence are a 404) and «Мои мероприятия», the
deadlines board, the tasks and the calendar count it as any measure of the authority's plans.
A typical plan's item (seed 003) rolls up the same way over its copies in the authorities'
plans (`template_item`): copying the typical plan is its split (services.templates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.locking import UNCHECKED, check_seen
from portal.scoping import CHANGE, VIEW, can, restrict
from registry.models import Organization
from roadmaps.models import (
    SPLIT,
    DeadlineKind,
    ItemResponsible,
    ItemStatus,
    Roadmap,
    RoadmapItem,
)
from roadmaps.services import board, registry_link
from roadmaps.services import items as item_service

# How a plan addresses every authority of its region: the seed's own abbreviation and what it
# abbreviates («органы исполнительной власти Самарской области (далее – ОИВ СО)»), and the
# typical plan's «исполнительный орган». A qualified addressee («ОИВ СО, имеющие собственную
# кадровую службу») addresses some of them: the coordinator ticks which.
ADDRESSED_TO_ALL = re.compile(
    r"^(ОИВ\b|органы исполнительной власти|исполнительные органы)", re.IGNORECASE
)
SPLIT_REFUSED = "Распределять мероприятие по органам власти может координатор."


def addressee(item: RoadmapItem) -> str:
    """The responsible body of the measure that stands for several authorities, as the plan
    writes it ("ОИВ СО, предоставляющие государственные услуги"); "" when none does."""
    for responsible in item.responsibles.all():
        if responsible.organization_id is None and ADDRESSED_TO_ALL.match(responsible.name):
            return responsible.name
    return ""


def split_refusal(item: RoadmapItem) -> str:
    """Why the measure cannot be split (Russian), "" when it can."""
    if item.is_section:
        return "Раздел плана не распределяется: распределяются мероприятия."
    if item.share_of_id:
        return "Это уже доля органа власти в мероприятии."
    roadmap = item.roadmap
    if roadmap.is_template:
        return (
            "Пункт типового плана исполняет каждый орган в своем плане по типовому плану: "
            "создайте план органа по этому типовому плану."
        )
    if roadmap.owner.is_authority:
        return "Мероприятие плана органа власти исполняет сам орган."
    if item.status == ItemStatus.CANCELLED:
        return "Мероприятие отменено."
    return ""


def candidates(item: RoadmapItem, day: date | None = None) -> QuerySet[Organization]:
    """The authorities of the plan's region (or municipality) in force on `day`, without a
    share of the measure yet."""
    day = day or timezone.localdate()
    holding = RoadmapItem.objects.filter(share_of=item).values("roadmap__owner_id")
    return (
        Organization.objects.authorities()
        .active_on(day)
        .filter(parent_id=item.roadmap.owner_id)
        .exclude(pk__in=holding)
        .order_by("full_name")
    )


@transaction.atomic
def split_measure(item: RoadmapItem, authorities, *, user) -> list[RoadmapItem]:
    """One share of the measure for each of `authorities` that has none yet (its deadline,
    wording and document type as the plan's, status «запланировано», the authority itself
    responsible), each in the authority's share plan under a copy of the measure's section;
    the measure itself stays as it is. Every share's history says whose share it is."""
    if not can(user, SPLIT, item):
        raise PermissionDenied(SPLIT_REFUSED)
    item = RoadmapItem.objects.select_for_update().select_related("roadmap__owner").get(pk=item.pk)
    refusal = split_refusal(item)
    if refusal:
        raise ValidationError(refusal)
    allowed = {a.pk: a for a in candidates(item)}
    chosen = list(authorities)
    foreign = [a.display_name for a in chosen if a.pk not in allowed]
    if foreign:
        raise ValidationError(
            "Доля не создается для органа вне региона плана или у которого она уже есть: "
            + ", ".join(foreign)
            + "."
        )
    if not chosen:
        raise ValidationError("Выберите органы власти, которым распределяется мероприятие.")
    reason = f"Доля органа власти в мероприятии {item.number} плана «{item.roadmap}»"
    shares = []
    for authority in chosen:
        plan = _share_plan(item.roadmap, authority)
        share = item_service.copy_item(
            item,
            roadmap=plan,
            parent=_section(plan, item.parent, user=user, reason=reason),
            share_of=item,
            status=ItemStatus.PLANNED,
        )
        if share.deadline_kind == DeadlineKind.DONE:  # the plan's «Исполнено», not the authority's
            item_service.apply_deadline(share, "")
        item_service.save_recorded(share, user=user, reason=reason)
        ItemResponsible.objects.create(item=share, organization=authority)
        registry_link.bind_targets(plan)
        shares.append(share)
    return shares


# What an act amending the measure changes in its shares too: not the responsible column (a
# share's is its authority) and not «Исполнено» (the plan's, not the authority's).
FOLLOWED = ("text", "deadline_text", "document_type", "footnotes")


def follow_measure(measure: RoadmapItem, values: dict, *, act, user=None, reason="") -> int:
    """The measure's amended wording in every share, on the same act (services.amendments);
    a dropped measure's open shares are cancelled. Returns how many shares changed."""
    changes = {k: v for k, v in values.items() if k in FOLLOWED}
    if measure.deadline_kind == DeadlineKind.DONE:
        changes.pop("deadline_text", None)
    if measure.status == ItemStatus.CANCELLED:
        open_shares = list(
            measure.shares.exclude(
                status__in=(ItemStatus.DONE, ItemStatus.CANCELLED)
            ).select_for_update()
        )
        for share in open_shares:
            item_service.cancel_item(share, act=act, user=user, reason=reason)
        return len(open_shares)
    shares = list(measure.shares.exclude(status=ItemStatus.CANCELLED).select_for_update())
    for share in shares if changes else []:
        own = dict(changes)
        if share.status == ItemStatus.DONE:  # closed by its evidence of the kind asked then
            own.pop("document_type", None)
        if own:
            item_service.amend_item(share, act=act, user=user, reason=reason, **own)
    return len(shares) if changes else 0


UNITS_REFUSED = (
    "Назначать ответственные подразделения доли может уполномоченное лицо органа власти, "
    "которому принадлежит доля."
)
UNITS_REASON = "Ответственные подразделения"


def units_refusal(item: RoadmapItem) -> str:
    """Why units cannot be named for the item (Russian), "" when they can: only a share is
    distributed inside its authority; a plan's own measure names its responsibles by the plan
    (an amendment by an act changes them)."""
    if item.share_of_id is None:
        return (
            "Ответственные подразделения назначаются доле органа власти в мероприятии, "
            "обращенном к нескольким органам; ответственных за мероприятие плана называет "
            "сам план."
        )
    return ""


def unit_choices(share: RoadmapItem, day: date | None = None) -> QuerySet[Organization]:
    """The units an authority may name for its share: its own units in force on `day`."""
    day = day or timezone.localdate()
    return (
        Organization.objects.units()
        .active_on(day)
        .filter(authority_id=share.roadmap.owner_id)
        .order_by("full_name")
    )


def named_units(item: RoadmapItem) -> list[ItemResponsible]:
    """The item's responsible units (its responsibles as loaded: prefetched on the board and
    the roll-up), in their order."""
    return [r for r in item.responsibles.all() if r.organization_id and r.organization.is_unit]


@transaction.atomic
def assign_units(share: RoadmapItem, units, *, user, expected_version=UNCHECKED) -> bool:
    """Names `units` (units of the share's authority, in force) responsible for the share in
    place of those named before; none clears them (the authority's officer answers for it, as
    he does anyway). The authority's own distribution of its share, not an amendment of the
    region's plan: no act; the share's history records who and when («Ответственные
    подразделения: …»), the links' history the links replaced. An act amending the measure
    (follow_measure) leaves them alone. False when nothing changed."""
    share = (
        RoadmapItem.objects.select_for_update().select_related("roadmap__owner").get(pk=share.pk)
    )
    if not can(user, CHANGE, share):
        raise PermissionDenied(UNITS_REFUSED)
    check_seen(share, expected_version)
    refusal = units_refusal(share)
    if refusal:
        raise ValidationError(refusal)
    authority = share.roadmap.owner
    chosen = sorted({u.pk: u for u in units}.values(), key=lambda u: u.full_name)
    allowed = set(unit_choices(share).values_list("pk", flat=True))
    foreign = [u.display_name for u in chosen if u.pk not in allowed]
    if foreign:
        raise ValidationError(
            "Ответственными за долю назначаются только действующие подразделения органа "
            f"власти «{authority.display_name}»; не его подразделения: {', '.join(foreign)}."
        )
    links = list(share.responsibles.select_related("organization"))
    current = {r.organization_id: r for r in links if r.organization_id and r.organization.is_unit}
    if set(current) == {u.pk for u in chosen}:
        return False
    for unit_id, link in current.items():
        if unit_id not in {u.pk for u in chosen}:
            link._history_user = user
            link.delete()
    position = max((r.position for r in links), default=0)
    for unit in chosen:
        if unit.pk not in current:
            position += 1
            link = ItemResponsible(item=share, organization=unit, position=position)
            link._history_user = user
            link.save()
    names = "; ".join(u.display_name for u in chosen) or "не назначены"
    item_service.save_recorded(
        share, user=user, reason=f"{UNITS_REASON}: {names}", update_fields=[]
    )
    return True


def _share_plan(roadmap: Roadmap, authority: Organization) -> Roadmap:
    plan = Roadmap.objects.filter(owner=authority, collective_of=roadmap).first()
    if plan is not None:
        return plan
    plan = Roadmap(
        owner=authority,
        collective_of=roadmap,
        title=f"{roadmap.title} — мероприятия органа «{authority.display_name}»",
        legal_act=roadmap.legal_act,
        responsible_header=roadmap.responsible_header,
        document_header=roadmap.document_header,
    )
    plan._change_reason = f"Доля органа власти в мероприятиях плана «{roadmap}»"
    plan.full_clean()
    plan.save()
    return plan


def _section(plan: Roadmap, section: RoadmapItem | None, **recorded) -> RoadmapItem | None:
    """The share plan's copy of the measure's section (and of the sections above it)."""
    if section is None:
        return None
    existing = plan.items.filter(number=section.number).first()
    if existing is not None:
        return existing
    parent = _section(plan, section.parent, **recorded)
    copy = item_service.copy_item(section, roadmap=plan, parent=parent)
    return item_service.save_recorded(copy, **recorded)


def shares_q(measure: RoadmapItem) -> Q:
    """The authorities' tasks of a measure: its shares, or a typical plan item's copies."""
    return Q(share_of=measure) | Q(template_item=measure, roadmap__is_template=False)


def shares(measure: RoadmapItem, user) -> QuerySet[RoadmapItem]:
    """The shares the user may see: every one for a coordinator, his own for an authority."""
    return restrict(RoadmapItem, user, VIEW).filter(shares_q(measure), is_section=False)


@dataclass
class Rollup:
    """A measure's «Исполнили N из M органов власти, просрочено K» and the late ones."""

    summary: board.PlanSummary
    late: list[Organization]
    pending: int  # authorities of the region without a share (or a plan from the typical one)

    @property
    def done(self) -> int:
        return self.summary.done

    @property
    def total(self) -> int:
        return self.summary.total


def rollup(measure: RoadmapItem, user, today: date | None = None) -> Rollup | None:
    """None for a measure that is not split (and not a typical plan's item)."""
    today = today or timezone.localdate()
    rows = shares(measure, user)
    if not measure.roadmap.is_template and not measure.shares.exists():
        return None
    summary = board.PlanSummary(board.state_counts(rows, today))
    late = [
        i.roadmap.owner
        for i in board.items(rows, today, state="overdue").select_related("roadmap__owner")
    ]
    pending = 0
    if can(user, SPLIT, measure):  # an authority's officer sees his own share only
        pending = candidates(measure, today).exclude(pk__in=rows.values("roadmap__owner_id"))
        pending = pending.count()
    return Rollup(summary, late, pending)
