"""The charts of survey results (portal.charts): the CSAT and CES distributions, the trend by
week or month, and the coordinator's CSAT per process group; each with its table and XLSX."""

from __future__ import annotations

from portal.charts import Chart, Series
from segmentation.models.surveys import CES_SCALE, CSAT_SCALE
from segmentation.services.survey_results import Results

TREND_LABELS = {"month": "Месяц", "week": "Неделя с"}


def mean(value) -> float:
    return round(value, 2) if value is not None else 0


def distribution_charts(results: Results) -> list[Chart]:
    charts = [
        Chart(
            key="csat",
            title="Оценки удовлетворенности (1–5)",
            category="Оценка",
            labels=[str(n) for n in CSAT_SCALE],
            series=[Series("Ответов", results.csat_counts, "chart-total")],
            horizontal=False,
        )
    ]
    if results.ces_count:
        charts.append(
            Chart(
                key="ces",
                title="Насколько легко было (1–7)",
                category="Оценка",
                labels=[str(n) for n in CES_SCALE],
                series=[Series("Ответов", results.ces_counts, "chart-total")],
                horizontal=False,
            )
        )
    return charts


def trend_chart(rows, by: str) -> Chart:
    """`rows`: survey_results.trend()."""
    shape = "%m.%Y" if by == "month" else "%d.%m.%Y"
    return Chart(
        key="trend",
        title="Ответы и средняя оценка по " + ("месяцам" if by == "month" else "неделям"),
        category=TREND_LABELS[by],
        labels=[day.strftime(shape) for day, _, _ in rows],
        series=[
            Series("Ответов", [n for _, n, _ in rows], "chart-total"),
            Series("Средняя оценка (1–5)", [mean(m) for _, _, m in rows], "chart-covered"),
        ],
        stacked=False,
        horizontal=False,
    )


def groups_chart(by_group: list[dict]) -> Chart:
    """The coordinator's CSAT per authority and group, lowest first."""
    return Chart(
        key="groups",
        title="Средняя оценка по органам власти и группам процессов",
        category="Орган власти, группа процессов",
        labels=[
            f"{row['survey__authority__full_name']}: {row['survey__group__code']}. "
            f"{row['survey__group__name']}"
            for row in by_group
        ],
        series=[
            Series("Средняя оценка (1–5)", [mean(row["mean"]) for row in by_group], "chart-total"),
            Series("Ответов", [row["n"] for row in by_group], "chart-covered"),
        ],
        stacked=False,
    )
