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
from django.utils.translation import ngettext

from portal.locking import UNCHECKED, StaleEdit, claim
from portal.scoping import VIEW, can, restrict
from portal.workdays import ProductionCalendar
from registry.models import (
    AnswerState,
    Campaign,
    CampaignKind,
    CampaignParticipant,
    Organization,
    Process,
    ProcessGroup,
    Proposal,
    ProposalState,
    ReengineeringStatus,
    TypicalProcess,
)
from registry.models.organizations import editions_by_authority
from registry.services.deadlines import REPORT_DAYS

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


def participants_of(campaign: Campaign, user):
    """The campaign's participants the user reaches (portal.scoping), with what a row shows."""
    participants = campaign.participants.select_related(
        "authority", "unit", "proposal", "answered_by"
    )
    return restrict(participants, user, VIEW)


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
    if not all(can(user, "open_campaign", authority) for authority in authorities):
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


@transaction.atomic
def answer_no_changes(participant: CampaignParticipant, user) -> CampaignParticipant:
    participant = CampaignParticipant.objects.select_for_update().get(pk=participant.pk)
    if not can(user, "answer", participant):
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


@transaction.atomic
def close_campaign(campaign: Campaign, user, expected_version=UNCHECKED) -> Campaign:
    """Closing claims the version the page showed: of two closings at once one closes, the
    other is told who closed it (CampaignError); a campaign changed otherwise is StaleEdit."""
    if not can(user, "close", campaign):
        raise PermissionDenied("Закрыть кампанию может тот, кто ее открыл, или координатор.")
    try:
        claim(campaign, expected_version)
    except StaleEdit as stale:
        if stale.current.closed_at is not None:
            raise CampaignError(
                f"Кампанию уже закрыл(а) {stale.current.closed_by} "
                f"{timezone.localtime(stale.current.closed_at):%d.%m.%Y %H:%M}."
            ) from None
        raise
    if campaign.closed_at is not None:
        raise CampaignError("Кампания уже закрыта.")
    campaign.closed_at, campaign.closed_by = timezone.now(), user
    campaign.save(update_fields=["closed_at", "closed_by", "version"])
    return campaign


def closing_summary(campaign: Campaign, waiting: int) -> tuple[str, str]:
    """What closing would do (`waiting`: the units the user sees that have not answered), and
    why it cannot."""
    if campaign.closed_at is not None:
        return "", (
            f"Кампания закрыта {timezone.localtime(campaign.closed_at):%d.%m.%Y}: закрывать нечего."
        )
    text = (
        f"Кампания «{campaign.title}» будет закрыта: ответы подразделений больше не "
        "принимаются, открыть ее снова нельзя. "
    )
    if waiting:
        count = ngettext("%(count)s подразделение", "%(count)s подразделений", waiting)
        text += f"Нет ответа: {count % {'count': waiting}}."
    else:
        text += "Ответили все подразделения."
    return text, ""


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


def dashboard(
    campaign: Campaign, user, today: date | None = None, authority: Organization | None = None
) -> Dashboard:
    """The participants the user reaches (of one authority, if given), worst first."""
    today = today or timezone.localdate()
    calendar = ProductionCalendar()
    participants = participants_of(campaign, user)
    if authority is not None:
        participants = participants.filter(authority=authority)
    participants = list(participants)
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


# Counted by `answer` (never null), not by pk: the index participant_answers holds it.
ANSWER_COUNTS = {
    "total": Count("answer"),
    **{state.value: Count("answer", filter=Q(answer=state)) for state in AnswerState},
}


def answers_per_authority(participants):
    """The dashboard's table: one row per authority of `participants` (already scoped), its
    answers counted by the database, most unanswered first."""
    return (
        participants.order_by()
        .values("authority_id", "authority__full_name", "authority__parent__full_name")
        .annotate(**ANSWER_COUNTS)
        .order_by("-waiting", "authority__full_name", "authority_id")
    )


def answer_totals(participants) -> dict:
    """The answers of all `participants` together, and how many authorities they belong to."""
    return participants.order_by().aggregate(
        authorities=Count("authority", distinct=True), **ANSWER_COUNTS
    )


def overdue_reviews(participants, today: date, limit: int = 20):
    """Submitted proposals answering the campaign past their review term, oldest first (at
    most `limit`), and how many there are."""
    ids = participants.filter(
        proposal__state=ProposalState.SUBMITTED, proposal__review_due__lt=today
    ).values("proposal_id")
    proposals = Proposal.objects.filter(pk__in=ids).order_by("review_due", "pk")
    return list(proposals[:limit]), proposals.count()


@dataclass
class GroupStatuses:
    group: ProcessGroup
    counts: list[tuple[ReengineeringStatus, int, float]]  # status, rows, percent
    total: int

    @property
    def bars(self) -> list[tuple[int, str, int, float]]:
        """(position, status, rows, percent) for the stacked bar; colours go by position."""
        return [(n, s.name, count, share) for n, (s, count, share) in enumerate(self.counts, 1)]


def _per_edition(objects, edition_of) -> dict[int, list]:
    """Catalogue entries of several editions, split by edition in their queried order."""
    result: dict[int, list] = defaultdict(list)
    for obj in objects:
        result[edition_of(obj)].append(obj)
    return result


def _groups_per_edition(editions) -> dict[int, list[ProcessGroup]]:
    groups = ProcessGroup.objects.filter(edition__in=set(editions.values()))
    return _per_edition(groups.order_by("order"), lambda g: g.edition_id)


def status_distributions(authorities) -> dict[int, list[GroupStatuses]]:
    """status_distribution() of each authority (by pk), in a constant number of queries:
    the catalogue is read once and the rows are counted grouped by authority."""
    authorities = list(authorities)
    editions = editions_by_authority(authorities)
    groups = _groups_per_edition(editions)
    statuses = _per_edition(
        ReengineeringStatus.objects.filter(edition__in=set(editions.values())),
        lambda s: s.edition_id,
    )
    counts = defaultdict(int)
    for authority_id, group_id, status_id, n in (
        Process.objects.filter(authority__in=[a.pk for a in authorities], is_excluded=False)
        .values_list("authority_id", "group_id", "status_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("authority_id", "group_id", "status_id", "n")
    ):
        counts[authority_id, group_id, status_id] += n
    result = {}
    for authority in authorities:
        rows = []
        edition = editions[authority.pk]
        for group in groups[edition]:
            per_status = [(s, counts[authority.pk, group.pk, s.pk]) for s in statuses[edition]]
            total = sum(n for _, n in per_status)
            shares = [(s, n, 100 * n / total if total else 0) for s, n in per_status]
            rows.append(GroupStatuses(group, shares, total))
        result[authority.pk] = rows
    return result


def status_distribution(authority: Organization) -> list[GroupStatuses]:
    """Rows of the registry (not excluded) per process group and reengineering status."""
    return status_distributions([authority])[authority.pk]


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


def catalogue_coverages(authorities) -> dict[int, Coverage]:
    """catalogue_coverage() of each authority (by pk), in a constant number of queries."""
    authorities = list(authorities)
    editions = editions_by_authority(authorities)
    used_groups, used_typicals = defaultdict(set), defaultdict(set)
    for authority_id, group_id, typical_id in (
        Process.objects.filter(authority__in=[a.pk for a in authorities], is_excluded=False)
        .values_list("authority_id", "group_id", "typical_process_id")
        .order_by()
        .distinct()
    ):
        used_groups[authority_id].add(group_id)
        if typical_id is not None:
            used_typicals[authority_id].add(typical_id)
    groups = _groups_per_edition(editions)
    typicals = _per_edition(
        TypicalProcess.objects.filter(group__edition__in=set(editions.values()))
        .select_related("group")
        .order_by("group__order", "order"),
        lambda t: t.group.edition_id,
    )
    result = {}
    for authority in authorities:
        used = used_typicals[authority.pk]
        missing: dict[ProcessGroup, list[TypicalProcess]] = defaultdict(list)
        edition = editions[authority.pk]
        for typical in typicals[edition]:
            if typical.pk not in used:
                missing[typical.group].append(typical)
        result[authority.pk] = Coverage(
            authority,
            [g for g in groups[edition] if g.pk not in used_groups[authority.pk]],
            dict(missing),
            len(typicals[edition]),
            sum(1 for t in typicals[edition] if t.pk in used),
        )
    return result


def catalogue_coverage(authority: Organization) -> Coverage:
    """Which groups and typical processes of the catalogue the authority has not registered
    at all (rows excluded from the registry do not count)."""
    return catalogue_coverages([authority])[authority.pk]


def participating_authorities(campaign: Campaign, user) -> list[Organization]:
    ids = participants_of(campaign, user).values("authority_id")
    return list(Organization.objects.filter(pk__in=ids).order_by("full_name"))


def open_participants_of(user):
    """The user's units' unanswered participations in open campaigns."""
    return CampaignParticipant.objects.filter(
        Q(unit_id__in=user.unit_ids),
        answer=AnswerState.WAITING,
        campaign__closed_at__isnull=True,
    ).select_related("campaign", "unit")
