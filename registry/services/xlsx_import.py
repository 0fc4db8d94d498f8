"""Taking in an authority's registry spreadsheet: a preview of every row first, then all rows
in one transaction, or none.

The preview marks each row new / changed (with the columns that change) / unchanged / error.
Values are matched to the catalogue tolerantly (case, ё/е, spaces, trailing dots, known
variants of the status wording); anything unknown is an error that lists what is allowed.
Rows are matched to the registry by process identifier within the authority.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from registry.columns import edition_columns
from registry.models import (
    LifeSituation,
    LinkType,
    Organization,
    PlacementPoint,
    Process,
    ProcessGroup,
    ProcessKind,
    ProcessLink,
    ReengineeringStatus,
    TypicalProcess,
    normalize_identifier,
    normalize_text,
)
from registry.models.processes import COLUMN_FIELDS
from registry.services import processes as process_service
from registry.services.recording import record_states
from registry.services.registry_rows import registry_rows
from registry.services.row_values import RowNames, add_kept_links, foreign_link_values, row_texts
from registry.services.xlsx_reader import (
    ParsedSheet,
    SheetRow,
    SpreadsheetError,
    long_cell_errors,
    read_registry_sheet,
)

# The import block above stays as it was until the column mapping reworked on another branch
# (issue 12) is merged; then it shrinks to what this module uses and these two exemptions go.
# The steps themselves live in registry.services.imports.
# ruff: noqa: F401, I001
from portal.imports import (
    ACTION_LABELS,
    CHANGED,
    ERROR,
    NEW,
    UNCHANGED,
    ImportRefused,
    RowChange,
    check_confirmed,
)
from registry.services.imports.catalogue import Catalogue, key
from registry.services.imports.links import LINK_MAX_CHARS, LINK_TYPES, parse_link
from registry.services.imports.preview import RegistryPreview
from registry.services.imports.report import RegistryReport, RowReport
from registry.services.imports.write import RegistryWriter

ImportReport = RegistryReport  # the name the views and the stored batches know


class RegistryImport:
    """The preview of one file for one authority (read → parse → links → compare), and its
    apply (the preview again, checked against the confirmed fingerprint, then written)."""

    def __init__(
        self, authority: Organization, user=None, default_unit: Organization | None = None
    ):
        self.authority = authority
        self.user = user
        self.default_unit = default_unit
        self.catalogue = Catalogue(authority.level)
        self.headers = {n: c.header for n, c in edition_columns(authority.edition).items()}

    # --- preview -------------------------------------------------------------------------

    def read(
        self, data: bytes, file_name: str | None = None
    ) -> tuple[ParsedSheet | None, RegistryReport]:
        """Reads the file once; the parsed sheet is kept with the upload for the confirm."""
        try:
            sheet = read_registry_sheet(data, file_name)
        except SpreadsheetError as error:
            report = RegistryReport(authority_id=self.authority.pk)
            report.file_errors.append(str(error))
            return None, report
        return sheet, self.preview_sheet(sheet)

    def preview(self, data: bytes, file_name: str | None = None) -> RegistryReport:
        return self.read(data, file_name)[1]

    def preview_sheet(self, sheet: ParsedSheet) -> RegistryReport:
        report = RegistryReport(authority_id=self.authority.pk, sheet_name=sheet.sheet_name)
        if not sheet.rows:
            report.file_errors.append("В таблице нет строк реестра под строкой заголовков.")
            return report
        preview = RegistryPreview(
            self.authority, self.user, self.default_unit, self.catalogue, self.headers
        )
        report.rows = preview.rows(sheet)
        return report

    # --- apply ---------------------------------------------------------------------------

    def checked(self, source: bytes | ParsedSheet, expected_fingerprint: str) -> RegistryReport:
        """The preview again, against the registry as it is now; refused when it has errors or
        differs from the preview the user confirmed."""
        report = (
            self.preview_sheet(source) if isinstance(source, ParsedSheet) else self.preview(source)
        )
        check_confirmed(
            report,
            expected_fingerprint,
            errors="В файле есть ошибки: ничего не записано.",
            stale="Реестр изменился после предпросмотра: проверьте обновленный предпросмотр и "
            "подтвердите снова. Ничего не записано.",
        )
        return report

    @staticmethod
    def rows_to_write(report: RegistryReport) -> list[RowReport]:
        return [r for r in report.rows if r.action in (NEW, CHANGED)]

    @transaction.atomic
    def apply(
        self,
        source: bytes | ParsedSheet,
        expected_fingerprint: str,
        reason: str = "Загрузка из файла",
    ) -> RegistryReport:
        """Writes every row of the file, or nothing. Refuses when the preview is out of date:
        the rows are checked against the registry as it is now, not as it was at preview."""
        report = self.checked(source, expected_fingerprint)
        writer = RegistryWriter(self.authority, self.user, self.default_unit)
        writer.write(report, self.rows_to_write(report), reason)
        return report
