"""What the API shows of roadmaps: plans, their measures with deadlines, and the evidence
metadata (the file itself downloads from its page, to whoever sees the measure)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from roadmaps.choices import DeadlineState, ItemStatus
from roadmaps.models import Evidence, Roadmap, RoadmapItem
from roadmaps.services import deadlines


class RoadmapSerializer(serializers.ModelSerializer):
    legal_act = serializers.StringRelatedField()

    class Meta:
        model = Roadmap
        fields = [
            "id",
            "owner",
            "title",
            "legal_act",
            "parent",
            "appendix_number",
            "is_template",
            "template",
            "footnote",
            "created_at",
            "updated_at",
        ]


class EvidenceSerializer(serializers.ModelSerializer):
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "document_type",
            "number",
            "date",
            "title",
            "url",
            "file_name",
            "content_type",
            "file_size",
            "added_at",
            "file_url",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_file_url(self, evidence) -> str | None:
        if not evidence.file:
            return None
        return reverse("roadmaps:evidence_file", args=[evidence.pk])


class MeasureSerializer(serializers.ModelSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)
    responsibles = serializers.SerializerMethodField()
    deadline_state = serializers.SerializerMethodField()

    class Meta:
        model = RoadmapItem
        fields = [
            "id",
            "roadmap",
            "parent",
            "number",
            "is_section",
            "text",
            "deadline_text",
            "deadline_kind",
            "deadline_date",
            "last_day",
            "deadline_state",
            "responsible_text",
            "responsibles",
            "document_type",
            "status",
            "version",
            "evidence",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_responsibles(self, item) -> list[str]:
        return item.responsible_display()

    @extend_schema_field(serializers.ChoiceField(choices=DeadlineState.choices))
    def get_deadline_state(self, item) -> str:
        return deadlines.classify(item, timezone.localdate()).value


class EvidenceInSerializer(serializers.Serializer):
    document_type = serializers.CharField(required=False)
    number = serializers.CharField(required=False, allow_blank=True, default="")
    date = serializers.DateField(required=False, allow_null=True, default=None)
    title = serializers.CharField(required=False, allow_blank=True, default="")
    url = serializers.URLField(required=False, allow_blank=True, default="")


class StatusInSerializer(serializers.Serializer):
    """Новый статус мероприятия и, если нужно, подтверждающий документ."""

    status = serializers.ChoiceField(choices=ItemStatus.choices)
    version = serializers.IntegerField(help_text="Версия мероприятия, которую вы прочитали.")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = EvidenceInSerializer(required=False)
    file = serializers.FileField(required=False, help_text="Файл документа (multipart).")
