"""Segmentation's endpoints: the records the user sees (restrict()), the lists' filtersets
(archived records only with ?archived=true, as on the pages); surveys' results aggregated by
the results pages' own services.survey_results, never an answer by itself or a contact. The
views' docstrings are the API's documentation, in Russian."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from portal.api.views import ScopedAPIMixin, ScopedReadViewSet
from portal.params import BadParameter, date_param
from registry.models import ProcessGroup
from segmentation.api import serializers as s
from segmentation.filters import AssessmentFilterSet, ProfileFilterSet, TouchpointFilterSet
from segmentation.models import (
    SatisfactionAssessment,
    SegmentProfile,
    Survey,
    SurveyAnswer,
    Touchpoint,
)
from segmentation.services import survey_results
from segmentation.survey_lists import SurveyFilterSet

RESULTS_PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="Ответы с этого дня (ГГГГ-ММ-ДД)."),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Ответы по этот день включительно."),
    OpenApiParameter(
        "by",
        OpenApiTypes.STR,
        enum=list(survey_results.TRENDS),
        description="Динамика по месяцам (month, по умолчанию) или по неделям (week).",
    ),
]
RESULTS_SCHEMA = extend_schema(parameters=RESULTS_PARAMETERS, responses=s.SurveyResultsSerializer)


def results_response(request, answers, questions) -> Response:
    """The results page's figures of `answers` (?start=, ?end=, ?by=)."""
    by = survey_results.trend_by(request.query_params.get("by"))
    start, end = date_param(request, "start"), date_param(request, "end")
    if start and end and start > end:
        raise BadParameter("Начало периода (start) позже его конца (end).")
    report = survey_results.report(survey_results.in_period(answers, start, end), questions, by)
    return Response(s.SurveyResultsSerializer(s.results_data(report, by, start, end)).data)


class ProfileViewSet(ScopedReadViewSet):
    """Профили клиентских сегментов с таблицей признаков (?archived=true — архив)."""

    queryset = SegmentProfile.objects.prefetch_related("groups", "processes", "attributes")
    serializer_class = s.ProfileSerializer
    filterset_class = ProfileFilterSet


class TouchpointViewSet(ScopedReadViewSet):
    """Точки взаимодействия с клиентами по группе процессов или услуге."""

    queryset = Touchpoint.objects.all()
    serializer_class = s.TouchpointSerializer
    filterset_class = TouchpointFilterSet


class AssessmentViewSet(ScopedReadViewSet):
    """Оценки удовлетворенности клиентов по группе процессов или услуге."""

    queryset = SatisfactionAssessment.objects.all()
    serializer_class = s.AssessmentSerializer
    filterset_class = AssessmentFilterSet


class SurveyViewSet(ScopedReadViewSet):
    """Анкеты органов власти: вопросы, период приема ответов, короткая ссылка, число ответов
    (?archived=true — архив). Ответы по одному и контакты для ответа API не отдает — только
    сводные результаты (results)."""

    queryset = Survey.objects.all()
    serializer_class = s.SurveySerializer
    filterset_class = SurveyFilterSet

    def get_queryset(self):
        queryset = super().get_queryset()
        return (
            queryset
            if self.action == "results"
            else queryset.annotate(answer_count=Count("answers"))
        )

    @RESULTS_SCHEMA
    @action(detail=True, pagination_class=None, filterset_class=None)
    def results(self, request, pk=None):
        """Сводные результаты анкеты, те же, что на ее странице результатов: число ответов,
        распределение оценок удовлетворенности (1–5) и легкости (1–7), средние, доля
        удовлетворенных, динамика по месяцам или неделям, ответы на вопросы с вариантами,
        метки свободных ответов."""
        survey = self.get_object()
        return results_response(
            request, SurveyAnswer.objects.filter(survey=survey), survey.questions
        )


class SurveyGroupResultsView(ScopedAPIMixin, GenericAPIView):
    """Сводные результаты всех анкет группы процессов (id группы справочника), которые видит
    пользователь, как на странице «Результаты анкет по группе процессов»: органа власти — его
    анкеты, координатора — анкеты органов его территории."""

    queryset = SurveyAnswer.objects.all()
    serializer_class = s.SurveyResultsSerializer
    pagination_class = None
    filter_backends = []

    @RESULTS_SCHEMA
    def get(self, request, pk):
        group = get_object_or_404(ProcessGroup, pk=pk)
        return results_response(request, self.get_queryset().filter(survey__group=group), [])
