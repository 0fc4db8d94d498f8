"""The deadlines board as a django-tables2 table over board.items() (measures with their
state, already in the coordinator's order, so columns are not sortable); the list of plans."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from roadmaps.services import board, collective, deadlines

STATE_CSS = {
    "overdue": "text-bg-danger",
    "due_soon": "text-bg-warning",
    "later": "text-bg-info",
    "no_date": "text-bg-secondary",
    "done": "text-bg-success",
    "cancelled": "text-bg-light",
}


def state_badge(state) -> str:
    return format_html(
        '<span class="badge {}" data-state="{}">{}</span>',
        STATE_CSS.get(state.value, "text-bg-light"),
        state.value,
        state.label,
    )


class DeadlineTable(tables.Table):
    # «Срок» (against the deadline) and «Исполнение» (the measure's own status): two words
    # that cannot be confused, the same in the filter (filters.DeadlineFilterSet).
    state = tables.Column("Срок", accessor="board_rank", orderable=False)
    roadmap = tables.Column("Дорожная карта", accessor="roadmap", orderable=False)
    number = tables.Column("№ п/п", accessor="number", orderable=False)
    text = tables.Column(
        "Мероприятие", accessor="text", orderable=False, attrs={"td": {"class": "wide"}}
    )
    deadline = tables.Column("Срок реализации", accessor="deadline_text", orderable=False)
    responsible = tables.Column("Ответственный", accessor="pk", orderable=False, empty_values=())
    document_type = tables.Column("Вид документа", accessor="document_type", orderable=False)
    status = tables.Column("Исполнение", accessor="pk", orderable=False, empty_values=())
    evidence = tables.Column(
        "Документы", accessor="evidence_count", orderable=False, empty_values=()
    )

    class Meta:
        attrs = {"class": "table table-sm table-bordered align-top", "data-testid": "deadlines"}
        row_attrs = {"data-state": lambda record: board.state_of(record).value}
        template_name = "portal/_table.html"

    def render_state(self, value, record):
        return format_html(
            "{}<div class='small text-muted'>{}</div>",
            state_badge(board.state_of(record)),
            board.state_note(record),
        )

    def render_roadmap(self, value, record):
        owner = value.owner.display_name
        title = str(value)
        label = f"Прил. № {value.appendix_number}" if value.appendix_number else title
        # Two lines at most, ending in an ellipsis; the whole title in the tooltip.
        return format_html(
            '<a href="{}" class="text-clamp-2" title="{}">{}</a>'
            '<div class="small text-muted">{}</div>',
            reverse("roadmaps:roadmap_detail", args=[value.pk]),
            title,
            label,
            owner,
        )

    def render_number(self, value, record):
        return format_html(
            '<a href="{}" class="text-nowrap">{}</a>',
            reverse("roadmaps:item_detail", args=[record.pk]),
            value,
        )

    def render_deadline(self, value, record):
        last_day = deadlines.last_day(record)
        if last_day and last_day != record.deadline_date:
            return format_html(
                '{}<div class="small text-muted">последний день — {}</div>',
                value,
                last_day.strftime("%d.%m.%Y"),
            )
        return value

    def render_responsible(self, value, record):
        return format_html_join("", "<div>{}</div>", ((b,) for b in record.responsible_display()))

    def render_status(self, value, record):
        return record.get_status_display()


def right(**extra):
    """The attrs of a number column: aligned right in its header and cells."""
    return {"th": {"class": "text-end"}, "td": {"class": "text-end"}, **extra}


class RoadmapTable(tables.Table):
    """The list of plans (RoadmapListView): the counts come annotated from the database
    (roadmaps.views.plans.ROADMAP_LIST). Every order ends in the primary key, so that pages do
    not overlap where titles, owners or counts repeat."""

    title = tables.Column(
        "Дорожная карта", accessor="title", order_by=("title", "appendix_number", "pk")
    )
    owner = tables.Column(
        "Чей план",
        accessor="owner_display",
        order_by=("owner__full_name", "appendix_number", "title", "pk"),
    )
    legal_act = tables.Column(
        "Утверждена",
        accessor="legal_act",
        default="",
        order_by=("legal_act__date", "legal_act__number", "pk"),
        attrs={"td": {"class": "small"}},
    )
    measures = tables.Column("Мероприятий", order_by=("measures", "pk"), attrs=right())
    done = tables.Column("Исполнено", order_by=("done", "pk"), attrs=right())

    class Meta:
        # the model's order (owner, appendix number, title), which the "Чей план" column is
        order_by = ("owner",)
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "roadmaps"}
        empty_text = "Дорожных карт нет."

    def render_title(self, value, record):
        badge = (
            format_html(' <span class="badge text-bg-secondary">{}</span>', "типовой")
            if record.is_template
            else ""
        )
        parent = (
            format_html('<div class="small text-muted">к плану: {}</div>', record.parent)
            if record.parent_id
            else ""
        )
        return format_html(
            '<a href="{}">{}</a>{}{}',
            reverse("roadmaps:roadmap_detail", args=[record.pk]),
            record,
            badge,
            parent,
        )

    def value_title(self, value, record):
        return str(record)


class ShareTable(tables.Table):
    """The authorities' shares of a collective measure (services.collective), in the deadlines
    board's order: the late ones first, each with its evidence."""

    authority = tables.Column("Орган власти", accessor="roadmap__owner", orderable=False)
    state = tables.Column("Срок", accessor="board_rank", orderable=False)
    deadline = tables.Column("Срок реализации", accessor="deadline_text", orderable=False)
    status = tables.Column("Исполнение", accessor="pk", orderable=False, empty_values=())
    # The units the authority named for its share (services.collective.assign_units): read
    # from the responsibles board.items() prefetches, no query of their own.
    units = tables.Column(
        "Ответственные подразделения", accessor="pk", orderable=False, empty_values=()
    )
    evidence = tables.Column("Подтверждающие документы", accessor="pk", orderable=False)

    class Meta:
        attrs = {"class": "table table-sm table-bordered align-top", "data-testid": "shares"}
        row_attrs = {"data-state": lambda record: board.state_of(record).value}
        template_name = "portal/_table.html"
        empty_text = "Мероприятие еще не распределено по органам власти."

    render_state = DeadlineTable.render_state
    render_deadline = DeadlineTable.render_deadline
    render_status = DeadlineTable.render_status

    def render_authority(self, value, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("roadmaps:item_detail", args=[record.pk]), value
        )

    def value_authority(self, value, record):
        return value.display_name

    def value_state(self, value, record):
        state = board.state_of(record)
        days = board.days_left(record)
        late = f" ({board.overdue_days_text(-days)})" if state.value == "overdue" and days else ""
        return f"{state.label}{late}"

    def render_units(self, value, record):
        units = collective.named_units(record)
        return format_html_join("", "<div>{}</div>", ((r.display(),) for r in units)) or "—"

    def value_units(self, value, record):
        return "; ".join(r.display() for r in collective.named_units(record))

    def render_evidence(self, value, record):
        links = []
        for e in record.evidence.all():
            url = e.url or (reverse("roadmaps:evidence_file", args=[e.pk]) if e.file else "")
            links.append(format_html('<a href="{}">{}</a>', url, e) if url else str(e))
        return format_html_join("", "<div>{}</div>", ((link,) for link in links)) or "—"

    def value_evidence(self, value, record):
        return "; ".join(str(e) for e in record.evidence.all())
