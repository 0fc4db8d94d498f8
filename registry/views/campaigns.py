"""Actualization campaigns: opening one, the dashboard of answers, "no changes", closing;
catalogue coverage and status distribution of an authority's registry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import FormView, TemplateView

from portal.locking import StaleEdit, posted_version, refuse_stale
from portal.params import int_param
from portal.scoping import can
from portal.views.scoped import ScopedViewMixin
from registry.forms import CampaignForm
from registry.models import Campaign, CampaignParticipant, Organization
from registry.services import campaigns as service


class CampaignListView(ScopedViewMixin, TemplateView):
    template_name = "registry/campaign_list.html"
    queryset = Campaign.objects.select_related("opened_by")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            campaigns=self.get_queryset(),
            can_open=self.scoped(Organization, "open_campaign").exists(),
            **kwargs,
        )


class CampaignOpenView(ScopedViewMixin, FormView):
    template_name = "registry/campaign_open.html"
    model = Organization
    scope_action = "open_campaign"
    form_class = CampaignForm

    def dispatch(self, request, *args, **kwargs):
        # Coordinators for any authority, an officer for his own.
        if request.user.is_authenticated and not self.get_queryset().exists():
            raise PermissionDenied("Открывает кампанию координатор или уполномоченное лицо.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            campaign = service.open_campaign(
                self.request.user,
                kind=data["kind"],
                due_date=data["due_date"],
                authorities=data["authorities"],
                units=data["units"],
                year=data.get("year"),
                quarter=data.get("quarter"),
                title=data.get("title", ""),
                basis=data.get("basis", ""),
            )
        except service.CampaignError as refused:
            form.add_error(None, str(refused))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Кампания «{campaign.title}» открыта: подразделений — "
            f"{campaign.participants.count()}, срок — {campaign.due_date:%d.%m.%Y}.",
        )
        return redirect("registry:campaign_detail", pk=campaign.pk)


class CampaignDetailView(ScopedViewMixin, TemplateView):
    template_name = "registry/campaign_detail.html"
    queryset = Campaign.objects.select_related("opened_by")

    def get_context_data(self, **kwargs):
        user = self.request.user
        campaign = self.scoped_object(pk=self.kwargs["pk"])
        board = service.dashboard(campaign, user)
        authorities = service.participating_authorities(campaign, user)
        distributions = service.status_distributions(authorities)
        return super().get_context_data(
            campaign=campaign,
            board=board,
            distribution=[(a, distributions[a.pk]) for a in authorities],
            can_close=campaign.is_open and can(user, "close", campaign),
            answerable={p.pk for p in board.participants if can(user, "answer", p)},
            **kwargs,
        )


class NoChangesView(ScopedViewMixin, View):
    model = Campaign

    def post(self, request, pk):
        # Any participant of a campaign the user sees: answering another unit's is a 403.
        participants = CampaignParticipant.objects.filter(campaign__in=self.get_queryset())
        participant = get_object_or_404(participants.select_related("campaign", "unit"), pk=pk)
        try:
            service.answer_no_changes(participant, request.user)
            messages.success(
                request, f"Ответ «изменений нет» от подразделения {participant.unit} принят."
            )
        except service.CampaignError as refused:
            messages.error(request, str(refused))
        return redirect("registry:campaign_detail", pk=participant.campaign_id)


class CampaignCloseView(ScopedViewMixin, View):
    queryset = Campaign.objects.select_related("opened_by")

    def post(self, request, pk):
        campaign = self.scoped_object(pk=pk)
        try:
            service.close_campaign(campaign, request.user, posted_version(request))
        except service.CampaignError as refused:
            messages.error(request, str(refused))
            return redirect("registry:campaign_detail", pk=pk)
        except StaleEdit:
            view = CampaignDetailView(request=request, args=(), kwargs={"pk": pk})
            return refuse_stale(
                request,
                lambda: view.render_to_response(view.get_context_data()),
                message="Кампанию изменил другой пользователь, пока вы смотрели страницу: она "
                "не закрыта. Ниже — ее текущее состояние; повторите.",
            )
        messages.success(request, f"Кампания «{campaign.title}» закрыта.")
        return redirect("registry:campaign_detail", pk=pk)


class CoverageView(ScopedViewMixin, TemplateView):
    """Which groups and typical processes of the catalogue an authority has not registered."""

    template_name = "registry/coverage.html"
    model = Organization

    def get_context_data(self, **kwargs):
        user = self.request.user
        authorities = self.get_queryset().authorities().order_by("full_name")
        wanted = int_param(self.request, "authority", default=0, min_value=0)
        chosen = authorities.filter(pk=wanted).first()
        if chosen is None and user.authority is not None:
            chosen = user.authority
        if chosen is None and not user.sees_all_authorities:
            raise PermissionDenied("Охват перечня виден сотрудникам органа власти.")
        shown = [chosen] if chosen else list(authorities)
        coverages = service.catalogue_coverages(shown)
        return super().get_context_data(
            authorities=authorities,
            chosen=chosen,
            coverage=[coverages[a.pk] for a in shown],
            distribution=service.status_distribution(chosen) if chosen else None,
            **kwargs,
        )
