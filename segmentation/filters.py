"""Filters of the segmentation lists. Every choice list is limited to what the user may see;
archived records are listed only when asked for (?archived=1), as the page always did."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F, Q
from django.http import QueryDict

from portal.widgets import style_filters
from registry.filters import AuthorityFiguresFilterSet
from registry.models import Organization, ProcessGroup
from segmentation.choices import Channel, ClientKind
from segmentation.models import (
    SatisfactionAssessment,
    SegmentationFigures,
    SegmentProfile,
    Touchpoint,
)


def authorities(request):
    return Organization.objects.visible_to(request.user).authorities().order_by("full_name")


def groups(request):
    """The groups of the user's edition (every edition for those who read several)."""
    groups = ProcessGroup.objects.select_related("edition").order_by("edition", "order")
    edition = request.user.edition
    return groups if edition is None else groups.filter(edition=edition)


class RecordFilterSet(django_filters.FilterSet):
    authority = django_filters.ModelChoiceFilter(label="Орган власти", queryset=authorities)
    archived = django_filters.BooleanFilter(
        label="Архив", method="keep", widget=forms.CheckboxInput
    )

    def __init__(self, data=None, *args, **kwargs):
        # Always bound: without a query the list is still "not archived".
        super().__init__(QueryDict() if data is None else data, *args, **kwargs)
        style_filters(self.form)

    def keep(self, queryset, name, value):
        return queryset

    def archived_chosen(self) -> bool:
        return bool(self.is_valid() and self.form.cleaned_data.get("archived"))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.filter(is_archived=self.archived_chosen())


class ProfileFilterSet(RecordFilterSet):
    client_kind = django_filters.ChoiceFilter(label="Клиенты", choices=ClientKind.choices)

    class Meta:
        model = SegmentProfile
        fields = ["authority", "client_kind", "archived"]


class ServiceFilterSet(RecordFilterSet):
    group = django_filters.ModelChoiceFilter(label="Группа процессов", queryset=groups)


class TouchpointFilterSet(ServiceFilterSet):
    channel = django_filters.ChoiceFilter(label="Канал", choices=Channel.choices)

    class Meta:
        model = Touchpoint
        fields = ["authority", "group", "channel", "archived"]


class AssessmentFilterSet(ServiceFilterSet):
    class Meta:
        model = SatisfactionAssessment
        fields = ["authority", "group", "archived"]


class SegmentationFiguresFilterSet(AuthorityFiguresFilterSet):
    incomplete_condition = Q(groups_complete__lt=F("groups_with_services"))

    class Meta:
        model = SegmentationFigures
        fields = ["region", "q", "incomplete"]
