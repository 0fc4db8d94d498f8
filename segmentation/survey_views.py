"""The officer's survey pages: the list, the form, the results of a survey or of a process
group (with the tags of free-text answers and the one click that writes a period's results
as a satisfaction assessment), the printable poster with its QR code, and the coordinator's
overview. Rows from portal.scoping; writes through services.surveys."""

from __future__ import annotations

from datetime import date

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View

from portal.charts import figures_download, figures_requested, with_download
from portal.downloads import written_xlsx_response
from portal.lists import ObjectListView, TableExporter
from portal.locking import StaleEdit, refuse_stale
from portal.params import BadParameter, int_param
from portal.scoping import CHANGE, can
from portal.views.scoped import ScopedViewMixin
from portal.xlsx import write_table
from registry.models import ProcessGroup
from segmentation import survey_charts
from segmentation.forms import SurveyForm
from segmentation.models import (
    AnswerTag,
    SatisfactionAssessment,
    Survey,
    SurveyAnswer,
    SurveyTemplate,
)
from segmentation.services import survey_results, surveys
from segmentation.survey_lists import SurveyFilterSet, SurveyTable

SURVEYS = Survey.objects.select_related("authority", "group", "process__typical_process")
TEXT_PAGE = 30  # free-text answers per page of results


def keeps_surveys(user) -> bool:
    return can(user, CHANGE, Survey(authority=user.authority))


class SurveyListView(ObjectListView):
    queryset = SURVEYS.annotate(answer_count=Count("answers"))
    filterset_class = SurveyFilterSet
    table_class = SurveyTable
    template_name = "segmentation/survey_list.html"
    exporter = TableExporter(SurveyTable, "Анкеты")

    def get_export_filename(self, rows) -> str:
        return f"Анкеты — {timezone.localdate():%d.%m.%Y}.xlsx"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_create=keeps_surveys(self.request.user),
            archived=self.filterset.archived_chosen(),
            **kwargs,
        )


class SurveyFormView(ScopedViewMixin, View):
    """A new survey (from a template of questions, ?template=) or an edited one."""

    template_name = "segmentation/survey_form.html"
    model = Survey
    breadcrumb_object = "survey"

    def get_survey(self, pk) -> Survey:
        if pk is None:
            survey = Survey(authority=self.request.user.authority)
            if not can(self.request.user, CHANGE, survey):
                raise PermissionDenied("Анкеты ведут сотрудники органа власти.")
            return survey
        survey = self.scoped_object(pk=pk)
        if not can(self.request.user, CHANGE, survey):
            raise PermissionDenied("Анкету другого органа власти изменять нельзя.")
        return survey

    def render(self, form, status=200):
        context = {
            "form": form,
            "survey": form.instance,
            "templates": SurveyTemplate.objects.all(),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk=None):
        survey = self.get_survey(pk)
        template = None
        if pk is None and request.GET.get("template"):
            template = get_object_or_404(SurveyTemplate, pk=int_param(request, "template"))
        initial = {k: request.GET[k] for k in ("group", "process") if k in request.GET}
        form = SurveyForm(user=request.user, instance=survey, template=template, initial=initial)
        return self.render(form)

    def post(self, request, pk=None):
        form = SurveyForm(request.POST, user=request.user, instance=self.get_survey(pk))
        if form.is_valid():
            if not can(request.user, CHANGE, form.instance):
                raise PermissionDenied("Анкета другого органа власти.")
            try:
                saved = surveys.save_survey(form.instance, request.user, form.opened_version)
            except StaleEdit as stale:
                fresh = SurveyForm(user=request.user, instance=stale.current)
                return refuse_stale(request, lambda: self.render(fresh), stale.current)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"Анкета «{saved.title}» сохранена.")
                return redirect("segmentation:survey_detail", pk=saved.pk)
        return self.render(form, status=400)


NO_TAG = "none"  # ?tag=none: the free-text answers nobody has tagged yet


def chosen_tag(request, tags) -> AnswerTag | str | None:
    """?tag=<id> of a tag, ?tag=none, or nothing (every free-text answer)."""
    raw = request.GET.get("tag", "").strip()
    if not raw:
        return None
    if raw == NO_TAG:
        return NO_TAG
    for tag in tags:
        if str(tag.pk) == raw:
            return tag
    raise BadParameter("Параметр «tag»: метка из списка или none (без метки).")


def free_texts(answers, tag):
    texts = answers.exclude(text="")
    if tag == NO_TAG:
        texts = texts.filter(tag__isnull=True)
    elif tag is not None:
        texts = texts.filter(tag=tag)
    return texts.select_related("tag").order_by("-submitted_at", "-pk")


class ResultsMixin(ScopedViewMixin):
    """What the results of a survey and of a process group share: figures, charts, the
    free-text answers with their tags (filtered by ?tag=), the months an assessment can be
    made of."""

    template_name = "segmentation/survey_results.html"

    def results_context(self, answers, questions) -> dict:
        request = self.request
        by = survey_results.trend_by(request.GET.get("by"))
        report = survey_results.report(answers, questions, by)
        charts = [
            *survey_charts.distribution_charts(report.results),
            survey_charts.trend_chart(report.trend, by),
        ]
        tags = list(AnswerTag.objects.all())
        tag = chosen_tag(request, tags)
        page = Paginator(free_texts(answers, tag), TEXT_PAGE).get_page(int_param(request, "page"))
        return {
            "results": report.results,
            "charts": with_download(request, *charts),
            "questions": report.questions,
            "texts": page,
            "tags": tags,
            "tag_chosen": "" if tag is None else getattr(tag, "pk", tag),
            "no_tag": NO_TAG,
            "months": survey_results.months(answers),
            "by": by,
        }

    def respond(self, context):
        if figures_requested(self.request):
            return figures_download(self.request, context["charts"])
        return render(self.request, self.template_name, context)


class SurveyDetailView(ResultsMixin, View):
    model = Survey
    breadcrumb_object = "survey"

    def get(self, request, pk):
        survey = self.scoped_object(SURVEYS, pk=pk)
        answers = SurveyAnswer.objects.filter(survey=survey)
        context = self.results_context(answers, survey.questions)
        context.update(
            survey=survey,
            public_url=survey.get_public_url(),
            can_change=can(request.user, CHANGE, survey),
            assess_url=reverse("segmentation:survey_assess", args=[survey.pk]),
        )
        return self.respond(context)


class GroupResultsView(ResultsMixin, View):
    """Every survey of a process group the user reads; an assessment of the group is the
    user's own authority's (its surveys' answers only)."""

    model = Survey
    breadcrumb_title = "Результаты анкет по группе процессов"

    def get(self, request, pk):
        group = get_object_or_404(ProcessGroup, pk=pk)
        answers = self.scoped(SurveyAnswer).filter(survey__group=group)
        context = self.results_context(answers, [])
        own = Survey(authority=request.user.authority, group=group)
        context.update(
            group=group,
            surveys=self.scoped(SURVEYS).filter(group=group),
            can_change=request.user.authority is not None and can(request.user, CHANGE, own),
            assess_url=reverse("segmentation:survey_group_assess", args=[group.pk]),
        )
        return self.respond(context)


def chosen_period(request, months) -> tuple[date, date]:
    """?month=YYYY-MM of the months that have answers."""
    wanted = request.POST.get("month", "")
    for first in months:
        if first.strftime("%Y-%m") == wanted:
            return survey_results.month_bounds(first)
    raise BadParameter("Выберите месяц, за который есть ответы.")


class AssessView(ScopedViewMixin, View):
    """One click: a month of answers becomes a satisfaction assessment (services.surveys)."""

    model = Survey

    def post(self, request, pk, kind):
        if kind == "survey":
            survey = self.scoped_object(SURVEYS, pk=pk)
            authority, group, process = survey.authority, survey.group, survey.process
            answers = SurveyAnswer.objects.filter(survey=survey)
            back = reverse("segmentation:survey_detail", args=[pk])
        else:
            group = get_object_or_404(ProcessGroup, pk=pk)
            authority, process = request.user.authority, None
            answers = self.scoped(SurveyAnswer).filter(
                survey__group=group, survey__authority=authority
            )
            back = reverse("segmentation:survey_group_results", args=[pk])
        if authority is None or not can(
            request.user, CHANGE, SatisfactionAssessment(authority=authority)
        ):
            raise PermissionDenied("Оценку записывают сотрудники органа власти анкеты.")
        start, end = chosen_period(request, survey_results.months(answers))
        try:
            assessment = surveys.make_assessment(
                request.user,
                authority=authority,
                group=group,
                process=process,
                answers=answers,
                start=start,
                end=end,
                actions=request.POST.get("actions", "")[:5000],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(back)
        messages.success(
            request,
            f"Записана оценка удовлетворенности за {start:%d.%m.%Y}–{end:%d.%m.%Y}: "
            f"{assessment.result}",
        )
        return redirect(reverse("segmentation:assessment_list"))


class AnswerTagView(ScopedViewMixin, View):
    model = SurveyAnswer

    def post(self, request, pk):
        answer = self.scoped_object(pk=pk)
        chosen = request.POST.get("tag", "")
        tag = get_object_or_404(AnswerTag, pk=chosen) if chosen.isdigit() else None
        surveys.tag_answer(answer, tag, request.user)
        messages.success(request, f"Метка ответа: {tag or 'снята'}.")
        # Back to the page it was tagged on (a survey's or its group's, with its filter).
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = reverse("segmentation:survey_detail", args=[answer.survey_id])
        return redirect(f"{back.split('#')[0]}#answers")


def qr_svg(url: str, title: str) -> str:
    """The short link as an SVG QR code (segno): scalable, printed at any size."""
    return segno.make(url, error="m").svg_inline(scale=10, omitsize=True, title=title)


class SurveyPrintView(ScopedViewMixin, View):
    """The poster for a touchpoint: the title, the QR code, the short link. ?format=svg
    downloads the QR code alone."""

    model = Survey
    breadcrumb_object = "survey"
    breadcrumb_title = "Печать QR-кода"

    def get(self, request, pk):
        survey = self.scoped_object(SURVEYS, pk=pk)
        url = survey.get_public_url()
        svg = qr_svg(url, f"QR-код анкеты «{survey.title}»")
        if request.GET.get("format") == "svg":
            response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="qr-{survey.code}.svg"'
            return response
        context = {"survey": survey, "public_url": url, "qr": mark_safe(svg)}  # noqa: S308 segno's own markup
        return render(request, "segmentation/survey_print.html", context)


class SurveyOverviewView(ScopedViewMixin, View):
    """The coordinator's view across authorities (an officer sees his own): answers and mean
    CSAT per authority and process group and per survey, lowest first; ?export=xlsx."""

    model = SurveyAnswer
    breadcrumb_title = "Сводка по анкетам"

    def get(self, request):
        by_group, by_survey = survey_results.overview(self.scoped(SurveyAnswer))
        chart = survey_charts.groups_chart(by_group)
        if figures_requested(request):
            return figures_download(request, [chart])
        if request.GET.get("export") == "xlsx":
            return self.xlsx(by_survey)
        for row in by_survey:
            row["url"] = reverse("segmentation:survey_detail", args=[row["survey_id"]])
        context = {"chart": with_download(request, chart)[0], "by_survey": by_survey}
        return render(request, "segmentation/survey_overview.html", context)

    def xlsx(self, by_survey):
        header = ["Орган власти", "Группа процессов", "Услуга", "Анкета", "Ответов"]
        header += ["Средняя оценка (1–5)", "Доля удовлетворенных, %"]
        rows = [
            [
                row["survey__authority__full_name"],
                row["survey__group__name"] or "",
                row["survey__process__function_name"] or "",
                row["survey__title"],
                row["n"],
                round(row["mean"], 2),
                round(100 * row["satisfied"] / row["n"], 1),
            ]
            for row in by_survey
        ]
        title = "Оценки по анкетам"
        filename = f"{title} — {timezone.localdate():%d.%m.%Y}.xlsx"
        return written_xlsx_response(lambda path: write_table(path, title, header, rows), filename)
