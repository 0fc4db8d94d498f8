"""Segmentation's endpoints: the records the user sees (restrict()), the lists' filtersets
(archived records only with ?archived=true, as on the pages). The views' docstrings are the
API's documentation, in Russian."""

from portal.api.views import ScopedReadViewSet
from segmentation.api import serializers as s
from segmentation.filters import AssessmentFilterSet, ProfileFilterSet, TouchpointFilterSet
from segmentation.models import SatisfactionAssessment, SegmentProfile, Touchpoint


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
