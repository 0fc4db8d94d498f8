"""The lists of segment profiles, touchpoints and satisfaction assessments (django-tables2):
the columns the segmentation page always showed; as XLSX the same columns as text."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join

from registry.tables import AuthorityFiguresTable, by_authority, share_bar
from segmentation.models import (
    SatisfactionAssessment,
    SegmentationFigures,
    SegmentProfile,
    Touchpoint,
)

TABLE_CLASS = "table table-sm align-top"


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


class RecordTable(tables.Table):
    """The columns and settings every segmentation list shares."""

    authority = tables.Column("Орган власти", accessor="authority__display_name")

    class Meta:
        fields = ()
        orderable = False
        default = ""
        template_name = "portal/_table.html"


class ServiceRecordTable(RecordTable):
    service = tables.Column("Группа процессов / услуга", accessor="pk")

    def render_service(self, record):
        """The registry row if the record names one, else its process group."""
        if record.process_id:
            return f"{record.process.identifier}. {record.process.name}"
        return record.group.name


class ProfileTable(RecordTable):
    direction = tables.Column("Направление деятельности")
    name = tables.Column("Профиль клиентского сегмента")
    client_kind = tables.Column("Клиенты")
    attribute_count = tables.Column("Признаков", accessor="pk")
    groups = tables.Column("Группы процессов", accessor="pk", attrs={"td": {"class": "small"}})

    class Meta(RecordTable.Meta):
        model = SegmentProfile
        attrs = {"class": TABLE_CLASS, "data-testid": "profiles"}
        empty_text = "Профилей нет."

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


class TouchpointTable(ServiceRecordTable):
    class Meta(RecordTable.Meta):
        model = Touchpoint
        attrs = {"class": TABLE_CLASS, "data-testid": "touchpoints"}
        empty_text = "Точек взаимодействия нет."

    channel = tables.Column("Канал")
    place = tables.Column("Место или система")
    description = tables.Column("Описание", attrs={"td": {"class": "small"}})
    buttons = RecordButtons("touchpoint")


class AssessmentTable(ServiceRecordTable):
    class Meta(RecordTable.Meta):
        model = SatisfactionAssessment
        attrs = {"class": TABLE_CLASS, "data-testid": "assessments"}
        empty_text = "Оценок нет."

    period = tables.Column("Период", accessor="pk", attrs={"td": {"class": "text-nowrap"}})
    method = tables.Column("Метод, выборка")
    result = tables.Column("Результат")
    problems = tables.Column("Выявленные проблемы", attrs={"td": {"class": "small"}})
    actions = tables.Column("Принятые меры", attrs={"td": {"class": "small"}})
    buttons = RecordButtons("assessment")

    def render_period(self, record):
        return f"{record.period_start:%d.%m.%Y}–{record.period_end:%d.%m.%Y}"

    def render_method(self, record, value):
        return f"{value}, {record.sample_size} чел."

    def render_result(self, record, value):
        if record.satisfied_share is None:
            return value
        return f"{value} ({localize(record.satisfied_share)} %)"


class SegmentationFiguresTable(AuthorityFiguresTable):
    services = tables.Column(
        verbose_name="Услуг в реестре",
        attrs={"td": {"class": "text-end"}},
        order_by=by_authority("services"),
    )
    profile = tables.Column(
        verbose_name="С профилем клиентского сегмента",
        order_by=by_authority("profile"),
    )
    touchpoints = tables.Column(
        verbose_name="С точками взаимодействия",
        order_by=by_authority("touchpoints"),
    )
    assessment = tables.Column(
        verbose_name="С оценкой удовлетворенности",
        order_by=by_authority("assessment"),
    )
    groups_complete = tables.Column(
        verbose_name="Групп с полным охватом",
        order_by=by_authority("groups_complete"),
    )
    percent = tables.Column(
        verbose_name="Охват, %",
        attrs={"td": {"class": "text-end"}},
        order_by=by_authority("percent"),
    )
    detail_url = "segmentation:coverage"

    class Meta:
        model = SegmentationFigures
        fields = (
            "authority",
            "region",
            "services",
            "profile",
            "touchpoints",
            "assessment",
            "groups_complete",
            "percent",
        )
        order_by = ("percent",)
        attrs = {"class": "table table-sm table-hover align-top", "data-testid": "coverage"}
        empty_text = "Нет рассчитанных сведений."

    def _share(self, record, covered, label):
        total = record.services
        return share_bar(covered, total, 100 * covered / total if total else 0, label)

    def render_profile(self, record, value):
        return self._share(record, value, "Профиль")

    def render_touchpoints(self, record, value):
        return self._share(record, value, "Точки взаимодействия")

    def render_assessment(self, record, value):
        return self._share(record, value, "Оценка")

    def render_groups_complete(self, record, value):
        return f"{value} из {record.groups_with_services}"

    def render_percent(self, value):
        return f"{value:.1f}"

    def value_profile(self, record, value):
        return f"{value} из {record.services}"

    value_touchpoints = value_assessment = value_profile
