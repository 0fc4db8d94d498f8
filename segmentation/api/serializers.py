"""What the API shows of segmentation: profiles with their table of attributes,
touchpoints and satisfaction assessments."""

from rest_framework import serializers

from segmentation.models import (
    SatisfactionAssessment,
    SegmentAttribute,
    SegmentProfile,
    Touchpoint,
)

RECORD_FIELDS = ["id", "authority", "version", "is_archived", "created_at", "updated_at"]


class AttributeSerializer(serializers.ModelSerializer):
    class Meta:
        model = SegmentAttribute
        exclude = ["profile", "removed_at"]


class ProfileSerializer(serializers.ModelSerializer):
    attributes = AttributeSerializer(many=True, read_only=True, source="attributes.all")

    class Meta:
        model = SegmentProfile
        fields = [
            *RECORD_FIELDS,
            "direction",
            "name",
            "client_kind",
            "path_features",
            "channels",
            "groups",
            "processes",
            "attributes",
        ]


class TouchpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = Touchpoint
        fields = [*RECORD_FIELDS, "group", "process", "channel", "place", "description"]


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = SatisfactionAssessment
        fields = [
            *RECORD_FIELDS,
            "group",
            "process",
            "period_start",
            "period_end",
            "method",
            "sample_size",
            "result",
            "satisfied_share",
            "problems",
            "actions",
        ]
