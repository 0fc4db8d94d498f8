"""Proposals of units to add, change or exclude registry rows, reviewed by the authorized
officer (items 24-26 of the Procedure)."""

from django.db import models
from django.urls import reverse
from django.utils import timezone

from portal.fields import reference, user_field
from portal.locking import Versioned
from portal.models import Removable
from portal.scoping import CHANGE, KEEP, OFFICIAL, READ, VIEW, Reach, RestrictedQuerySet, Scope

from ..choices import ProposalAction, ProposalState
from .organizations import organization_field
from .processes import Process


def proposal_scope(path: str = "") -> Scope:
    """A draft is its author's only; the rest is seen by the officials of its unit (or of a
    unit above it), the officer and coordinators; the officer reviews, never his own."""
    return Scope(
        owner=f"{path}authority",
        unit=f"{path}unit",
        author=f"{path}author",
        private={f"{path}state": ProposalState.DRAFT},
        private_for=frozenset({VIEW, CHANGE}),  # reviewing a draft is refused by its state
        rules={VIEW: {**READ, OFFICIAL: Reach.UNITS}, "review": KEEP},
        not_own=frozenset({"review"}),
    )


class Proposal(Versioned):
    authority = organization_field("орган власти")
    unit = organization_field("подразделение")
    author = user_field("автор", optional=False)
    state = models.CharField(
        "состояние", max_length=20, choices=ProposalState.choices, default=ProposalState.DRAFT
    )
    note = models.TextField("пояснение", blank=True)
    # Item 25 of the Procedure: the unit reports within 10 working days of the change itself.
    changed_on = models.DateField(
        "дата изменения сведений",
        null=True,
        blank=True,
        help_text="Когда изменились сведения (например, дата принятия правового акта).",
    )
    report_due = models.DateField("представить до", null=True, blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    submitted_at = models.DateTimeField("направлено на проверку", null=True, blank=True)
    review_due = models.DateField("проверить до", null=True, blank=True)
    decided_at = models.DateTimeField("решение принято", null=True, blank=True)
    decided_by = user_field("проверил")
    return_comment = models.TextField("замечания при возврате", blank=True)
    applied_at = models.DateTimeField("внесено в реестр", null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    # Drafts are seen by their author only; nobody reviews his own proposal.
    scoping = proposal_scope()

    class Meta:
        verbose_name = "предложение об изменении реестра"
        verbose_name_plural = "предложения об изменении реестра"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Предложение № {self.pk} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("registry:proposal_detail", args=[self.pk])

    @property
    def review_overdue(self) -> bool:
        return (
            self.state == ProposalState.SUBMITTED
            and self.review_due is not None
            and self.review_due < timezone.localdate()
        )

    @property
    def report_overdue(self) -> bool:
        """Not sent to review within 10 working days of the change (item 25)."""
        if self.report_due is None:
            return False
        sent = timezone.localdate(self.submitted_at) if self.submitted_at else None
        return (sent or timezone.localdate()) > self.report_due


class ProposalItem(Versioned, Removable):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="items", verbose_name="предложение"
    )
    action = models.CharField("действие", max_length=10, choices=ProposalAction.choices)
    process = reference(Process, "строка реестра", optional=True, related_name="proposal_items")
    # The row's version the proposal was made against: applying refuses a row changed since.
    base_version = models.PositiveIntegerField(null=True, blank=True)
    values = models.JSONField("предлагаемые значения", default=dict, blank=True)
    exclude_reason = models.TextField("основание исключения", blank=True)
    # Internal: seen by the unit and the reviewer, never published.
    review_comment = models.TextField("замечание проверяющего", blank=True)
    # Taken out by its author: kept with its comment in the proposal's history, never applied.
    removed_at = models.DateTimeField("убрана из предложения", null=True, blank=True)
    removed_by = user_field("убрал")

    scoping = proposal_scope("proposal__")  # a row is reached as its proposal is

    class Meta(Removable.Meta):
        verbose_name = "строка предложения"
        verbose_name_plural = "строки предложения"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action="add", process__isnull=True)
                | (~models.Q(action="add") & models.Q(process__isnull=False)),
                name="proposal_item_process_matches_action",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.process or ''}".strip()
