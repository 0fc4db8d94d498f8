"""Refusals as JSON in Russian: DRF's own (translated by Django's locale), a service's
ValidationError as 400 with its fields, a stale write as 409 with the current version."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ParseError, Throttled
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from portal.auth import minutes_text
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


# DRF's detail of these names the parser's or Python's error in English.
UNPARSED = (
    "Тело запроса не удалось прочитать: отправьте правильный JSON (файл — как multipart/form-data)."
)


def throttled_message(wait: float | None) -> str:
    """The wait in whole minutes rounded up (DRF's own says it in English seconds)."""
    if wait is None:
        return "Слишком много запросов с этим ключом. Повторите позже."
    return (
        "Слишком много запросов с этим ключом. Повторите через "
        f"{minutes_text(max(1, math.ceil(wait / 60)))}."
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
    if isinstance(exc, ParseError):
        exc = ParseError(UNPARSED)
    if isinstance(exc, Throttled):
        wait, exc = exc.wait, Throttled(detail=throttled_message(exc.wait))
        exc.wait = wait  # Retry-After, without DRF's English sentence in the detail
    if isinstance(exc, Http404):
        exc = NotFound()  # Django's message names the model in English
    if isinstance(exc, BadParameter):
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ValidationError):
        return validation_response(exc)
    return drf_handler(exc, context)
