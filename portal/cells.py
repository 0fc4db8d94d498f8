"""The length of one cell of text: Excel keeps at most 32,767 characters in a cell, so a
longer value would be cut in the published XLSX while the JSON and CSV keep it whole. Every
entry point (forms, imports, files) refuses longer text with the column and row named."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator

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
