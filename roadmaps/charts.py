"""The roadmaps' charts (portal.charts): measures per state of a plan's sections, of the plans
and of the authorities on the deadlines board (services.board counts them in the database)."""

from __future__ import annotations

from portal.charts import Chart, Series
from roadmaps.services.board import BAR_STATES


def progress_chart(key: str, title: str, category: str, parts) -> Chart:
    """`parts`: (label, StateBars) pairs, a row each; a stacked bar per row, one colour per
    state as on the board's bars."""
    parts = list(parts)
    return Chart(
        key=key,
        title=title,
        category=category,
        labels=[label for label, _ in parts],
        series=[
            Series(state.label, [bars.counts.get(state, 0) for _, bars in parts], f"bar-{state}")
            for state in BAR_STATES
        ],
        total_label="Мероприятий",
    )


def sections_chart(sections) -> Chart:
    return progress_chart(
        "sections", "Исполнение по разделам плана", "Раздел", ((s.label, s) for s in sections)
    )


def authorities_chart(authorities) -> Chart:
    return progress_chart(
        "authorities",
        "Исполнение по органам власти",
        "Орган власти (чей план)",
        ((a.owner.display_name, a) for a in authorities),
    )


def plans_chart(plans) -> Chart:
    return progress_chart(
        "plans", "Исполнение по планам", "Дорожная карта", ((p.label, p) for p in plans)
    )
