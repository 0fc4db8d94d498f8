"""Segmentation's endpoints: the records the user sees (restrict()), the lists' filtersets
(archived records only with ?archived=true, as on the pages)."""

from portal.api.views import ScopedReadViewSet
from segmentation.api import serializers as s
from segmentation.filters import AssessmentFilterSet, ProfileFilterSet, TouchpointFilterSet
from segmentation.models import SatisfactionAssessment, SegmentProfile, Touchpoint


class ProfileViewSet(ScopedReadViewSet):
    queryset = SegmentProfile.objects.prefetch_related("groups", "processes", "attributes")
    serializer_class = s.ProfileSerializer
    filterset_class = ProfileFilterSet


class TouchpointViewSet(ScopedReadViewSet):
    queryset = Touchpoint.objects.all()
    serializer_class = s.TouchpointSerializer
    filterset_class = TouchpointFilterSet


class AssessmentViewSet(ScopedReadViewSet):
    queryset = SatisfactionAssessment.objects.all()
    serializer_class = s.AssessmentSerializer
    filterset_class = AssessmentFilterSet
