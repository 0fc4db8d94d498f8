"""Proposals of units and their review by the authorized officer; "my tasks". The pages call
registry.services.proposals, which checks every transition by role."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, TemplateView

from portal import tasks
from portal.confirm import Confirmation, confirmation_page
from portal.lists import ObjectListView, TableExporter
from portal.locking import StaleEdit, posted_version, refuse_stale
from portal.params import BadParameter
from portal.scoping import can
from portal.views.scoped import ScopedViewMixin, UnscopedViewMixin
from registry.columns import edition_columns
from registry.filters import ProposalFilterSet
from registry.forms import ProposalDetailsForm, TaskFilterForm
from registry.models import Proposal, ProposalItem, ProposalState
from registry.services import proposals as service
from registry.tables import ProposalTable

# What a proposal's pages show with it.
PROPOSALS = Proposal.objects.select_related("authority", "unit", "author", "decided_by")


class ProposalListView(ObjectListView):
    template_name = "registry/proposal_list.html"
    queryset = (
        Proposal.objects.select_related("authority", "unit", "author", "decided_by")
        .annotate(item_count=Count("items", filter=Q(items__removed_at__isnull=True)))
        .order_by("-created_at")
    )
    table_class = ProposalTable
    filterset_class = ProposalFilterSet
    exporter = TableExporter(ProposalTable, "Предложения об изменении реестра")

    def get_export_filename(self, rows) -> str:
        return f"Предложения об изменении реестра — {timezone.localdate():%d.%m.%Y}.xlsx"


class ProposalDetailView(ScopedViewMixin, DetailView):
    template_name = "registry/proposal_detail.html"
    context_object_name = "proposal"
    queryset = PROPOSALS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal, user = self.object, self.request.user
        every_item = ProposalItem.all_objects.filter(proposal=proposal).select_related(
            "process", "removed_by"
        )
        items = [i for i in every_item if i.removed_at is None]
        # Rows the author took out stay on the page, with their remarks, for both sides.
        context["removed_items"] = [i for i in every_item if i.removed_at is not None]
        headers = edition_columns(proposal.authority.edition)
        rows = []
        current_rows = service.current_texts_of(items)
        proposed_rows = service.proposed_texts_of(items)
        for item in items:
            current = current_rows.get(item.process_id)
            proposed = proposed_rows.get(item.pk)  # None for an exclusion
            columns = [
                {
                    "number": n,
                    "header": headers[n].header,
                    "current": current[n - 1] if current else "",
                    "proposed": proposed[n - 1] if proposed else "",
                    "changed": proposed is not None
                    and (current is None or current[n - 1] != proposed[n - 1]),
                }
                for n in range(1, 15)
            ]
            stale = (
                item.process is not None
                and item.base_version is not None
                and item.process.version != item.base_version
            )
            rows.append({"item": item, "columns": columns, "stale": stale})
        is_author = proposal.author_id == user.pk
        context.update(review_confirmations(proposal, items))
        context.update(
            rows=rows,
            can_edit=is_author and proposal.state in service.EDITABLE_STATES,
            can_review=can(user, "review", proposal) and proposal.state == ProposalState.SUBMITTED,
        )
        return context


def review_confirmations(proposal, items) -> dict[str, Confirmation]:
    """The reviewer's two decisions, each saying what it will do (portal.confirm)."""
    text, refused = service.approval_summary(proposal, items)

    def decision(action, **kwargs):
        return Confirmation(
            key=action,
            action=reverse("registry:proposal_act", args=[proposal.pk, action]),
            page=reverse("registry:proposal_act", args=[proposal.pk, action]),
            fields={"version": proposal.version},
            cancel=proposal.get_absolute_url(),
            **kwargs,
        )

    return {
        "approve_confirm": decision(
            "approve",
            button="Одобрить и внести в реестр",
            title=f"Одобрить предложение № {proposal.pk}?",
            text=text,
            refused=refused,
            confirm="Одобрить и внести в реестр",
            style="success",
        ),
        "return_confirm": decision(
            "return",
            button="Вернуть на доработку",
            title=f"Вернуть предложение № {proposal.pk} на доработку?",
            text=service.return_summary(proposal),
            comment="Что доработать (обязательно)",
            style="warning",
            size="sm",
        ),
    }


def proposal_page(request, proposal, status=200):
    """The proposal page as it is now (after a refused change, with the current values)."""
    view = ProposalDetailView(request=request, args=(), kwargs={"pk": proposal.pk})
    view.object = get_object_or_404(view.get_queryset(), pk=proposal.pk)
    response = view.render_to_response(view.get_context_data(object=view.object))
    response.status_code = status
    return response


STALE_PROPOSAL = (
    "Предложение изменил другой пользователь, пока вы редактировали форму: ваши изменения не "
    "сохранены, чтобы не затереть чужие. Ниже — текущие значения; внесите правки заново."
)


STALE_DECISION = (
    "Предложение изменилось, пока вы его смотрели (его вернули и направили снова): решение не "
    "принято. Ниже — предложение как оно есть сейчас; проверьте его и повторите."
)


class ProposalActionView(ScopedViewMixin, View):
    """POST submit / details / return / approve."""

    queryset = PROPOSALS

    def get(self, request, pk, action):
        """A decision's confirmation as a page, for a browser without scripts."""
        if action not in ("approve", "return"):
            return self.http_method_not_allowed(request)
        proposal = self.scoped_object(pk=pk)
        if not can(request.user, "review", proposal):
            raise PermissionDenied(
                "Проверяет предложение уполномоченное лицо органа власти, не автор предложения."
            )
        confirm = review_confirmations(proposal, list(proposal.items.all()))[f"{action}_confirm"]
        if proposal.state != ProposalState.SUBMITTED:
            confirm.refused = (
                f"Предложение — «{proposal.get_state_display()}»: решение уже принято."
            )
        return confirmation_page(request, confirm)

    def post(self, request, pk, action):
        proposal = self.scoped_object(pk=pk)
        user = request.user
        try:
            if action == "details":
                details = ProposalDetailsForm(request.POST)
                if not details.is_valid():
                    messages.error(
                        request,
                        "Дата изменения сведений: укажите дату в виде ДД.ММ.ГГГГ.",
                    )
                    return redirect(proposal)
                data = details.cleaned_data
                try:
                    service.set_details(
                        proposal, user, data["note"], data["changed_on"], posted_version(request)
                    )
                except StaleEdit:
                    return refuse_stale(
                        request, lambda: proposal_page(request, proposal), message=STALE_PROPOSAL
                    )
                messages.success(request, "Пояснение к предложению сохранено.")
            elif action == "submit":
                proposal = service.submit(proposal, user, posted_version(request))
                messages.success(
                    request,
                    f"Предложение № {proposal.pk} направлено на проверку. Срок проверки — до "
                    f"{proposal.review_due:%d.%m.%Y} (10 рабочих дней).",
                )
            elif action == "return":
                service.return_for_rework(
                    proposal, user, request.POST.get("comment", ""), posted_version(request)
                )
                messages.success(request, f"Предложение № {proposal.pk} возвращено на доработку.")
            elif action == "approve":
                service.approve(proposal, user, posted_version(request))
                messages.success(
                    request,
                    f"Предложение № {proposal.pk} одобрено, изменения внесены в реестр. "
                    "Опубликуйте актуальную версию реестра в течение 10 рабочих дней.",
                )
            else:
                raise Http404
        except StaleEdit:
            return refuse_stale(
                request, lambda: proposal_page(request, proposal), message=STALE_DECISION
            )
        except service.ProposalError as refused:
            messages.error(request, str(refused))
        except ValidationError as invalid:
            messages.error(
                request,
                "Предложение не одобрено, реестр не изменен: " + "; ".join(invalid.messages),
            )
        except IntegrityError:
            messages.error(
                request,
                "Предложение не одобрено, реестр не изменен: идентификатор новой строки уже "
                "занят. Верните предложение на доработку.",
            )
        return redirect(proposal)


class ItemActionView(ScopedViewMixin, View):
    """POST comment (the reviewer's internal remark on a row) / remove (the author's)."""

    queryset = ProposalItem.objects.select_related("proposal")

    def post(self, request, pk, action):
        item = self.scoped_object(pk=pk)
        try:
            if action == "comment":
                service.comment_item(
                    item, request.user, request.POST.get("comment", ""), posted_version(request)
                )
                messages.success(request, "Замечание к строке сохранено.")
            elif action == "remove":
                service.remove_item(item, request.user, posted_version(request))
                messages.success(
                    request,
                    "Строка убрана из предложения. Она остается в истории предложения с "
                    "замечаниями и не будет внесена в реестр.",
                )
            else:
                raise Http404
        except StaleEdit:
            return refuse_stale(
                request, lambda: proposal_page(request, item.proposal), message=STALE_PROPOSAL
            )
        except service.ProposalError as refused:
            messages.error(request, str(refused))
        return redirect(item.proposal)


class TaskListView(UnscopedViewMixin, LoginRequiredMixin, TemplateView):
    """The user's tasks grouped by kind, nearest term first in each group; ?kind= and
    ?state= narrow them. Unfiltered, a group shows its first GROUP_PREVIEW tasks, so that a
    long group (roadmap measures) does not hide the others."""

    template_name = "registry/tasks.html"
    unscoped_because = "the user's own tasks, each built by a scoped service (tasks_for)"
    GROUP_PREVIEW = 10

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        chosen = TaskFilterForm(self.request.GET)
        if not chosen.is_valid():
            raise BadParameter(chosen.refusal())
        kind, state = chosen.cleaned_data["kind"], chosen.cleaned_data["state"]
        every = tasks.tasks_for(self.request.user, today)
        tasks.remember_count(self.request.user, every)  # the bar's badge agrees
        groups = tasks.grouped(every, kind, state)
        for group in groups:
            group.shown = group.tasks[: self.GROUP_PREVIEW] if not kind else group.tasks
        return super().get_context_data(
            groups=groups,
            kind_counts=[(g.kind, g.heading, g.count) for g in tasks.grouped(every, "", state)],
            state_counts=[
                (
                    key,
                    label,
                    sum(1 for t in every if t.state == key and (not kind or t.kind == kind)),
                )
                for key, label in tasks.STATES.items()
            ],
            kind=kind,
            state=state,
            filters=chosen,
            total=len(every),
            today=today,
            **kwargs,
        )
