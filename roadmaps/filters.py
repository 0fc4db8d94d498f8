"""Filters of the deadlines board and of the list of plans. Every choice list is limited to what
the user may see."""

from __future__ import annotations

from textwrap import shorten

import django_filters
from django import forms
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from portal.params import SearchFilter
from portal.scoping import restrict
from portal.widgets import style_filters
from registry.filters import ChoiceAutocomplete
from registry.models import Organization
from roadmaps.choices import DeadlineState
from roadmaps.models import ItemResponsible, Roadmap, RoadmapItem
from roadmaps.services import deadlines


def owners(request):
    roadmaps = restrict(Roadmap, request.user)
    return Organization.objects.filter(pk__in=roadmaps.values("owner_id")).order_by("full_name")


def sections(request):
    return (
        restrict(RoadmapItem, request.user)
        .filter(is_section=True, parent__isnull=True)
        .select_related("roadmap")
        .order_by("roadmap__owner__full_name", "roadmap_id", "sort_key")
    )


def responsible_bodies(request):
    """Bodies named as responsible, and the successors of reorganized ones."""
    named = restrict(ItemResponsible, request.user)
    return Organization.objects.filter(
        Q(pk__in=named.values("organization_id"))
        | Q(pk__in=named.values("organization__successor_id"))
    ).order_by("full_name")


def section_label(section: RoadmapItem) -> str:
    roadmap = section.roadmap
    # Cut at a word, with an ellipsis (the section's text was cut mid-word).
    where = (
        f"Прил. {roadmap.appendix_number}"
        if roadmap.appendix_number
        else shorten(str(roadmap), 40, placeholder="…")
    )
    return f"{where} · {section.number} {shorten(section.text, 60, placeholder='…')}"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def owner_filter(field_name: str):
    """The plan's owner, of the plans the user sees. Thousands of choices at national scale:
    chosen as one types (views.autocomplete)."""
    return django_filters.ModelChoiceFilter(
        label="Орган власти (чей план)",
        queryset=owners,
        field_name=field_name,
        widget=ChoiceAutocomplete("roadmaps:owner_autocomplete"),
    )


class RoadmapFilterSet(django_filters.FilterSet):
    """The list of plans: words of the title, the owner (?authority=, as on the deadlines
    board), only the typical plans."""

    title = SearchFilter(label="Наименование", lookup_expr="icontains")
    authority = owner_filter("owner")
    typical = django_filters.BooleanFilter(
        label="Только типовые", method="filter_typical", widget=forms.CheckboxInput
    )

    class Meta:
        model = Roadmap
        fields = ["title", "authority", "typical"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_filters(self.form)

    def filter_typical(self, queryset, name, value):
        return queryset.filter(is_template=True) if value else queryset


class DeadlineFilterSet(django_filters.FilterSet):
    authority = owner_filter("roadmap__owner")
    section = django_filters.ModelChoiceFilter(
        label="Раздел",
        queryset=sections,
        method="filter_section",
        widget=ChoiceAutocomplete("roadmaps:section_autocomplete", forward=["authority"]),
    )
    responsible = django_filters.ModelChoiceFilter(
        label="Ответственный",
        queryset=responsible_bodies,
        method="filter_responsible",
        widget=ChoiceAutocomplete("roadmaps:responsible_autocomplete"),
    )
    deadline_from = django_filters.DateFilter(
        label="Срок с", field_name="deadline_date", lookup_expr="gte", widget=DateInput()
    )
    deadline_to = django_filters.DateFilter(
        label="Срок по", field_name="deadline_date", lookup_expr="lte", widget=DateInput()
    )
    # A WHERE of the state's thresholds on today (board.items), applied by the view after the
    # counts, which stay those of every state.
    state = django_filters.ChoiceFilter(label="Срок", choices=DeadlineState.choices, method="keep")
    within = django_filters.NumberFilter(
        label="«Срок скоро» — дней до срока",
        help_text=(
            f"Мероприятие со сроком в ближайшие столько дней отмечается «срок скоро»: "
            f"от 0 до 366, по умолчанию {deadlines.DUE_SOON_DAYS}."
        ),
        method="keep",
        min_value=0,
        max_value=366,  # also the input's min and max (Django's number widget)
    )

    class Meta:
        model = RoadmapItem
        fields = ["authority", "section", "responsible", "deadline_from", "deadline_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["section"].label_from_instance = section_label
        style_filters(self.form)

    def keep(self, queryset, name, value):
        return queryset

    @extend_schema_field(OpenApiTypes.INT)  # the API's schema: the section's id
    def filter_section(self, queryset, name, section):
        return queryset.filter(roadmap_id=section.roadmap_id).filter(
            Q(sort_key__startswith=section.sort_key + ".") | Q(pk=section.pk)
        )

    @extend_schema_field(OpenApiTypes.INT)  # the API's schema: the body's id
    def filter_responsible(self, queryset, name, body):
        """The body itself, and a reorganized body it succeeded ("с 05.06.2024 — …")."""
        named = ItemResponsible.objects.filter(
            Q(organization=body) | Q(organization__successor=body)
        )
        return queryset.filter(pk__in=named.values("item_id"))

    def within_days(self) -> int:
        value = self.form.cleaned_data.get("within") if self.is_valid() else None
        return deadlines.DUE_SOON_DAYS if value is None else int(value)

    def chosen_state(self) -> str | None:
        return (self.form.cleaned_data.get("state") or None) if self.is_valid() else None
