"""Roadmaps' endpoints: plans and measures the user sees (restrict()), the deadlines board's
filterset; a measure's status with its evidence through roadmaps.services.items. The views'
docstrings are the API's documentation, in Russian."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as BadRequest
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from portal.api.errors import STALE_RESPONSE, stale_response
from portal.api.views import ScopedReadViewSet
from portal.locking import StaleEdit
from roadmaps.api import serializers as s
from roadmaps.filters import DeadlineFilterSet, RoadmapFilterSet
from roadmaps.models import Roadmap, RoadmapItem
from roadmaps.services import items as item_service

NOT_A_MEASURE = "Раздел плана не имеет статуса: статус указывается у мероприятий."


class RoadmapViewSet(ScopedReadViewSet):
    """Дорожные карты (планы мероприятий), доступные пользователю."""

    queryset = Roadmap.objects.select_related("legal_act")
    serializer_class = s.RoadmapSerializer
    filterset_class = RoadmapFilterSet


class MeasureViewSet(ScopedReadViewSet):
    """Разделы и мероприятия планов: сроки, ответственные, статус, подтверждающие документы.
    Отбор ?roadmap=<id плана> и отборы страницы сроков."""

    queryset = RoadmapItem.objects.prefetch_related(
        "evidence", "responsibles__organization__successor"
    )
    serializer_class = s.MeasureSerializer
    filterset_class = DeadlineFilterSet

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        roadmap = self.request.query_params.get("roadmap", "")
        if roadmap.isdigit():
            queryset = queryset.filter(roadmap_id=int(roadmap))
        return queryset

    @extend_schema(
        request=s.StatusInSerializer, responses={200: s.MeasureSerializer, 409: STALE_RESPONSE}
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[JSONParser, MultiPartParser, FormParser],
        filterset_class=None,
    )
    def status(self, request, pk=None):
        """Статус мероприятия (с version). Документ (evidence, файл file — multipart), если
        указан, добавляется в той же транзакции; «Исполнено» требует документа вида, который
        называет план."""
        item = self.get_object()
        if item.is_section:
            raise BadRequest({"status": [NOT_A_MEASURE]})
        given = s.StatusInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        try:
            with transaction.atomic():
                if "evidence" in data or data.get("file"):
                    item_service.add_evidence(
                        item, user=request.user, file=data.get("file"), **data.get("evidence", {})
                    )
                item_service.set_status(
                    item,
                    data["status"],
                    user=request.user,
                    reason=data["reason"] or "Изменен через API",
                    expected_version=data["version"],
                )
        except StaleEdit as stale:
            return stale_response(stale.current, s.MeasureSerializer(stale.current).data)
        except ValidationError as refused:
            raise BadRequest(
                refused.message_dict if hasattr(refused, "error_dict") else refused.messages
            ) from None
        return Response(s.MeasureSerializer(self.get_queryset().get(pk=item.pk)).data)
