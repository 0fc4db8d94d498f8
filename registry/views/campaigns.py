"""Actualization campaigns: opening one, the dashboard of answers, "no changes", closing;
catalogue coverage and status distribution of an authority's registry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from portal.charts import figures_download, figures_requested, with_download
from portal.confirm import Confirmation, confirmation_page
from portal.lists import ObjectListView, TableExporter
from portal.locking import StaleEdit, posted_version, refuse_stale
from portal.navigation import Crumb
from portal.params import int_param
from portal.scoping import VIEW, can
from portal.views.figures import FiguresPageMixin, RecomputeFiguresView
from portal.views.scoped import ScopedViewMixin
from registry import charts
from registry.filters import CampaignAnswersFilterSet, CatalogueFiguresFilterSet
from registry.forms import CampaignForm
from registry.jobs import CATALOGUE_FIGURES, recompute_catalogue_figures
from registry.models import (
    Campaign,
    CampaignParticipant,
    CatalogueFigures,
    Organization,
    OrganizationKind,
)
from registry.services import campaigns as service
from registry.tables import CampaignAnswersTable, CatalogueFiguresTable


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
    breadcrumb_title = "Открыть кампанию"
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

    def post(self, request, *args, **kwargs):
        if "preselect" in request.POST:  # appendix 1's units marked, nothing opened yet
            form = self.get_form().preselected()
            return self.render_to_response(self.get_context_data(form=form))
        return super().post(request, *args, **kwargs)

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


class CampaignDetailView(ObjectListView):
    """The dashboard: the answers of the country (or of what the user reaches) counted by the
    database, a paged table per authority (filtered, XLSX), the overdue reviews; the units of
    one authority on its own page (CampaignAuthorityView), or here when there is only one."""

    template_name = "registry/campaign_detail.html"
    breadcrumb_object = "campaign"
    model = CampaignParticipant
    table_class = CampaignAnswersTable
    filterset_class = CampaignAnswersFilterSet
    exporter = TableExporter(CampaignAnswersTable, "Ответы по органам власти")
    # One row per authority (3,572 in the country): always written at once; the background
    # export rebuilds a view from its path and query, without this page's campaign pk.
    background_export = False
    paginate_by = 25  # a page of 50 authorities rendered in 150-250 ms at 1M rows

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.today = timezone.localdate()

    @cached_property
    def campaign(self):
        return self.scoped_object(
            Campaign.objects.select_related("opened_by"), pk=self.kwargs["pk"]
        )

    def participants(self):
        return self.scoped(CampaignParticipant).filter(campaign=self.campaign)

    def get_queryset(self):
        return service.answers_per_authority(self.participants())

    def get_table_kwargs(self):
        return {"campaign": self.campaign, "overdue": self.campaign.due_date < self.today}

    get_export_table_kwargs = get_table_kwargs

    def get_export_filename(self, rows) -> str:
        return f"Ответы по органам власти — {self.today:%d.%m.%Y}.xlsx"

    @cached_property
    def totals(self) -> dict:
        return service.answer_totals(self.participants())

    def get_charts(self):
        return [
            charts.answers_chart(self.totals),
            charts.answers_by_authority_chart(self.object_list),
        ]

    def get_context_data(self, **kwargs):
        user, campaign = self.request.user, self.campaign
        participants = self.participants()
        totals = self.totals
        reviews, reviews_count = service.overdue_reviews(participants, self.today)
        context = {}
        if totals["authorities"] == 1:  # an officer's campaign: his units on the page
            only = Organization.objects.get(pk=participants.values("authority_id")[:1])
            context = authority_context(user, campaign, only, self.today)
        return super().get_context_data(
            campaign=campaign,
            totals=totals,
            review_overdue=reviews,
            review_overdue_count=reviews_count,
            today=self.today,
            can_close=can(user, "close", campaign),
            close_confirm=close_confirmation(campaign, totals["waiting"]),
            **context,
            **kwargs,
        )


def authority_context(user, campaign, authority, today) -> dict:
    """What the page of one authority's participants shows."""
    board = service.dashboard(campaign, user, today, authority=authority)
    distribution = service.status_distribution(authority)
    # its XLSX is the authority's coverage page's, which draws the same chart
    chart = charts.status_chart(distribution)
    chart.path, chart.query = reverse("registry:coverage"), f"authority={authority.pk}"
    return {
        "board": board,
        "authority": authority,
        "distribution": distribution,
        "status_chart": chart,
        "answerable": {p.pk for p in board.participants if can(user, "answer", p)},
    }


class CampaignAuthorityView(ScopedViewMixin, TemplateView):
    """One authority's units in a campaign: answers, overdue days, the "no changes" button,
    and the reengineering status of its registry."""

    template_name = "registry/campaign_authority.html"
    queryset = Campaign.objects.select_related("opened_by")
    breadcrumb_object = "campaign"

    @classmethod
    def get_breadcrumbs(cls, request, context):
        return [
            *super().get_breadcrumbs(request, context),
            Crumb(context["authority"].display_name),
        ]

    def get_context_data(self, **kwargs):
        user = self.request.user
        campaign = self.scoped_object(pk=self.kwargs["pk"])
        authority = self.scoped_object(
            Organization.objects.authorities(), action=VIEW, pk=self.kwargs["authority_pk"]
        )
        if (
            not self.scoped(CampaignParticipant)
            .filter(campaign=campaign, authority=authority)
            .exists()
        ):
            raise Http404("Орган власти не участвует в кампании.")
        return super().get_context_data(
            campaign=campaign,
            **authority_context(user, campaign, authority, timezone.localdate()),
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


def close_confirmation(campaign, waiting: int) -> Confirmation:
    text, refused = service.closing_summary(campaign, waiting)
    url = reverse("registry:campaign_close", args=[campaign.pk])
    return Confirmation(
        key="close",
        button="Закрыть кампанию",
        title=f"Закрыть кампанию «{campaign.title}»?",
        text=text,
        refused=refused,
        action=url,
        page=url,
        fields={"version": campaign.version},
        style="secondary",
        size="sm",
        cancel=reverse("registry:campaign_detail", args=[campaign.pk]),
    )


class CampaignCloseView(ScopedViewMixin, View):
    queryset = Campaign.objects.select_related("opened_by")

    def get(self, request, pk):
        """The confirmation as a page, for a browser without scripts."""
        campaign = self.scoped_object(pk=pk)
        if not can(request.user, "close", campaign):
            raise PermissionDenied("Закрыть кампанию может тот, кто ее открыл, или координатор.")
        waiting = service.answer_totals(self.scoped(CampaignParticipant).filter(campaign=campaign))[
            "waiting"
        ]
        return confirmation_page(request, close_confirmation(campaign, waiting))

    def post(self, request, pk):
        campaign = self.scoped_object(pk=pk)
        try:
            service.close_campaign(campaign, request.user, posted_version(request))
        except service.CampaignError as refused:
            messages.error(request, str(refused))
            return redirect("registry:campaign_detail", pk=pk)
        except StaleEdit:
            view = CampaignDetailView()
            view.setup(request, pk=pk)
            return refuse_stale(
                request,
                lambda: view.get(request, pk=pk),
                message="Кампанию изменил другой пользователь, пока вы смотрели страницу: она "
                "не закрыта. Ниже — ее текущее состояние; повторите.",
            )
        messages.success(request, f"Кампания «{campaign.title}» закрыта.")
        return redirect("registry:campaign_detail", pk=pk)


def chosen_authority(view):
    """The one authority a coverage page shows (?authority=, or the user's own), or None for
    the national list of a user who sees every authority (?authority=0 is every authority)."""
    user = view.request.user
    wanted = int_param(view.request, "authority", default=0, min_value=0)
    chosen = None
    if wanted:
        chosen = view.scoped(Organization).authorities().filter(pk=wanted).first()
    if chosen is None and not user.sees_all_authorities:
        if user.authority is None:
            raise PermissionDenied("Охват виден сотрудникам органа власти.")
        chosen = user.authority  # an officer asking for another's sees his own
    return chosen


class CoverageView(FiguresPageMixin, ObjectListView):
    """The catalogue coverage. Of the country: every authority's stored figures
    (CatalogueFigures, computed by a job), paged, filtered, with totals and XLSX. Of one
    authority (?authority=, an officer's own): the groups and typical processes it has not
    registered and the status distribution, read live from its rows."""

    template_name = "registry/coverage_list.html"
    breadcrumb_object = "chosen"  # one authority's page
    model = CatalogueFigures
    # an organization no longer an authority keeps its old row: not shown, not summed
    queryset = CatalogueFigures.objects.filter(
        authority__kind=OrganizationKind.AUTHORITY
    ).select_related("authority__parent")
    table_class = CatalogueFiguresTable
    filterset_class = CatalogueFiguresFilterSet
    exporter = TableExporter(CatalogueFiguresTable, "Охват перечня типовых процессов")
    paginate_by = 25  # a page of 50 authorities rendered in 150-250 ms at 1M rows
    figures_kind = CATALOGUE_FIGURES
    figures_title = "Расчет охвата перечня по органам власти"
    figures_task = recompute_catalogue_figures
    recompute_url_name = "registry:coverage_recompute"

    def get(self, request, *args, **kwargs):
        chosen = chosen_authority(self)
        if chosen is not None:
            distribution = service.status_distribution(chosen)
            chart = charts.status_chart(distribution)
            if figures_requested(request):
                return figures_download(request, [chart])
            return TemplateResponse(
                request,
                "registry/coverage.html",
                {
                    "chosen": chosen,
                    "coverage": [service.catalogue_coverage(chosen)],
                    "distribution": distribution,
                    "chart": with_download(request, chart)[0],
                    "national": request.user.sees_all_authorities,
                },
            )
        return super().get(request, *args, **kwargs)

    def expected_authorities(self) -> int:
        return self.scoped(Organization).authorities().count()

    def get_export_filename(self, rows) -> str:
        return f"Охват перечня типовых процессов — {timezone.localdate():%d.%m.%Y}.xlsx"

    @cached_property
    def totals(self) -> dict:
        """The stored figures of the filtered authorities summed (never the rows counted)."""
        totals = self.object_list.order_by().aggregate(
            authorities=Count("pk"),
            rows=Sum("rows"),
            reengineered=Sum("reengineered"),
            typicals_covered=Sum("typicals_covered"),
            typicals_total=Sum("typicals_total"),
        )
        total = totals["typicals_total"] or 0
        totals["percent"] = 100 * (totals["typicals_covered"] or 0) / total if total else 0
        return totals

    def get_charts(self):
        return [charts.national_coverage_chart(self.totals)]

    def get_context_data(self, **kwargs):
        return super().get_context_data(totals=self.totals, **self.figures_context(), **kwargs)


class CoverageRecomputeView(RecomputeFiguresView):
    model = CatalogueFigures
    figures_kind = CATALOGUE_FIGURES
    figures_title = CoverageView.figures_title
    figures_task = recompute_catalogue_figures
    page_url_name = "registry:coverage"
