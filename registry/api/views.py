"""The registry's endpoints. Rows come from portal.api's scoped views (restrict()), the
filters are the pages' filtersets, writes go through the pages' form and services. The
docstrings of the views are the API's documentation (Swagger UI), so they are in Russian."""

from __future__ import annotations

from django.db import IntegrityError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as BadRequest
from rest_framework.response import Response
from rest_framework.viewsets import ReadOnlyModelViewSet

from portal.api.errors import STALE_RESPONSE, stale_response
from portal.api.views import ScopedAPIMixin, ScopedReadViewSet, UnscopedAPIMixin
from portal.locking import StaleEdit
from portal.scoping import restrict
from registry.api import rows
from registry.api import serializers as s
from registry.filters import ProcessFilterSet, ProposalFilterSet
from registry.models import (
    Campaign,
    CampaignParticipant,
    CatalogueEdition,
    Organization,
    Process,
    Proposal,
    RegistryVersion,
)
from registry.services import history as history_service
from registry.services.proposals import ProposalError
from registry.services.row_writes import write_row

API_REASON = {True: "Внесен в реестр через API", False: "Изменен через API"}
EXCLUDED = "Процесс исключен из реестра: сначала восстановите его на портале."
NOT_A_REGISTRY_USER = "Вносить строки в реестр может сотрудник органа власти."
IDENTIFIER_TAKEN = "Графа 1: этот идентификатор только что занят. Укажите другой."
# What a write may answer besides the row itself.
WRITTEN = {202: rows.ProposedSerializer, 409: STALE_RESPONSE}
NEED_VERSION = "Укажите version — версию строки, которую вы прочитали."


class OrganizationViewSet(ScopedReadViewSet):
    """Органы власти и их подразделения, доступные пользователю (координатору — все)."""

    queryset = Organization.objects.all()
    serializer_class = s.OrganizationSerializer
    filterset_fields = ["kind", "authority", "level"]


class CatalogueViewSet(UnscopedAPIMixin, ReadOnlyModelViewSet):
    """Справочник каждой редакции по ее коду (типовые — regional, municipal; редакция
    территории — свой код): графы типовой формы, группы и типовые процессы, статусы
    реинжиниринга, виды процессов."""

    unscoped_because = "reference data, the same for every authority"
    queryset = CatalogueEdition.objects.prefetch_related(
        "columns", "groups__typical_processes", "statuses", "process_kinds"
    ).order_by("pk")
    serializer_class = s.EditionSerializer
    # Not the level: a territory's edition shares its level with the template (issue 15).
    lookup_field = "code"
    pagination_class = None


class ProcessViewSet(ScopedAPIMixin, mixins.CreateModelMixin, ReadOnlyModelViewSet):
    """Строки реестра: 14 граф (columns), связи в обе стороны, статус, версия записи. POST —
    новая строка, PATCH — изменение (с version): уполномоченное лицо пишет в реестр сразу,
    сотрудник подразделения — в свой черновик предложения (202); устаревшая version — 409."""

    queryset = Process.objects.with_related().prefetch_related("inclusion_reasons")
    serializer_class = s.ProcessSerializer
    filterset_class = ProcessFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return rows.ProcessWriteSerializer
        return super().get_serializer_class()

    @extend_schema(responses={201: s.ProcessSerializer, **WRITTEN})
    def create(self, request, *args, **kwargs):
        if not request.user.works_on_a_registry:
            raise PermissionDenied(NOT_A_REGISTRY_USER)
        return self._write(request, None)

    @extend_schema(responses={200: s.ProcessSerializer, **WRITTEN})
    def partial_update(self, request, *args, **kwargs):
        process = self.get_object()
        if process.is_excluded:
            raise BadRequest({"non_field_errors": [EXCLUDED]})
        if "version" not in request.data:
            raise BadRequest({"version": [NEED_VERSION]})
        return self._write(request, process)

    def _write(self, request, process):
        given = rows.ProcessWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        form, formset = rows.bound_forms(request.user, given.validated_data, process)
        if not (form.is_valid() and formset.is_valid()):
            raise BadRequest(rows.form_errors(form, formset))
        try:
            written = write_row(
                request.user, form, formset, process, reason=API_REASON[process is None]
            )
        except StaleEdit as stale:
            return stale_response(stale.current, s.ProcessSerializer(stale.current).data)
        except ProposalError as refused:
            raise BadRequest({"non_field_errors": [str(refused)]}) from None
        except IntegrityError:
            raise BadRequest({"identifier": [IDENTIFIER_TAKEN]}) from None
        if written.item is not None:
            item = written.item
            body = {
                "detail": f"Строка добавлена в предложение № {item.proposal_id}: реестр "
                "изменится, когда уполномоченное лицо одобрит предложение.",
                "proposal": item.proposal_id,
                "item": item.pk,
            }
            return Response(body, status=status.HTTP_202_ACCEPTED)
        saved = Process.objects.with_related().get(pk=written.process.pk)
        code = status.HTTP_201_CREATED if process is None else status.HTTP_200_OK
        return Response(s.ProcessSerializer(saved).data, status=code)

    @extend_schema(responses=s.HistoryEntrySerializer(many=True))
    @action(detail=True, pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        """История строки и ее связей: кто, когда, что было и стало, основание."""
        entries = history_service.row_history(self.get_object())
        return Response(s.HistoryEntrySerializer(entries, many=True).data)


class VersionViewSet(ScopedReadViewSet):
    """Опубликованные версии реестров; версия по id — с ее строками."""

    queryset = RegistryVersion.objects.all()
    filterset_fields = ["authority"]

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset if self.action == "retrieve" else queryset.defer("rows")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.VersionDetailSerializer
        return s.VersionSerializer


class ProposalViewSet(ScopedReadViewSet):
    """Предложения об изменении реестра (черновик виден только его автору)."""

    queryset = Proposal.objects.prefetch_related("items")
    serializer_class = s.ProposalSerializer
    filterset_class = ProposalFilterSet


class CampaignViewSet(ScopedReadViewSet):
    """Кампании актуализации и ответы доступных пользователю участников."""

    queryset = Campaign.objects.all()
    serializer_class = s.CampaignSerializer

    def get_queryset(self):
        seen = restrict(CampaignParticipant, self.request.user).order_by("pk")
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("participants", seen, to_attr="seen_participants"))
        )
