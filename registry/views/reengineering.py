"""The reengineering plan of an authority (item 4.3 of the Procedure): its officer keeps it,
everyone who reads the authority's registry sees it, coordinators choose the authority."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from portal.locking import StaleEdit, refuse_stale
from portal.scoping import CHANGE, can
from portal.views.scoped import ScopedViewMixin
from registry.forms.reengineering import PlanEntryChangeForm, PlanEntryForm, PlanEntryRemoveForm
from registry.models import Organization, ReengineeringPlanEntry
from registry.services import reengineering

from .versions import _add_errors, _authority_for

REFUSAL = "План реинжиниринга ведет уполномоченное лицо органа власти."


def _keeps_plan(user, authority) -> bool:
    return can(user, CHANGE, ReengineeringPlanEntry(authority=authority))


def plan_url(authority) -> str:
    return f"{reverse('registry:reengineering')}?authority={authority.pk}"


class PlanView(ScopedViewMixin, TemplateView):
    """The plan of one authority: its rows with target, responsible and state; the form that
    puts a queued row into it."""

    template_name = "registry/reengineering.html"
    model = Organization

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        authority = kwargs.get("authority") or _authority_for(self.request)
        context["authority"] = authority
        context["authorities"] = (
            self.get_queryset().authorities().order_by("full_name")
            if user.authority is None
            else []
        )
        if authority is None:
            return context
        today = timezone.localdate()
        entries = list(reengineering.plan_of(authority))
        rows = reengineering.queued_rows(authority)
        context.update(
            entries=[(entry, reengineering.state_of(entry, today)) for entry in entries],
            states=reengineering.STATES,
            summary=reengineering.summary(entries, today),
            may_change=_keeps_plan(user, authority),
            form=kwargs.get("form") or PlanEntryForm(rows=rows),
            queued=rows.count(),
            records=ReengineeringPlanEntry.history.filter(authority=authority)
            .select_related("history_user", "process")
            .order_by("-history_date")[:20],
        )
        return context

    def post(self, request):
        authority = _authority_for(request)
        if authority is None or not _keeps_plan(request.user, authority):
            raise PermissionDenied(REFUSAL)
        form = PlanEntryForm(request.POST, rows=reengineering.queued_rows(authority))
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = reengineering.add_entry(
                    data["process"], data["target_date"], data["responsible"], request.user
                )
            except ValidationError as refused:
                _add_errors(form, refused)
            else:
                messages.success(
                    request,
                    f"Процесс {entry.process.identifier} включен в план реинжиниринга до "
                    f"{entry.target_date:%d.%m.%Y}.",
                )
                return redirect(plan_url(authority))
        context = self.get_context_data(authority=authority, form=form)
        return self.render_to_response(context, status=400)


class PlanEntryView(ScopedViewMixin, TemplateView):
    """One row of the plan: its history, and for the officer a new target or responsible and
    its removal from the plan."""

    template_name = "registry/reengineering_entry.html"
    breadcrumb_object = "entry"
    queryset = ReengineeringPlanEntry.all_objects.select_related(
        "authority", "process__status", "process__group", "process__typical_process"
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = kwargs.get("entry") or self.scoped_object(pk=self.kwargs["pk"])
        may_change = entry.removed_at is None and can(self.request.user, CHANGE, entry)
        context.update(
            entry=entry,
            state=reengineering.state_of(entry, timezone.localdate()),
            states=reengineering.STATES,
            may_change=may_change,
            change_form=kwargs.get("change_form")
            or PlanEntryChangeForm(
                initial={"target_date": entry.target_date, "responsible": entry.responsible},
                versioned=entry,
            ),
            remove_form=kwargs.get("remove_form") or PlanEntryRemoveForm(versioned=entry),
            records=entry.history.select_related("history_user").order_by("-history_date"),
            plan_url=plan_url(entry.authority),
        )
        return context

    def post(self, request, pk):
        entry = self.scoped_object(pk=pk)
        if entry.removed_at is not None or not can(request.user, CHANGE, entry):
            raise PermissionDenied(REFUSAL)
        which = request.POST.get("form")
        form_class = PlanEntryRemoveForm if which == "remove" else PlanEntryChangeForm
        form = form_class(request.POST, versioned=entry)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if which == "remove":
                    reengineering.remove_entry(
                        entry, data["reason"], request.user, expected_version=form.opened_version
                    )
                    messages.success(request, "Строка исключена из плана реинжиниринга.")
                    return redirect(plan_url(entry.authority))
                reengineering.change_entry(
                    entry,
                    data["target_date"],
                    data["responsible"],
                    request.user,
                    reason=data["reason"],
                    expected_version=form.opened_version,
                )
            except StaleEdit as stale:
                current = stale.current
                return refuse_stale(
                    request,
                    lambda: self.render_to_response(self.get_context_data(entry=current)),
                    message="Строку плана изменил другой пользователь, пока вы редактировали "
                    "форму: изменения не сохранены. Ниже — текущие значения; повторите.",
                )
            except ValidationError as refused:
                _add_errors(form, refused)
            else:
                messages.success(request, "Строка плана реинжиниринга сохранена.")
                return redirect("registry:reengineering_entry", entry.pk)
        name = "remove_form" if which == "remove" else "change_form"
        context = self.get_context_data(entry=entry, **{name: form})
        return self.render_to_response(context, status=400)
