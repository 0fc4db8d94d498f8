"""Results of surveys, aggregated on read from the answer rows (the (survey, submitted_at)
index): counts, the CSAT and CES distributions, the share satisfied, a trend by week or
month, the closed questions' answers and the tags of free-text answers. A fixed number of
queries whatever the number of answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from portal.params import BadParameter
from segmentation.models.surveys import CES_SCALE, CSAT_SCALE, MAX_QUESTIONS, SATISFIED_FROM

TRENDS = {"month": TruncMonth, "week": TruncWeek}


def trend_by(value: str | None) -> str:
    """?by= of the results page and of the API: month (the default) or week."""
    by = value or "month"
    if by not in TRENDS:
        raise BadParameter("Параметр «by»: month (по месяцам) или week (по неделям).")
    return by


@dataclass
class Results:
    count: int = 0
    csat_counts: list[int] = field(default_factory=list)  # for 1..5
    ces_counts: list[int] = field(default_factory=list)  # for 1..7
    csat_mean: float | None = None
    ces_mean: float | None = None
    ces_count: int = 0
    tags: list[tuple[str, int]] = field(default_factory=list)

    @property
    def satisfied_share(self) -> float | None:
        if not self.count:
            return None
        return round(100 * sum(self.csat_counts[SATISFIED_FROM - 1 :]) / self.count, 2)


def in_period(answers, start: date | None, end: date | None):
    """Answers from the start of `start` to the end of `end` (local time), by the index."""
    zone = timezone.get_current_timezone()
    if start:
        answers = answers.filter(submitted_at__gte=datetime.combine(start, time(), zone))
    if end:
        day_after = datetime.combine(end + timedelta(days=1), time(), zone)
        answers = answers.filter(submitted_at__lt=day_after)
    return answers


def results(answers) -> Results:
    """Two queries: the figures, and the tags."""
    figures = answers.order_by().aggregate(
        count=Count("pk"),
        csat_mean=Avg("csat"),
        ces_mean=Avg("ces"),
        ces_count=Count("ces"),
        **{f"csat_{n}": Count("pk", filter=Q(csat=n)) for n in CSAT_SCALE},
        **{f"ces_{n}": Count("pk", filter=Q(ces=n)) for n in CES_SCALE},
    )
    tags = (
        answers.filter(tag__isnull=False)
        .order_by()
        .values_list("tag__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "tag__name")
    )
    return Results(
        count=figures["count"],
        csat_counts=[figures[f"csat_{n}"] for n in CSAT_SCALE],
        ces_counts=[figures[f"ces_{n}"] for n in CES_SCALE],
        csat_mean=figures["csat_mean"],
        ces_mean=figures["ces_mean"] if figures["ces_count"] else None,
        ces_count=figures["ces_count"],
        tags=list(tags),
    )


def trend(answers, by: str = "month") -> list[tuple[date, int, float]]:
    """(the week's Monday or the month's first day, answers, mean CSAT), oldest first."""
    zone = timezone.get_current_timezone()
    rows = (
        answers.order_by()
        .annotate(period=TRENDS[by]("submitted_at", tzinfo=zone))
        .values("period")
        .annotate(n=Count("pk"), mean=Avg("csat"))
        .order_by("period")
    )
    return [(row["period"].date(), row["n"], row["mean"]) for row in rows]


def choices(answers, questions: list[dict]) -> list[tuple[str, list[tuple[str, int]]]]:
    """Each closed question with the count of each option (one query per question, ≤ 3)."""
    shown = []
    for number, question in enumerate(questions[:MAX_QUESTIONS], start=1):
        column = f"choice_{number}"
        counts = dict(
            answers.filter(**{f"{column}__isnull": False})
            .order_by()
            .values_list(column)
            .annotate(n=Count("pk"))
        )
        options = question["options"]
        shown.append((question["text"], [(o, counts.get(i, 0)) for i, o in enumerate(options)]))
    return shown


@dataclass
class Report:
    """What the results page and the API show of a set of answers: the figures, the trend,
    the closed questions. The one source of both, so their numbers cannot differ."""

    results: Results
    trend: list[tuple[date, int, float]]
    questions: list[tuple[str, list[tuple[str, int]]]]


def report(answers, questions: list[dict], by: str = "month") -> Report:
    return Report(results(answers), trend(answers, by), choices(answers, questions))


def months(answers) -> list[date]:
    """The months that have answers, latest first (the choice of an assessment's period)."""
    zone = timezone.get_current_timezone()
    return [d.date() for d in answers.datetimes("submitted_at", "month", "DESC", tzinfo=zone)]


def month_bounds(first: date) -> tuple[date, date]:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def overview(answers):
    """The coordinator's figures: per authority and process group, and per survey; the lowest
    mean CSAT first. Two grouped queries over the answers the user reads."""
    figures = {"n": Count("pk"), "mean": Avg("csat")}
    figures["satisfied"] = Count("pk", filter=Q(csat__gte=SATISFIED_FROM))
    by_group = (
        answers.order_by()
        .values("survey__authority__full_name", "survey__group__code", "survey__group__name")
        .annotate(**figures)
        .order_by("mean", "survey__authority__full_name", "survey__group__code")
    )
    by_survey = (
        answers.order_by()
        .values(
            "survey_id",
            "survey__title",
            "survey__authority__full_name",
            "survey__group__name",
            "survey__process__identifier",
            "survey__process__function_name",
        )
        .annotate(**figures)
        .order_by("mean", "survey__title")
    )
    return list(by_group), list(by_survey)
