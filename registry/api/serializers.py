"""What the API shows of the registry: organizations, the catalogue, rows with their 14
columns (registry.columns), versions, proposals and campaigns."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registry.columns import OPEN_DATA_KEYS
from registry.models import (
    Campaign,
    CampaignParticipant,
    CatalogueEdition,
    Organization,
    Process,
    ProcessGroup,
    Proposal,
    ProposalItem,
    RegistryColumn,
    RegistryVersion,
    TypicalProcess,
)
from registry.services.registry_rows import registry_rows


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "id",
            "kind",
            "full_name",
            "short_name",
            "level",
            "parent",
            "authority",
            "valid_from",
            "valid_to",
            "successor",
            "successor_since",
        ]


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class TypicalProcessSerializer(serializers.ModelSerializer):
    class Meta:
        model = TypicalProcess
        fields = ["id", "code", "name"]


class GroupSerializer(serializers.ModelSerializer):
    typical_processes = TypicalProcessSerializer(many=True, read_only=True)

    class Meta:
        model = ProcessGroup
        fields = ["id", "code", "name", "short_name", "typical_processes"]


class ColumnSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegistryColumn
        fields = ["number", "header", "mandatory"]


class EditionSerializer(serializers.ModelSerializer):
    columns = ColumnSerializer(many=True, read_only=True)
    groups = GroupSerializer(many=True, read_only=True)
    statuses = EntrySerializer(many=True, read_only=True)
    kinds = EntrySerializer(many=True, read_only=True, source="process_kinds")

    class Meta:
        model = CatalogueEdition
        fields = [
            "code",
            "level",
            "territory",
            "is_template",
            "name",
            "source",
            "registry_title",
            "mandatory_note",
            "columns",
            "groups",
            "statuses",
            "kinds",
        ]


class LinkedRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    authority = serializers.IntegerField(source="authority_id")
    identifier = serializers.CharField()


class LinksSerializer(serializers.Serializer):
    """Графа 12 в обе стороны: предшествующие и последующие процессы."""

    predecessors = LinkedRowSerializer(many=True)
    successors = LinkedRowSerializer(many=True)


class ColumnsField(serializers.DictField):
    """14 граф так, как их печатает опубликованная форма, по именам паспорта набора."""

    child = serializers.CharField()


class ProcessListSerializer(serializers.ListSerializer):
    """Columns of a page of rows read at once (registry_rows: a constant number of queries)."""

    def to_representation(self, data):
        rows = list(data.all() if hasattr(data, "all") else data)
        texts = {
            row.pk: row.values
            for row in registry_rows(Process.objects.filter(pk__in=[r.pk for r in rows]))
        }
        self.child.context["texts"] = texts
        return [self.child.to_representation(row) for row in rows]


class ProcessSerializer(serializers.ModelSerializer):
    columns = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()
    life_situation = serializers.CharField(source="life_situation.name", default="")
    status_name = serializers.CharField(source="status.name", default="")

    class Meta:
        model = Process
        list_serializer_class = ProcessListSerializer
        fields = [
            "id",
            "authority",
            "unit",
            "version",
            "identifier",
            "columns",
            "links",
            "life_situation",
            "function_name",
            "client",
            "regulating_act",
            "group",
            "typical_process",
            "is_non_typical",
            "process_name",
            "responsible",
            "status",
            "status_name",
            "input_data",
            "output_data",
            "kind",
            "placement_points",
            "placement_url",
            "is_interdepartmental",
            "inclusion_reasons",
            "is_excluded",
            "excluded_reason",
            "excluded_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ColumnsField)
    def get_columns(self, process) -> dict:
        texts = self.context.get("texts")
        if texts is None or process.pk not in texts:
            texts = {
                row.pk: row.values for row in registry_rows(Process.objects.filter(pk=process.pk))
            }
        return dict(zip(OPEN_DATA_KEYS, texts.get(process.pk, [""] * 14), strict=True))

    @extend_schema_field(LinksSerializer)
    def get_links(self, process) -> dict:
        return LinksSerializer(
            {
                "predecessors": [link.predecessor for link in process.predecessor_links.all()],
                "successors": [link.successor for link in process.successor_links.all()],
            }
        ).data


class HistoryChangeSerializer(serializers.Serializer):
    label = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class HistoryEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField()
    kind = serializers.CharField()
    reason = serializers.CharField()
    changes = HistoryChangeSerializer(many=True)


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegistryVersion
        fields = [
            "id",
            "authority",
            "number",
            "published_at",
            "row_count",
            "edition_level",
            "content_hash",
        ]


class VersionRowSerializer(serializers.Serializer):
    identifier = serializers.CharField()
    values = serializers.ListField(child=serializers.CharField())


class VersionDetailSerializer(VersionSerializer):
    rows = VersionRowSerializer(many=True)

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "rows"]


class ProposalItemSerializer(serializers.ModelSerializer):
    values = serializers.DictField()

    class Meta:
        model = ProposalItem
        fields = [
            "id",
            "action",
            "process",
            "base_version",
            "values",
            "exclude_reason",
            "review_comment",
            "removed_at",
        ]


class ProposalSerializer(serializers.ModelSerializer):
    items = ProposalItemSerializer(many=True, read_only=True, source="items.all")

    class Meta:
        model = Proposal
        fields = [
            "id",
            "authority",
            "unit",
            "author",
            "state",
            "note",
            "changed_on",
            "report_due",
            "created_at",
            "submitted_at",
            "review_due",
            "decided_at",
            "return_comment",
            "applied_at",
            "items",
        ]


class ParticipantSerializer(serializers.ModelSerializer):
    class Meta:
        model = CampaignParticipant
        fields = ["id", "authority", "unit", "answer", "proposal", "answered_at"]


class CampaignSerializer(serializers.ModelSerializer):
    participants = ParticipantSerializer(many=True, read_only=True, source="seen_participants")

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "kind",
            "year",
            "quarter",
            "due_date",
            "basis",
            "opened_at",
            "closed_at",
            "participants",
        ]
