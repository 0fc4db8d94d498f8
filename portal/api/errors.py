"""Refusals as JSON in Russian: DRF's own (translated by Django's locale), a service's
ValidationError as 400 with its fields, a stale write as 409 with the current version."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from portal.locking import StaleEdit
from portal.params import BadParameter

STALE = (
    "Запись уже изменил другой пользователь: изменения не сохранены. Прочитайте ее заново "
    "и повторите с текущей версией (version)."
)


class StaleSerializer(serializers.Serializer):
    detail = serializers.CharField()
    version = serializers.IntegerField(help_text="Текущая версия записи.")
    current = serializers.DictField(help_text="Запись как она есть сейчас.")


STALE_RESPONSE = OpenApiResponse(
    StaleSerializer, description="Запись изменили после того, как вы ее прочитали."
)


def stale_response(current, data=None) -> Response:
    body = {"detail": STALE, "version": getattr(current, "version", None)}
    if data is not None:
        body["current"] = data
    return Response(body, status=status.HTTP_409_CONFLICT)


def validation_response(error: ValidationError) -> Response:
    if hasattr(error, "error_dict"):
        body = {
            (name if name != "__all__" else "non_field_errors"): messages
            for name, messages in error.message_dict.items()
        }
    else:
        body = {"non_field_errors": error.messages}
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def exception_handler(exc, context):
    if isinstance(exc, StaleEdit):
        return stale_response(exc.current)
    if isinstance(exc, Http404):
        exc = NotFound()  # Django's message names the model in English
    if isinstance(exc, BadParameter):
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ValidationError):
        return validation_response(exc)
    return drf_handler(exc, context)
