"""Actualization campaigns: who must answer by when, who has, and what the registry of each
participating authority looks like (status per group, catalogue coverage)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from registry.models import (
    AnswerState,
    Campaign,
    CampaignKind,
    CampaignParticipant,
    Organization,
    Process,
    ProcessGroup,
    ProposalState,
    ReengineeringStatus,
    TypicalProcess,
)
from registry.services.deadlines import REPORT_DAYS, ProductionCalendar

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


class CampaignError(Exception):
    """Refused for a reason the message gives in Russian."""


def quarter_title(year: int, quarter: int) -> str:
    return f"{ROMAN[quarter]} квартал {year}"


def quarter_due(year: int, quarter: int) -> date:
    """Default term of a quarter's actualization: 10 working days after the quarter ends."""
    month, day = QUARTER_END[quarter]
    return ProductionCalendar().add_working_days(date(year, month, day), REPORT_DAYS)


def may_open(user, authorities) -> bool:
    if user.sees_all_authorities:
        return True
    return user.is_authorized_officer and all(a.pk == user.authority.pk for a in authorities)


def visible_campaigns(user):
    campaigns = Campaign.objects.select_related("opened_by")
    if user.sees_all_authorities:
        return campaigns
    if user.authority is None:
        return campaigns.none()
    if user.is_authorized_officer:
        return campaigns.filter(participants__authority=user.authority).distinct()
    return campaigns.filter(participants__unit_id__in=user.unit_ids).distinct()


def visible_participants(user, campaign: Campaign):
    participants = campaign.participants.select_related(
        "authority", "unit", "proposal", "answered_by"
    )
    if user.sees_all_authorities:
        return participants
    if user.is_authorized_officer:
        return participants.filter(authority=user.authority)
    return participants.filter(unit_id__in=user.unit_ids)


@transaction.atomic
def open_campaign(
    user,
    *,
    kind: str,
    due_date: date,
    authorities=(),
    units=(),
    year: int | None = None,
    quarter: int | None = None,
    title: str = "",
    basis: str = "",
) -> Campaign:
    """Participants: the chosen units, and every direct unit of a chosen authority that has
    no unit chosen."""
    units = list(units)
    authorities = list(authorities) + [u.authority for u in units]
    if not authorities:
        raise CampaignError(
            "Выберите органы власти или подразделения, которые представят сведения."
        )
    if not may_open(user, authorities):
        raise PermissionDenied(
            "Уполномоченное лицо открывает кампанию только для своего органа власти."
        )
    if due_date < timezone.localdate():
        raise CampaignError("Срок представления сведений уже прошел: укажите будущую дату.")
    if kind == CampaignKind.QUARTERLY:
        if not year or quarter not in ROMAN:
            raise CampaignError("Для ежеквартальной актуализации укажите год и квартал.")
        title = title or f"Актуализация реестра процессов за {quarter_title(year, quarter)}"
    elif not title:
        title = f"Сбор сведений для реестра процессов в срок до {due_date:%d.%m.%Y}"
    today = timezone.localdate()
    chosen = {u.pk: u for u in units}
    for authority in {a.pk: a for a in authorities}.values():
        if any(u.authority_id == authority.pk for u in units):
            continue
        for unit in Organization.objects.units().filter(parent=authority).active_on(today):
            chosen[unit.pk] = unit
    if not chosen:
        raise CampaignError("У выбранных органов власти нет действующих структурных подразделений.")
    campaign = Campaign.objects.create(
        title=title[:300],
        kind=kind,
        year=year if kind == CampaignKind.QUARTERLY else None,
        quarter=quarter if kind == CampaignKind.QUARTERLY else None,
        due_date=due_date,
        basis=basis.strip(),
        opened_by=user,
    )
    CampaignParticipant.objects.bulk_create(
        CampaignParticipant(campaign=campaign, authority_id=u.authority_id, unit=u)
        for u in chosen.values()
    )
    return campaign


def may_answer(user, participant: CampaignParticipant) -> bool:
    if user.is_administrator:
        return True
    if user.is_authorized_officer:
        return user.authority is not None and user.authority.pk == participant.authority_id
    return user.is_official and participant.unit_id in user.unit_ids


@transaction.atomic
def answer_no_changes(participant: CampaignParticipant, user) -> CampaignParticipant:
    participant = CampaignParticipant.objects.select_for_update().get(pk=participant.pk)
    if not may_answer(user, participant):
        raise PermissionDenied("Ответ дает подразделение-участник или уполномоченное лицо.")
    if not participant.campaign.is_open:
        raise CampaignError("Кампания закрыта: ответы больше не принимаются.")
    if participant.answer == AnswerState.PROPOSAL:
        raise CampaignError(f"Подразделение уже направило предложение № {participant.proposal_id}.")
    participant.answer = AnswerState.NO_CHANGES
    participant.answered_at, participant.answered_by = timezone.now(), user
    participant.save()
    return participant


def record_proposal(proposal) -> int:
    """A submitted proposal answers every open campaign its unit, or a unit above it, takes
    part in (participants are an authority's direct units; rows may belong to sub-units)."""
    units, unit = [], proposal.unit
    while unit is not None and unit.is_unit:
        units.append(unit.pk)
        unit = unit.parent
    return (
        CampaignParticipant.objects.filter(
            unit_id__in=units,
            campaign__closed_at__isnull=True,
            campaign__opened_at__lte=proposal.submitted_at,
        )
        .exclude(answer=AnswerState.PROPOSAL)
        .update(
            answer=AnswerState.PROPOSAL,
            proposal=proposal,
            answered_at=proposal.submitted_at,
            answered_by=proposal.author,
        )
    )


def withdraw_answer(proposal) -> int:
    """Returned for rework: the unit has not answered until it sends the proposal again."""
    return CampaignParticipant.objects.filter(
        proposal=proposal, campaign__closed_at__isnull=True
    ).update(answer=AnswerState.WAITING, proposal=None, answered_at=None, answered_by=None)


def close_campaign(campaign: Campaign, user) -> Campaign:
    if not (user.sees_all_authorities or campaign.opened_by_id == user.pk):
        raise PermissionDenied("Закрыть кампанию может тот, кто ее открыл, или координатор.")
    if campaign.closed_at is None:
        campaign.closed_at, campaign.closed_by = timezone.now(), user
        campaign.save(update_fields=["closed_at", "closed_by"])
    return campaign


# --- the dashboard -------------------------------------------------------------------------


def answer_overdue(participant: CampaignParticipant, today: date) -> bool:
    return participant.answer == AnswerState.WAITING and participant.campaign.due_date < today


@dataclass
class AuthorityAnswers:
    authority: Organization
    counts: Counter = field(default_factory=Counter)
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, state: str) -> float:
        return 100 * self.counts[state] / self.total if self.total else 0

    @property
    def bars(self) -> list[tuple[str, str, int, float]]:
        """(state, label, count, percent) for the stacked bar of responses."""
        return [
            (state.value, state.label, self.counts[state], self.share(state))
            for state in AnswerState
        ]


@dataclass
class Dashboard:
    campaign: Campaign
    participants: list[CampaignParticipant]  # worst first
    per_authority: list[AuthorityAnswers]
    days_overdue: dict[int, int]  # participant pk -> working days past the term
    review_overdue: list  # submitted proposals past their review term, oldest first

    @property
    def waiting(self) -> int:
        return sum(1 for p in self.participants if p.answer == AnswerState.WAITING)


def dashboard(campaign: Campaign, user, today: date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    calendar = ProductionCalendar()
    participants = list(visible_participants(user, campaign))
    for p in participants:
        p.campaign = campaign  # one object, no query per row
    days = {
        p.pk: calendar.working_days_between(campaign.due_date, today)
        for p in participants
        if answer_overdue(p, today)
    }
    order = {AnswerState.WAITING: 0, AnswerState.PROPOSAL: 1, AnswerState.NO_CHANGES: 2}
    participants.sort(
        key=lambda p: (
            -days.get(p.pk, -1),
            order[p.answer],
            p.authority.full_name,
            p.unit.full_name,
        )
    )
    per_authority: dict[int, AuthorityAnswers] = {}
    for p in participants:
        row = per_authority.setdefault(p.authority_id, AuthorityAnswers(p.authority))
        row.counts[p.answer] += 1
        row.overdue += p.pk in days
    rows = sorted(
        per_authority.values(), key=lambda r: (-r.overdue, -r.counts[AnswerState.WAITING])
    )
    review_overdue = [
        p.proposal
        for p in participants
        if p.proposal is not None
        and p.proposal.state == ProposalState.SUBMITTED
        and p.proposal.review_due < today
    ]
    review_overdue.sort(key=lambda proposal: proposal.review_due)
    return Dashboard(campaign, participants, rows, days, review_overdue)


@dataclass
class GroupStatuses:
    group: ProcessGroup
    counts: list[tuple[ReengineeringStatus, int, float]]  # status, rows, percent
    total: int

    @property
    def bars(self) -> list[tuple[int, str, int, float]]:
        """(position, status, rows, percent) for the stacked bar; colours go by position."""
        return [(n, s.name, count, share) for n, (s, count, share) in enumerate(self.counts, 1)]


def status_distribution(authority: Organization) -> list[GroupStatuses]:
    """Rows of the registry (not excluded) per process group and reengineering status."""
    groups = list(ProcessGroup.objects.filter(edition__level=authority.level).order_by("order"))
    statuses = list(ReengineeringStatus.objects.filter(edition__level=authority.level))
    counts = defaultdict(int)
    for group_id, status_id, n in (
        Process.objects.filter(authority=authority, is_excluded=False)
        .values_list("group_id", "status_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "status_id", "n")
    ):
        counts[group_id, status_id] += n
    result = []
    for group in groups:
        per_status = [(s, counts[group.pk, s.pk]) for s in statuses]
        total = sum(n for _, n in per_status)
        shares = [(s, n, 100 * n / total if total else 0) for s, n in per_status]
        result.append(GroupStatuses(group, shares, total))
    return result


@dataclass
class Coverage:
    authority: Organization
    missing_groups: list[ProcessGroup]
    missing_typicals: dict[ProcessGroup, list[TypicalProcess]]
    typical_total: int
    typical_covered: int

    @property
    def percent(self) -> float:
        return 100 * self.typical_covered / self.typical_total if self.typical_total else 0


def catalogue_coverage(authority: Organization) -> Coverage:
    """Which groups and typical processes of the catalogue the authority has not registered
    at all (rows excluded from the registry do not count)."""
    rows = Process.objects.filter(authority=authority, is_excluded=False)
    used_groups = set(rows.values_list("group_id", flat=True))
    used_typicals = set(
        rows.filter(typical_process__isnull=False).values_list("typical_process_id", flat=True)
    )
    groups = list(ProcessGroup.objects.filter(edition__level=authority.level).order_by("order"))
    typicals = list(
        TypicalProcess.objects.filter(group__edition__level=authority.level)
        .select_related("group")
        .order_by("group__order", "order")
    )
    missing: dict[ProcessGroup, list[TypicalProcess]] = defaultdict(list)
    for typical in typicals:
        if typical.pk not in used_typicals:
            missing[typical.group].append(typical)
    return Coverage(
        authority,
        [g for g in groups if g.pk not in used_groups],
        dict(missing),
        len(typicals),
        sum(1 for t in typicals if t.pk in used_typicals),
    )


def participating_authorities(campaign: Campaign, user) -> list[Organization]:
    ids = visible_participants(user, campaign).values("authority_id")
    return list(Organization.objects.filter(pk__in=ids).order_by("full_name"))


def open_participants_of(user):
    """The user's units' unanswered participations in open campaigns."""
    return CampaignParticipant.objects.filter(
        Q(unit_id__in=user.unit_ids),
        answer=AnswerState.WAITING,
        campaign__closed_at__isnull=True,
    ).select_related("campaign", "unit")
