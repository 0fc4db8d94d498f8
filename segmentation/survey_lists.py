"""The list of surveys (django-filter, django-tables2): apart from filters.py and tables.py,
whose records are the segmentation form's own."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from segmentation.filters import ServiceFilterSet
from segmentation.models import Survey
from segmentation.tables import TABLE_CLASS, RecordTable, ServiceRecordTable


class SurveyFilterSet(ServiceFilterSet):
    class Meta:
        model = Survey
        fields = ["authority", "group", "archived"]


class SurveyTable(ServiceRecordTable):
    class Meta(RecordTable.Meta):
        model = Survey
        attrs = {"class": TABLE_CLASS, "data-testid": "surveys"}
        empty_text = "Анкет нет."

    title = tables.Column("Анкета")
    period = tables.Column(
        "Принимает ответы", accessor="pk", attrs={"td": {"class": "text-nowrap"}}
    )
    state = tables.Column("Состояние", accessor="pk")
    answer_count = tables.Column("Ответов", attrs={"td": {"class": "text-end"}})
    link = tables.Column("Короткая ссылка", accessor="code")

    def render_title(self, record, value):
        url = reverse("segmentation:survey_detail", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, value)

    def value_title(self, value):
        return value

    def render_period(self, record):
        return f"{record.starts_on:%d.%m.%Y}–{record.ends_on:%d.%m.%Y}"

    def render_state(self, record):
        return record.state()

    def render_link(self, value):
        url = reverse("survey_public", args=[value])
        return format_html('<a href="{}">{}</a>', url, url)

    def value_link(self, value):
        return reverse("survey_public", args=[value])
