"""The registry's charts (portal.charts): a campaign's answers, the reengineering status of an
authority's rows per process group, and the catalogue coverage of the country from the stored
CatalogueFigures the page has summed."""

from __future__ import annotations

from portal.charts import Chart, Series
from registry.choices import AnswerState

# Most unanswered first (services.campaigns.answers_per_authority): the laggards a
# coordinator looks for; every authority is in the table below the chart.
ANSWERS_CHART_AUTHORITIES = 15
# The order of the legend on the page: answered first.
ANSWERS = (AnswerState.PROPOSAL, AnswerState.NO_CHANGES, AnswerState.WAITING)


def answers_chart(totals: dict) -> Chart:
    """The answers of every unit of the campaign the user reaches (answer_totals())."""
    return Chart(
        key="answers",
        title="Ответы подразделений",
        category="Ответы",
        labels=["Подразделений"],
        series=[Series(s.label, [totals[s.value] or 0], f"answer-{s.value}") for s in ANSWERS],
        kind="doughnut",
        total_label="Всего",
    )


def answers_by_authority_chart(rows) -> Chart:
    """The first rows of answers_per_authority() (most unanswered first)."""
    rows = list(rows[:ANSWERS_CHART_AUTHORITIES])
    return Chart(
        key="authorities",
        title=f"Больше всего без ответа: первые {ANSWERS_CHART_AUTHORITIES} органов власти",
        category="Орган власти",
        labels=[r["authority__full_name"] for r in rows],
        series=[Series(s.label, [r[s.value] for r in rows], f"answer-{s.value}") for s in ANSWERS],
        total_label="Подразделений",
    )


def status_chart(distribution) -> Chart:
    """status_distribution() of one authority: its rows per group and status."""
    statuses = [status for status, _, _ in distribution[0].counts] if distribution else []
    return Chart(
        key="statuses",
        title="Статус реинжиниринга по группам процессов",
        category="Группа процессов",
        labels=[row.group.label for row in distribution],
        series=[
            Series(status.name, [row.counts[n][1] for row in distribution], f"status-{n + 1}")
            for n, status in enumerate(statuses)
        ],
        total_label="Строк",
    )


def national_coverage_chart(totals: dict) -> Chart:
    """`totals`: the page's sums of the stored figures."""
    rows, done = totals.get("rows") or 0, totals.get("reengineered") or 0
    covered, total = totals.get("typicals_covered") or 0, totals.get("typicals_total") or 0
    return Chart(
        key="coverage",
        title="Реинжиниринг и охват перечня по отбору",
        category="Показатель",
        labels=["Строки реестра", "Типовые процессы перечня"],
        series=[
            Series("Прошли реинжиниринг / есть в реестрах", [done, covered], "chart-covered"),
            Series("Не прошли / нет в реестрах", [rows - done, total - covered], "chart-missing"),
        ],
    )
