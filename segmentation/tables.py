"""The lists of segment profiles, touchpoints and satisfaction assessments (django-tables2):
the columns the segmentation page always showed; as XLSX the same columns as text."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join

from segmentation.models import SatisfactionAssessment, SegmentProfile, Touchpoint

TABLE_CLASS = "table table-sm align-top"
SERVICE = "Группа процессов / услуга"


def service_label(record) -> str:
    """The registry row if the record names one, else its process group."""
    if record.process_id:
        return f"{record.process.identifier}. {record.process.name}"
    return record.group.name


class RecordButtons(tables.TemplateColumn):
    """Изменить / В архив: the record's own authority (and an administrator) only."""

    def __init__(self, kind: str):
        super().__init__(
            template_name="segmentation/_record_buttons.html",
            extra_context={"kind": kind},
            verbose_name="",
            orderable=False,
            exclude_from_export=True,
            attrs={"td": {"class": "d-flex gap-1"}},
        )


class ProfileTable(tables.Table):
    authority = tables.Column("Орган власти", accessor="authority__display_name")
    direction = tables.Column("Направление деятельности")
    name = tables.Column("Профиль клиентского сегмента")
    client_kind = tables.Column("Клиенты")
    attribute_count = tables.Column("Признаков", accessor="pk")
    groups = tables.Column("Группы процессов", accessor="pk", attrs={"td": {"class": "small"}})

    class Meta:
        model = SegmentProfile
        fields = ()
        orderable = False
        attrs = {"class": TABLE_CLASS, "data-testid": "profiles"}
        default = ""
        empty_text = "Профилей нет."
        template_name = "django_tables2/bootstrap5.html"

    def render_name(self, record, value):
        url = reverse("segmentation:profile_detail", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, value)

    def value_name(self, value):
        return value

    def render_attribute_count(self, record):
        return len(record.attributes.all())

    def render_groups(self, record):
        return format_html_join("", "<div>{}</div>", ((g.name,) for g in record.groups.all()))

    def value_groups(self, record):
        return "; ".join(g.name for g in record.groups.all())


class TouchpointTable(tables.Table):
    authority = tables.Column("Орган власти", accessor="authority__display_name")
    service = tables.Column(SERVICE, accessor="pk")
    channel = tables.Column("Канал")
    place = tables.Column("Место или система")
    description = tables.Column("Описание", attrs={"td": {"class": "small"}})
    buttons = RecordButtons("touchpoint")

    class Meta:
        model = Touchpoint
        fields = ()
        orderable = False
        attrs = {"class": TABLE_CLASS, "data-testid": "touchpoints"}
        default = ""
        empty_text = "Точек взаимодействия нет."
        template_name = "django_tables2/bootstrap5.html"

    def render_service(self, record):
        return service_label(record)


class AssessmentTable(tables.Table):
    authority = tables.Column("Орган власти", accessor="authority__display_name")
    service = tables.Column(SERVICE, accessor="pk")
    period = tables.Column("Период", accessor="pk", attrs={"td": {"class": "text-nowrap"}})
    method = tables.Column("Метод, выборка")
    result = tables.Column("Результат")
    problems = tables.Column("Выявленные проблемы", attrs={"td": {"class": "small"}})
    actions = tables.Column("Принятые меры", attrs={"td": {"class": "small"}})
    buttons = RecordButtons("assessment")

    class Meta:
        model = SatisfactionAssessment
        fields = ()
        orderable = False
        attrs = {"class": TABLE_CLASS, "data-testid": "assessments"}
        default = ""
        empty_text = "Оценок нет."
        template_name = "django_tables2/bootstrap5.html"

    def render_service(self, record):
        return service_label(record)

    def render_period(self, record):
        return f"{record.period_start:%d.%m.%Y}–{record.period_end:%d.%m.%Y}"

    def render_method(self, record, value):
        return f"{value}, {record.sample_size} чел."

    def render_result(self, record, value):
        if record.satisfied_share is None:
            return value
        return f"{value} ({localize(record.satisfied_share)} %)"
