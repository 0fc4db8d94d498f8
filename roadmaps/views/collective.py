"""A collective measure's roll-up (its authorities' shares, also as XLSX) and its split into
the authorities' shares by the coordinator (services.collective)."""

from __future__ import annotations

from functools import cached_property

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from portal.lists import ObjectListView, TableExporter
from portal.scoping import can
from portal.views.scoped import ScopedViewMixin
from portal.widgets import style_widgets
from roadmaps.models import SPLIT, RoadmapItem
from roadmaps.services import board, collective
from roadmaps.tables import ShareTable

ROLLUP_TITLE = "Исполнение органами власти"


class MeasureMixin(ScopedViewMixin):
    breadcrumb_object = "item"

    @cached_property
    def measure(self) -> RoadmapItem:
        item = self.scoped_object(
            RoadmapItem.objects.select_related("roadmap__owner"), pk=self.kwargs["pk"]
        )
        if item.is_section:
            raise Http404("Раздел плана не имеет своей страницы.")
        return item


class ItemSharesView(MeasureMixin, ObjectListView):
    """Every authority's share of the measure the user may see (a coordinator all of them, an
    authority's officer his own), late ones first; ?export=xlsx gives exactly these rows."""

    model = RoadmapItem
    table_class = ShareTable
    table_pagination = False
    template_name = "roadmaps/item_shares.html"
    breadcrumb_title = ROLLUP_TITLE
    exporter = TableExporter(ShareTable, ROLLUP_TITLE)
    background_export = False  # one row per authority of a region: never a job's size

    @cached_property
    def today(self):
        return timezone.localdate()

    def get_queryset(self):
        return collective.shares(self.measure, self.request.user)

    def get_table_data(self):
        return board.items(self.object_list, self.today).prefetch_related("evidence")

    def get_export_filename(self, rows) -> str:
        return f"Исполнение мероприятия {self.measure.number.rstrip('.')} органами власти.xlsx"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            item=self.measure,
            rollup=collective.rollup(self.measure, self.request.user, self.today),
            addressee=collective.addressee(self.measure),
            may_split=can(self.request.user, SPLIT, self.measure)
            and not collective.split_refusal(self.measure),
            today=self.today,
            **kwargs,
        )


class SplitForm(forms.Form):
    authorities = forms.ModelMultipleChoiceField(
        label="Органы власти", queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authorities"].queryset = candidates
        self.fields["authorities"].error_messages["required"] = (
            "Выберите органы власти, которым распределяется мероприятие."
        )
        style_widgets(self, small=True)


class ItemSplitView(MeasureMixin, TemplateView):
    """The coordinator ticks the authorities the measure is addressed to (all of the region
    for «ОИВ СО», some for «ОИВ СО, имеющие собственную кадровую службу») and each gets its
    share."""

    template_name = "roadmaps/item_split.html"
    breadcrumb_title = "Распределение по органам власти"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not can(request.user, SPLIT, self.measure):
            raise PermissionDenied(collective.SPLIT_REFUSED)
        refusal = collective.split_refusal(self.measure)
        if refusal:
            messages.warning(request, refusal)
            return redirect("roadmaps:item_detail", pk=self.measure.pk)
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None):
        candidates = collective.candidates(self.measure)
        initial = {"authorities": list(candidates)}
        return SplitForm(data, candidates=candidates, initial=initial)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        made = self.split(form) if form.is_valid() else None
        if made is not None:
            messages.success(
                request,
                f"Мероприятие {self.measure.number} распределено по органам власти. "
                f"Новых долей: {len(made)}.",
            )
            return redirect("roadmaps:item_shares", pk=self.measure.pk)
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response

    def split(self, form):
        """The shares made, or None with the service's refusal on the form."""
        try:
            return collective.split_measure(
                self.measure, form.cleaned_data["authorities"], user=self.request.user
            )
        except ValidationError as refused:
            form.add_error(None, refused)
            return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            item=self.measure, addressee=collective.addressee(self.measure), **kwargs
        )
