"""Open data without a token: every authority's published registry (its last version, or
?version=N), its passport, and the list of all data sets, under stable URLs. The same
payloads as the public files (registry.services.publication)."""

from __future__ import annotations

from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.views import UnscopedAPIMixin
from portal.params import int_param
from registry.models import Organization, RegistryVersion
from registry.services import publication


class DatasetSerializer(serializers.Serializer):
    authority = serializers.IntegerField()
    title = serializers.CharField()
    version = serializers.IntegerField()
    registry = serializers.URLField()
    passport = serializers.URLField()
    files = serializers.DictField(child=serializers.URLField())


VERSION_PARAM = OpenApiParameter(
    "version", int, description="Номер версии; без него — последняя опубликованная."
)


class OpenDataView(UnscopedAPIMixin, APIView):
    unscoped_because = "open data: published versions only, no sign-in"
    open_without_sign_in = True
    authentication_classes = []  # a key is not needed, and a wrong one refuses nothing

    def version(self, request, authority_pk) -> RegistryVersion:
        authority = get_object_or_404(Organization.objects.authorities(), pk=authority_pk)
        versions = authority.registry_versions.all()
        number = int_param(request, "version")
        if number:
            return get_object_or_404(versions, number=number)
        version = versions.order_by("-number").first()
        if version is None:
            raise Http404
        return version

    def files(self, request, authority_pk: int, number: int) -> dict[str, str]:
        return {
            kind: request.build_absolute_uri(
                reverse("public_file", args=[authority_pk, number, kind])
            )
            for kind in ("xlsx", "csv", "json")
        }


class DatasetListView(OpenDataView):
    @extend_schema(responses=DatasetSerializer(many=True), summary="Все наборы открытых данных")
    def get(self, request):
        """Органы власти, опубликовавшие реестр, с адресами данных, паспорта и файлов."""
        published = (
            Organization.objects.authorities()
            .annotate(last=Max("registry_versions__number"))
            .filter(last__isnull=False)
            .order_by("full_name")
            .values_list("pk", "full_name", "last")
        )
        return Response(
            [
                {
                    "authority": pk,
                    "title": name,
                    "version": last,
                    "registry": request.build_absolute_uri(reverse("api:open_registry", args=[pk])),
                    "passport": request.build_absolute_uri(reverse("api:open_passport", args=[pk])),
                    "files": self.files(request, pk, last),
                }
                for pk, name, last in published
            ]
        )


class RegistryDataView(OpenDataView):
    @extend_schema(
        parameters=[VERSION_PARAM],
        responses=OpenApiTypes.OBJECT,
        summary="Опубликованный реестр органа власти",
    )
    def get(self, request, authority_pk):
        """Строки версии по именам полей паспорта набора."""
        return Response(publication.json_payload(self.version(request, authority_pk)))


class PassportView(OpenDataView):
    @extend_schema(
        parameters=[VERSION_PARAM], responses=OpenApiTypes.OBJECT, summary="Паспорт набора"
    )
    def get(self, request, authority_pk):
        """Что это за набор, кто его ведет, что значит каждое поле."""
        version = self.version(request, authority_pk)
        files = self.files(request, authority_pk, version.number)
        return Response(publication.data_passport(version, files))


urlpatterns = [
    path("open-data/", DatasetListView.as_view(), name="open_datasets"),
    path("open-data/<int:authority_pk>/", RegistryDataView.as_view(), name="open_registry"),
    path("open-data/<int:authority_pk>/passport/", PassportView.as_view(), name="open_passport"),
]
