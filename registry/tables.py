"""The registry list as a django-tables2 table, one column per column of the typical form."""

from __future__ import annotations

from functools import partialmethod

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from registry.columns import COLUMNS
from registry.models import AnswerState, CatalogueFigures, Process, Proposal
from registry.models.processes import SORTS

DEFAULT_COLUMNS = (
    "identifier",
    "authority",
    "unit",
    "function_name",
    "group",
    "name",
    "responsible",
    "status",
    "kind",
)
ALWAYS_VISIBLE = ("identifier",)


class ProcessTable(tables.Table):
    identifier = tables.Column(
        linkify=lambda table, record: table.row_url(record),
        # unique tie-breaks: pages do not overlap, and each order has its index (issue 13)
        order_by=("identifier_number", "identifier", "id"),
        attrs={"td": {"class": "text-nowrap"}},
    )
    authority = tables.Column(
        verbose_name="Орган власти",
        accessor="authority__display_name",
        order_by=("authority__full_name", "authority__id", "identifier_number", "id"),
    )
    unit = tables.Column(
        verbose_name="Структурное подразделение",
        accessor="unit__display_name",
        order_by=("unit__full_name", "unit__id", "identifier_number", "id"),
    )
    life_situation = tables.Column()
    function_name = tables.Column(attrs={"td": {"class": "wide"}})
    client = tables.Column()
    regulating_act = tables.Column()
    group = tables.Column()
    name = tables.Column(attrs={"td": {"class": "wide"}}, accessor="name")
    responsible = tables.Column()
    status = tables.Column()
    input_data = tables.Column()
    output_data = tables.Column()
    links = tables.Column(accessor="pk", orderable=False)
    kind = tables.Column()
    placement = tables.Column(accessor="pk", orderable=False)

    class Meta:
        model = Process
        fields = ()
        # Column 1 of the form, who keeps the row, then columns 2 … 14.
        sequence = (
            COLUMNS[0].table_column,
            "authority",
            "unit",
            *(column.table_column for column in COLUMNS[1:]),
        )
        attrs = {"class": "table table-sm table-hover align-top registry-table"}
        row_attrs = {
            "class": lambda record: "table-secondary excluded-row" if record.is_excluded else ""
        }
        empty_text = "Процессов, отвечающих условиям отбора, нет."

    _row_url = None

    def __init__(self, *args, columns=None, **kwargs):
        super().__init__(*args, **kwargs)
        for column in COLUMNS:
            name = column.table_column
            if name in self.columns and columns and column.number in columns:
                self.columns[name].column.verbose_name = column.label(columns)

    def row_url(self, record) -> str:
        """The row's page (Process.get_absolute_url()), reversed once a table, not per row."""
        if self._row_url is None:
            self._row_url = reverse("registry:process_detail", args=[0]).removesuffix("0/")
        return f"{self._row_url}{record.pk}/"

    def order_keys(self, column: str, queryset, is_descending: bool):
        """Sorts by the keys one index of the rows holds in this order (Process SORTS)."""
        # rows without a value last, then first: PostgreSQL's default, which its index holds
        # (SQLite's default is the other way round)
        keys = [
            key.desc(nulls_first=True) if is_descending else key.asc(nulls_last=True)
            for key in SORTS[column]
        ]
        return queryset.order_by(*keys), True

    # django-tables2 calls order_<column>(queryset, is_descending) where a table has one
    order_life_situation = partialmethod(order_keys, "life_situation")
    order_function_name = partialmethod(order_keys, "function_name")
    order_client = partialmethod(order_keys, "client")
    order_regulating_act = partialmethod(order_keys, "regulating_act")
    order_group = partialmethod(order_keys, "group")
    order_name = partialmethod(order_keys, "name")
    order_responsible = partialmethod(order_keys, "responsible")
    order_status = partialmethod(order_keys, "status")
    order_input_data = partialmethod(order_keys, "input_data")
    order_output_data = partialmethod(order_keys, "output_data")
    order_kind = partialmethod(order_keys, "kind")

    def render_name(self, record, value):
        if record.is_non_typical:
            return format_html('{} <span class="badge text-bg-warning">нетиповой</span>', value)
        return format_html("{} {}", record.typical_process.code, value)

    def render_identifier(self, record, value):
        if record.is_excluded:
            return format_html('{} <span class="badge text-bg-secondary">исключен</span>', value)
        return value

    def render_group(self, record, value):
        return str(value)

    def render_links(self, record):
        text = record.links_text() or "—"
        if any(other.is_excluded for other, _ in record.related_links()):
            return format_html(
                '{} <span class="badge text-bg-warning">связь с исключенным</span>', text
            )
        return text

    def render_placement(self, record):
        points = format_html_join(
            "", "<div>{}</div>", ((p.name,) for p in record.placement_points.all())
        )
        if record.placement_url:
            points = format_html(
                '{}<div><a href="{}" rel="noopener" target="_blank">{}</a></div>',
                points,
                record.placement_url,
                record.placement_url,
            )
        return points or "—"


_choices: dict[tuple, list[tuple[str, str]]] = {}


def column_choices(table_class=ProcessTable, columns=None) -> list[tuple[str, str]]:
    """(column, header) of every column in the edition of `columns` (edition_columns()).
    Remembered by the headers' text (a table is built for it: ~5 ms a page otherwise); a
    header changed in the database is a new key."""
    key = (table_class, tuple(sorted((n, c.header) for n, c in (columns or {}).items())))
    if key not in _choices:
        table = table_class([], columns=columns)
        _choices[key] = [
            (name, str(table.columns[name].header)) for name in table_class._meta.sequence
        ]
    return _choices[key]


class ProposalTable(tables.Table):
    pk = tables.Column(verbose_name="№", linkify=True, attrs={"td": {"class": "text-nowrap"}})
    authority = tables.Column(accessor="authority__display_name", order_by="authority__full_name")
    unit = tables.Column(accessor="unit__display_name", order_by="unit__full_name")
    author = tables.Column()
    state = tables.Column()
    item_count = tables.Column(verbose_name="Строк", orderable=False)
    submitted_at = tables.DateTimeColumn(format="d.m.Y")
    review_due = tables.DateColumn(format="d.m.Y")
    decided_at = tables.DateTimeColumn(format="d.m.Y")

    class Meta:
        model = Proposal
        fields = (
            "pk",
            "authority",
            "unit",
            "author",
            "state",
            "item_count",
            "submitted_at",
            "review_due",
            "decided_at",
        )
        order_by = ("-submitted_at",)
        attrs = {"class": "table table-sm table-hover align-top", "data-testid": "proposals"}
        row_attrs = {"class": lambda record: "table-danger" if record.review_overdue else ""}
        empty_text = "Предложений нет."

    def render_review_due(self, record, value):
        if value is None:
            return "—"
        if record.review_overdue:
            return format_html(
                '{:%d.%m.%Y} <span class="badge text-bg-danger">просрочено</span>', value
            )
        return f"{value:%d.%m.%Y}"


def share_bar(covered: int, total: int, percent: float, label: str):
    """«N из M» over a thin bar (the page's CSS sets the width from data-bar-width)."""
    return format_html(
        '{} из {}<div class="progress progress-thinner mt-1" role="progressbar" '
        'aria-label="{}" aria-valuenow="{}" aria-valuemin="0" aria-valuemax="{}">'
        '<div class="progress-bar bg-success" data-bar-width="{}"></div></div>',
        covered,
        total,
        label,
        covered,
        total,
        f"{percent:.2f}",
    )


def by_authority(*keys: str) -> tuple[str, ...]:
    """An order that ends in the authority's name and id: many authorities share a figure,
    and pages of equal ones must neither overlap nor skip."""
    return (*keys, "authority__full_name", "authority_id")


class AuthorityFiguresTable(tables.Table):
    """A page of stored figures per authority; the authority links to its own page
    (`detail_url`: the coverage page with ?authority=)."""

    authority = tables.Column(
        accessor="authority__full_name",
        verbose_name="Орган власти",
        order_by=by_authority(),
    )
    region = tables.Column(
        accessor="authority__parent__full_name",
        verbose_name="Регион (муниципальное образование)",
        order_by=by_authority("authority__parent__full_name"),
    )
    detail_url = ""
    _detail = None

    def render_authority(self, record, value):
        if self._detail is None:  # reversed once a page, not once a row
            self._detail = reverse(self.detail_url)
        url = f"{self._detail}?authority={record.authority_id}"
        return format_html('<a href="{}">{}</a>', url, value)

    def value_authority(self, value):
        return value


class CatalogueFiguresTable(AuthorityFiguresTable):
    rows = tables.Column(
        verbose_name="Строк реестра",
        attrs={"td": {"class": "text-end"}},
        order_by=by_authority("rows"),
    )
    reengineered = tables.Column(
        attrs={"td": {"class": "text-end"}},
        order_by=by_authority("reengineered"),
    )
    groups_covered = tables.Column(
        verbose_name="Групп перечня в реестре",
        order_by=by_authority("groups_covered"),
    )
    typicals_covered = tables.Column(
        verbose_name="Типовых процессов в реестре",
        order_by=by_authority("percent"),
    )
    detail_url = "registry:coverage"

    class Meta:
        model = CatalogueFigures
        fields = (
            "authority",
            "region",
            "rows",
            "reengineered",
            "groups_covered",
            "typicals_covered",
        )
        order_by = ("typicals_covered",)
        attrs = {"class": "table table-sm table-hover align-top", "data-testid": "coverage"}
        empty_text = "Нет рассчитанных сведений."

    def render_groups_covered(self, record):
        total = record.groups_total
        return share_bar(
            record.groups_covered,
            total,
            100 * record.groups_covered / total if total else 0,
            "Группы",
        )

    def value_groups_covered(self, record):
        return f"{record.groups_covered} из {record.groups_total}"

    def render_typicals_covered(self, record):
        return share_bar(record.typicals_covered, record.typicals_total, record.percent, "Охват")

    def value_typicals_covered(self, record):
        return f"{record.typicals_covered} из {record.typicals_total} ({record.percent:.1f} %)"


def answer_bars(record) -> list[tuple[str, str, int, float]]:
    """(state, label, count, percent) of one row of answers_per_authority()."""
    total = record["total"]
    return [
        (s.value, s.label, record[s.value], 100 * record[s.value] / total if total else 0)
        for s in AnswerState
    ]


class CampaignAnswersTable(tables.Table):
    """The dashboard of a campaign: answers per authority (rows of answers_per_authority());
    the authority links to its participants. `campaign` and `overdue` (the term has passed:
    every unanswered unit is overdue) are set by the view."""

    authority = tables.Column(
        accessor="authority__full_name",
        verbose_name="Орган власти",
        order_by=by_authority(),
    )
    region = tables.Column(
        accessor="authority__parent__full_name",
        verbose_name="Регион (муниципальное образование)",
        order_by=by_authority("authority__parent__full_name"),
    )
    answers = tables.Column(
        accessor="total",
        verbose_name="Ответы подразделений",
        exclude_from_export=True,
        order_by=by_authority("total"),
    )
    proposal = tables.Column(
        verbose_name="Предложение",
        attrs={"td": {"class": "text-end"}},
        order_by=by_authority("proposal"),
    )
    no_changes = tables.Column(
        verbose_name="Изменений нет",
        attrs={"td": {"class": "text-end"}},
        order_by=by_authority("no_changes"),
    )
    waiting = tables.Column(
        verbose_name="Нет ответа",
        attrs={"td": {"class": "text-end"}},
        order_by=by_authority("waiting"),
    )
    total = tables.Column(
        verbose_name="Подразделений",
        attrs={"td": {"class": "text-end"}},
        order_by=by_authority("total"),
    )

    class Meta:
        # no default order here: the queryset's (most unanswered, then name, then id) holds
        attrs = {"class": "table table-sm align-middle", "data-testid": "answers-per-authority"}
        empty_text = "Участников нет."

    def __init__(self, *args, campaign=None, overdue=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign, self.overdue = campaign, overdue
        self._authority_url = None

    def render_authority(self, record, value):
        if self._authority_url is None:  # reversed once a page, not once a row
            self._authority_url = reverse(
                "registry:campaign_authority", args=[self.campaign.pk, 0]
            ).removesuffix("0/")
        return format_html(
            '<a href="{}{}/">{}</a>', self._authority_url, record["authority_id"], value
        )

    def value_authority(self, value):
        return value

    def render_answers(self, record):
        # _stacked_bar.html's markup, written here: an include per row cost 40 ms a page
        total = record["total"]
        bars = format_html_join(
            "",
            '<div class="progress" role="progressbar" aria-label="{}" aria-valuenow="{}" '
            'aria-valuemin="0" aria-valuemax="{}" data-bar-width="{}" title="{}: {}">'
            '<div class="progress-bar answer-{}">{}</div></div>',
            (
                (label, count, total, f"{share:.2f}", label, count, state, count)
                for state, label, count, share in answer_bars(record)
                if count
            ),
        )
        return format_html('<div class="progress-stacked progress-chart">{}</div>', bars)

    def render_waiting(self, value):
        if value and self.overdue:
            return format_html('<span class="badge text-bg-danger">{} просрочено</span>', value)
        return value

    def value_waiting(self, value):
        return value
