"""A collective measure's roll-up (its authorities' shares, also as XLSX), its split into
the authorities' shares by the coordinator, and the units an authority names responsible for
its share (services.collective)."""

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
from portal.locking import StaleEdit, refuse_stale
from portal.scoping import CHANGE, can
from portal.views.scoped import ScopedViewMixin
from portal.widgets import style_widgets
from roadmaps.forms import UnitsForm
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


class MeasureFormMixin(MeasureMixin):
    """A form on a measure: signed in, allowed `action` on it (else 403 with `refused`), and
    the measure one the form applies to (else back to its page with refusal())."""

    action: str
    refused: str

    def refusal(self) -> str:
        return ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not can(request.user, self.action, self.measure):
            raise PermissionDenied(self.refused)
        refusal = self.refusal()
        if refusal:
            messages.warning(request, refusal)
            return redirect("roadmaps:item_detail", pk=self.measure.pk)
        return super().dispatch(request, *args, **kwargs)


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


class ItemSplitView(MeasureFormMixin, TemplateView):
    """The coordinator ticks the authorities the measure is addressed to (all of the region
    for «ОИВ СО», some for «ОИВ СО, имеющие собственную кадровую службу») and each gets its
    share."""

    template_name = "roadmaps/item_split.html"
    breadcrumb_title = "Распределение по органам власти"
    action, refused = SPLIT, collective.SPLIT_REFUSED

    def refusal(self) -> str:
        return collective.split_refusal(self.measure)

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


class ItemUnitsView(MeasureFormMixin, TemplateView):
    """The authority's officer names the units of his authority that answer for its share
    («Ответственные подразделения»), changes or clears them; their officials then have the
    share in «Мои мероприятия» and «Мои задачи». Who may is the scoping rule (CHANGE, checked
    again by the service): an official of the unit reads the share and gets a 403 here."""

    template_name = "roadmaps/item_units.html"
    breadcrumb_title = "Ответственные подразделения"
    action, refused = CHANGE, collective.UNITS_REFUSED

    def refusal(self) -> str:
        return collective.units_refusal(self.measure)

    def form(self, data=None):
        named = [r.organization_id for r in collective.named_units(self.measure)]
        return UnitsForm(
            data,
            choices=collective.unit_choices(self.measure),
            initial={"units": named},
            versioned=self.measure,
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                changed = collective.assign_units(
                    self.measure,
                    form.cleaned_data["units"],
                    user=request.user,
                    expected_version=form.opened_version,
                )
            except StaleEdit:
                return refuse_stale(
                    request,
                    lambda: self.render_to_response(self.get_context_data(form=self.form())),
                    message="Долю изменил другой пользователь, пока вы редактировали форму: "
                    "подразделения не сохранены. Ниже — текущие значения; повторите.",
                )
            except ValidationError as refused:
                form.add_error("units", refused)
            else:
                return self.saved(changed)
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response

    def saved(self, changed: bool):
        if not changed:
            messages.info(self.request, "Ответственные подразделения не изменились.")
        else:
            names = [r.display() for r in collective.named_units(self.measure)]
            messages.success(
                self.request,
                f"{collective.UNITS_REASON}: {'; '.join(names)}."
                if names
                else "Ответственные подразделения сняты: за долю отвечает уполномоченное лицо "
                "органа власти.",
            )
        return redirect("roadmaps:item_detail", pk=self.measure.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.measure, **kwargs)
