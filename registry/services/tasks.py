"""The registry's sources of "my tasks" (portal.tasks): proposals to send or review, a
registry to publish, campaigns to answer; registered in RegistryConfig.ready()."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count
from django.urls import reverse

from portal.scoping import CHANGE, VIEW, restrict
from portal.tasks import Task
from registry.models import (
    AnswerState,
    Campaign,
    CampaignParticipant,
    Proposal,
    ProposalState,
    ReengineeringPlanEntry,
)
from registry.services import campaigns
from registry.services.deadlines import PUBLICATION_DAYS
from registry.services.pending_publication import pending_publication

# The kinds of task, in the order "Мои задачи" lists their groups (portal.tasks.KINDS).
REVIEW, CAMPAIGN, PROPOSAL, PUBLICATION = "review", "campaign", "proposal", "publication"
REENGINEERING = "reengineering"
KINDS = (
    (REVIEW, "Проверить предложения"),
    (CAMPAIGN, "Ответить на кампанию (актуализация)"),
    (PROPOSAL, "Доработать и направить предложения"),
    (PUBLICATION, "Опубликовать реестр"),
    (REENGINEERING, "Завершить реинжиниринг по плану"),
)


def _proposal_tasks(user, today: date) -> Iterable[Task]:
    own = Proposal.objects.filter(
        author=user, state__in=(ProposalState.DRAFT, ProposalState.RETURNED)
    ).select_related("unit")
    for proposal in own:
        url = reverse("registry:proposal_detail", args=[proposal.pk])
        if proposal.state == ProposalState.RETURNED:
            yield Task(
                f"Доработать предложение № {proposal.pk} и направить повторно",
                url,
                proposal.report_due,
                proposal.return_comment,
                kind=PROPOSAL,
            )
        else:
            yield Task(
                f"Направить на проверку предложение № {proposal.pk} (черновик)",
                url,
                proposal.report_due,
                f"{proposal.unit.display_name}",
                kind=PROPOSAL,
            )
    submitted = Proposal.objects.filter(state=ProposalState.SUBMITTED)
    reviewable = restrict(submitted, user, "review")
    for proposal in reviewable.select_related("unit", "authority"):
        yield Task(
            f"Проверить предложение № {proposal.pk}",
            reverse("registry:proposal_detail", args=[proposal.pk]),
            proposal.review_due,
            f"{proposal.authority.display_name}, {proposal.unit.display_name}",
            kind=REVIEW,
        )


def _publication_tasks(user, today: date) -> Iterable[Task]:
    if not (user.is_authorized_officer and user.authority is not None):
        return
    # Not publication_preview(): that reads the whole registry and the last version's rows.
    pending = pending_publication(user.authority)
    if pending is not None:
        since = (
            f" (с версии {pending.last_version.number}: {pending.changes})"
            if pending.changes
            else ""
        )
        yield Task(
            "Опубликовать актуальную версию реестра процессов",
            reverse("registry:versions"),
            pending.due,
            f"Реестр изменен {pending.changed_at:%d.%m.%Y}, изменения не опубликованы{since}; "
            f"срок — {PUBLICATION_DAYS} рабочих дней со дня изменения.",
            kind=PUBLICATION,
        )


def _campaign_tasks(user, today: date) -> Iterable[Task]:
    if user.is_official:
        for participant in campaigns.open_participants_of(user):
            yield Task(
                f"Представить сведения: {participant.campaign.title}",
                reverse("registry:campaign_detail", args=[participant.campaign_id]),
                participant.campaign.due_date,
                f"Подразделение {participant.unit.display_name}: направьте предложение или "
                "сообщите, что изменений нет.",
                kind=CAMPAIGN,
            )
        return
    if not (user.sees_all_authorities or user.is_authorized_officer):
        return
    # Two queries whatever the number of campaigns: the waiting answers counted per campaign.
    waiting = dict(
        restrict(CampaignParticipant, user, VIEW)
        .filter(answer=AnswerState.WAITING, campaign__closed_at__isnull=True)
        .values_list("campaign_id")
        .annotate(waiting=Count("pk"))
        .order_by()
    )
    if not waiting:
        return
    for campaign in restrict(Campaign, user).filter(pk__in=waiting).order_by("pk"):
        yield Task(
            f"Нет ответа подразделений — {waiting[campaign.pk]}: {campaign.title}",
            reverse("registry:campaign_detail", args=[campaign.pk]),
            campaign.due_date,
            kind=CAMPAIGN,
        )


def _reengineering_tasks(user, today: date) -> Iterable[Task]:
    """The plan's rows past their target date that have not passed reengineering: the
    officer who keeps the plan (one query)."""
    if not (user.is_authorized_officer and user.authority is not None):
        return
    overdue = (
        restrict(ReengineeringPlanEntry, user, CHANGE)
        .overdue(today)
        .select_related("process__status", "process__typical_process")
        .order_by("target_date", "pk")
    )
    for entry in overdue:
        yield Task(
            f"Завершить реинжиниринг процесса {entry.process.identifier}: {entry.process.name}",
            reverse("registry:reengineering_entry", args=[entry.pk]),
            entry.target_date,
            f"План реинжиниринга: срок {entry.target_date:%d.%m.%Y}, ответственный — "
            f"{entry.responsible}; статус в реестре — «{entry.process.status.name}».",
            kind=REENGINEERING,
        )


SOURCES = (_proposal_tasks, _publication_tasks, _campaign_tasks, _reengineering_tasks)
