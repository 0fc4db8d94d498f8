"""The length of one cell of text: Excel keeps at most 32,767 characters in a cell, so a
longer value would be cut in the published XLSX while the JSON and CSV keep it whole. Every
entry point (forms, imports, files) refuses longer text with the column and row named."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models

CELL_MAX_CHARS = 32_767


def number(value: int) -> str:
    """50000 -> "50 000", as Russian documents write numbers."""
    return f"{value:,}".replace(",", " ")


def too_long(where: str, length: int) -> str:
    """`where`: "Графа 9 строки 4", "Графа «Мероприятие»"."""
    return (
        f"{where}: не более {number(CELL_MAX_CHARS)} знаков (столько вмещает ячейка XLSX), "
        f"а в ней {number(length)}. Сократите текст или вынесите подробности в документ."
    )


def cell_length_validator() -> MaxLengthValidator:
    return MaxLengthValidator(
        CELL_MAX_CHARS,
        message=(
            f"Не более {number(CELL_MAX_CHARS)} знаков (столько вмещает ячейка XLSX), "
            "а здесь %(show_value)d. Сократите текст."
        ),
    )


def cell_text(verbose_name: str, **options) -> models.TextField:
    """A model's text that one XLSX cell must hold (the registry's and the plans' columns)."""
    return models.TextField(verbose_name, validators=[cell_length_validator()], **options)


def cell_validator(where: str):
    """A form field's check with the column named: cell_validator("Графа 3")."""
    from django.core.exceptions import ValidationError

    def validate(value):
        if value is not None and len(value) > CELL_MAX_CHARS:
            raise ValidationError(too_long(where, len(value)), code="max_length")

    return validate


def limit_form_field(field, where: str) -> None:
    """A text field of a form held to one XLSX cell, the browser told too."""
    field.max_length = CELL_MAX_CHARS
    field.validators.append(cell_validator(where))
    field.widget.attrs["maxlength"] = str(CELL_MAX_CHARS)
