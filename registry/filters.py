"""Filters of the registry list. Every choice list is limited to what the user may see."""

from __future__ import annotations

import json

import django_filters
from dal import autocomplete
from django import forms
from django.db.models import F, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from portal.params import MAX_ID, SearchFilter
from portal.widgets import ALL_CHOICES, style_filters
from registry.models import (
    CampaignParticipant,
    CatalogueFigures,
    Organization,
    Process,
    ProcessGroup,
    ProcessKind,
    Proposal,
    ProposalState,
    ReengineeringStatus,
    TypicalProcess,
)
from registry.models.organizations import ROOT_KINDS


def _editions_of(request):
    """The one edition the user's choices come from (None: he reads several)."""
    return request.user.edition


def _by_edition(qs, request, path="edition"):
    edition = _editions_of(request)
    return qs.filter(**{path: edition}) if edition is not None else qs


def authorities(request):
    return Organization.objects.visible_to(request.user).authorities().order_by("full_name")


def units(request):
    return (
        Organization.objects.visible_to(request.user)
        .units()
        .select_related("authority")
        .order_by("authority__full_name", "full_name")
    )


def groups(request):
    return _by_edition(ProcessGroup.objects.select_related("edition"), request)


def typical_processes(request):
    return _by_edition(
        TypicalProcess.objects.select_related("group__edition"), request, "group__edition"
    )


def statuses(request):
    return _by_edition(ReengineeringStatus.objects.select_related("edition"), request)


def kinds(request):
    return _by_edition(ProcessKind.objects.select_related("edition"), request)


def catalogue_label(request):
    """A catalogue entry's label; with its edition for a user who sees several editions."""
    mixed = request is None or _editions_of(request) is None

    def label(obj):
        text = str(obj)
        if mixed:
            edition = obj.edition if hasattr(obj, "edition") else obj.group.edition
            text = f"{text} ({edition.label})"
        return text

    return label


class ChoiceAutocomplete(autocomplete.ModelSelect2):
    """A select of thousands of choices (django-autocomplete-light): only the chosen one is
    rendered, the others come from `url` as one types (registry/views/autocomplete.py).

    Under the Content-Security-Policy: jQuery from the admin's copy, select2 styled by a
    static file, and the forward configuration hidden by an attribute rather than by the
    library's style="display:none" (a style attribute the policy refuses)."""

    def __init__(self, url, forward=None):
        # data-width: select2 takes the column's width, not the select's width at page load
        attrs = {"data-placeholder": ALL_CHOICES, "data-width": "100%"}
        super().__init__(url=url, forward=forward, attrs=attrs)

    @property
    def media(self):
        # jQuery before select2, our styles after the library's
        jquery = forms.Media(js=["admin/js/vendor/jquery/jquery.js"])
        return jquery + super().media + forms.Media(css={"screen": ["registry/autocomplete.css"]})

    def filter_choices_to_render(self, selected_choices):
        # Only ids a database column can hold: «?unit=99999999999999999999» is the filter's
        # error on the page, not an overflow while rendering the chosen option.
        super().filter_choices_to_render(
            [c for c in selected_choices if str(c).isdecimal() and int(c) <= MAX_ID]
        )

    def render_forward_conf(self, id):
        if not self.forward:
            return ""
        conf = json.dumps([self._make_forward_dict(f) for f in self.forward])
        return format_html(
            '<div hidden class="dal-forward-conf" id="dal-forward-conf-for_{}">'
            '<script type="text/dal-forward-conf">{}</script></div>',
            self.attrs.get("id", id),
            mark_safe(conf),  # field names of this module, not user input
        )


class ListedChoices(django_filters.fields.ModelChoiceIterator):
    """A select's choices read as one list. Django reads them with QuerySet.iterator(), a
    server-side cursor on PostgreSQL: DECLARE, FETCH and CLOSE, three round trips for a few
    dozen catalogue entries (the registry list's three selects: 9 of its round trips)."""

    def __iter__(self):
        # django-filter's order: the empty choice, its null choice, then the rows
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.field.entries():
            yield self.choice(obj)


class ListedChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ListedChoices

    def entries(self) -> list:
        """The rows offered, read once for this form (one request's): the registry page's
        rows take their entries from them too (registry.views.processes)."""
        queryset = self.queryset
        if getattr(self, "_entries_of", None) is not queryset:
            self._entries, self._entries_of = list(queryset), queryset
        return self._entries


class ListedChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ListedChoiceField


def choice(label: str, queryset, url: str | None = None, forward=None):
    """A filter by one row of a list («— все —»: no filter); with `url`, chosen as one types."""
    if url:
        return django_filters.ModelChoiceFilter(
            label=label, queryset=queryset, widget=ChoiceAutocomplete(url, forward=forward)
        )
    return ListedChoiceFilter(label=label, queryset=queryset)


class ProcessFilterSet(django_filters.FilterSet):
    q = SearchFilter(
        label="Поиск",
        method="search",
        widget=forms.TextInput(
            attrs={"placeholder": "Название функции, процесса, регулирующий акт…", "type": "search"}
        ),
    )
    # Thousands of authorities and units at national scale: chosen as one types.
    authority = choice("Орган власти", authorities, "registry:authority_autocomplete")
    unit = choice(
        "Структурное подразделение", units, "registry:unit_autocomplete", forward=["authority"]
    )
    group = choice("Группа процессов", groups)
    typical_process = choice(
        "Типовой процесс",
        typical_processes,
        "registry:typical_process_autocomplete",
        forward=["group"],
    )
    status = choice("Статус процесса", statuses)
    kind = choice("Вид процесса", kinds)
    is_non_typical = django_filters.BooleanFilter(
        label="Нетиповые процессы",
        widget=forms.Select(
            choices=[("", ALL_CHOICES), ("true", "только нетиповые"), ("false", "только типовые")]
        ),
    )
    # Item 8(2) of the Procedure: kept on the row, outside the 14 columns.
    is_interdepartmental = django_filters.BooleanFilter(
        label="Межведомственные процессы",
        widget=forms.Select(
            choices=[
                ("", ALL_CHOICES),
                ("true", "только межведомственные"),
                ("false", "только внутриведомственные"),
            ]
        ),
    )
    excluded = django_filters.ChoiceFilter(
        label="Исключенные из реестра",
        method="filter_excluded",
        empty_label=None,
        choices=[("hide", "не показывать"), ("with", "показывать"), ("only", "только исключенные")],
    )

    class Meta:
        model = Process
        fields = ["q", "authority", "unit", "group", "typical_process", "status", "kind"]

    def __init__(self, data=None, *args, **kwargs):
        # Always bound, so that excluded rows are hidden unless asked for.
        data = (data or QueryDict()).copy()
        data.setdefault("excluded", "hide")
        super().__init__(data, *args, **kwargs)
        request = kwargs.get("request")
        for name in ("group", "typical_process", "status", "kind"):
            self.form.fields[name].label_from_instance = catalogue_label(request)
        style_filters(self.form)
        if request is not None and not request.user.sees_all_authorities:
            # One authority only: its filter would offer a single choice.
            self.form.fields["authority"].widget = forms.HiddenInput()

    def catalogue_entries(self, name: str) -> dict:
        """The entries a catalogue select (group, status, kind) offers, by id."""
        return {entry.pk: entry for entry in self.form.fields[name].entries()}

    def search(self, queryset, name, value):
        return queryset.search(value)

    def filter_excluded(self, queryset, name, value):
        if value == "with":
            return queryset
        if value == "only":
            return queryset.filter(is_excluded=True)
        return queryset.filter(is_excluded=False)


class ProposalFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label="Состояние", choices=ProposalState.choices)
    # As the registry list's: thousands of authorities and units, chosen as one types.
    authority = choice("Орган власти", authorities, "registry:authority_autocomplete")
    unit = choice("Подразделение", units, "registry:unit_autocomplete", forward=["authority"])
    overdue = django_filters.BooleanFilter(
        label="Проверка просрочена",
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Proposal
        fields = ["state", "authority", "unit", "overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_filters(self.form)

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(state=ProposalState.SUBMITTED, review_due__lt=timezone.localdate())


def regions(request):
    """Regions and municipalities: the parents of authorities (90 in the country)."""
    return Organization.objects.filter(kind__in=ROOT_KINDS).order_by("full_name")


def region_filter():
    return django_filters.ModelChoiceFilter(
        label="Регион или муниципальное образование",
        queryset=regions,
        field_name="authority__parent",
    )


def name_filter():
    return SearchFilter(
        label="Орган власти", field_name="authority__full_name", lookup_expr="icontains"
    )


class AuthorityFiguresFilterSet(django_filters.FilterSet):
    """The filter of a national page of stored figures per authority (catalogue coverage,
    segmentation coverage): the region, a part of the authority's name, the incomplete."""

    region = region_filter()
    q = name_filter()
    incomplete = django_filters.BooleanFilter(
        label="Только неполный охват", method="filter_incomplete", widget=forms.CheckboxInput
    )
    # what "incomplete" means for the model: a Q over its fields
    incomplete_condition = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_filters(self.form)

    def filter_incomplete(self, queryset, name, value):
        return queryset.filter(self.incomplete_condition) if value else queryset


class CatalogueFiguresFilterSet(AuthorityFiguresFilterSet):
    incomplete_condition = Q(typicals_covered__lt=F("typicals_total")) | Q(
        groups_covered__lt=F("groups_total")
    )

    class Meta:
        model = CatalogueFigures
        fields = ["region", "q", "incomplete"]


class CampaignAnswersFilterSet(django_filters.FilterSet):
    """The dashboard's table of answers per authority: the region, a part of the name, only
    the authorities with unanswered units."""

    region = region_filter()
    q = name_filter()
    unanswered = django_filters.BooleanFilter(
        label="Только с неответившими", method="filter_unanswered", widget=forms.CheckboxInput
    )

    class Meta:
        model = CampaignParticipant
        fields = ["region", "q", "unanswered"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_filters(self.form)

    def filter_unanswered(self, queryset, name, value):
        return queryset.filter(waiting__gt=0) if value else queryset
