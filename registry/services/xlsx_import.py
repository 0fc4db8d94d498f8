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

from portal.scoping import CHANGE, can
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

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"
ACTION_LABELS = {NEW: "новая", CHANGED: "изменена", UNCHANGED: "без изменений", ERROR: "ошибка"}
CODE_PREFIX = re.compile(r"^\d+(\.\d+)*\.?\s+")
# One entry of column 12 is at most this long (an authority's name, an identifier, a type).
LINK_MAX_CHARS = 1000


def parse_link(piece: str) -> tuple[str | None, str, str] | None:
    """ "[Орган: ]идентификатор (тип)" -> (authority or None, identifier, type), or None.

    What the regex ^(?:(.+?)\\s*:\\s*)?([^():]+?)\\s*\\(([^()]+)\\)$ matched, by partition:
    that regex backtracked cubically on "a:" + spaces + "(b" (20 s for 3 000 spaces)."""
    if len(piece) > LINK_MAX_CHARS or not piece.endswith(")"):
        return None
    head, bracket, link_type = piece[:-1].rpartition("(")
    if not bracket or not link_type or ")" in link_type:
        return None
    authority, colon, identifier = head.rpartition(":")
    if colon:
        if not authority or "\n" in authority:
            return None
        authority = authority.rstrip() or authority[:1]
    else:
        authority = None
    if not identifier or "(" in identifier or ")" in identifier:
        return None
    identifier = (identifier.strip() if colon else identifier.rstrip()) or identifier[:1]
    return authority, identifier, link_type


LINK_TYPES = {"предшествующий": LinkType.PREDECESSOR, "последующий": LinkType.SUCCESSOR}
IDENTIFIER_MAX = Process._meta.get_field("identifier").max_length
LIFE_SITUATION_MAX = LifeSituation._meta.get_field("name").max_length
URL_MAX = Process._meta.get_field("placement_url").max_length
URL_VALIDATOR = URLValidator()
URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
REQUIRED = {
    1: "identifier",
    3: "function_name",
    5: "regulating_act",
    7: "name",
    8: "responsible",
    9: "status",
}


def key(value: str) -> str:
    """Tolerant comparison form: case, ё/е, spaces, quotes and trailing dots do not count."""
    text = (
        normalize_text(value)
        .replace("«", '"')
        .replace("»", '"')
        .replace("“", '"')
        .replace("”", '"')
    )
    return text.rstrip(". ;")


@dataclass
class RowChange:
    column: int
    header: str
    old: str
    new: str


@dataclass
class RowReport:
    row: int  # spreadsheet row number
    identifier: str
    action: str = NEW
    changes: list[RowChange] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass
class ImportReport:
    authority_id: int
    sheet_name: str = ""
    rows: list[RowReport] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(r.action == ERROR for r in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in (NEW, CHANGED, UNCHANGED, ERROR)}

    def fingerprint(self) -> str:
        """Changes only when what would be written changes."""
        payload = [
            (r.identifier, r.action, r.values, [asdict(c) for c in r.changes])
            for r in self.rows
            if r.action != UNCHANGED
        ]
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> ImportReport:
        rows = [
            RowReport(**{**row, "changes": [RowChange(**c) for c in row["changes"]]})
            for row in data["rows"]
        ]
        return cls(data["authority_id"], data["sheet_name"], rows, data["file_errors"])

    def text(self) -> str:
        """The report as the command line prints it."""
        lines = [
            f"Лист «{self.sheet_name}»: "
            + ", ".join(f"{ACTION_LABELS[a]} — {n}" for a, n in self.counts.items())
        ]
        lines += [f"Ошибка файла: {e}" for e in self.file_errors]
        for r in self.rows:
            if r.action == UNCHANGED:
                continue
            lines.append(f"Строка {r.row}, процесс «{r.identifier}»: {r.action_label}")
            lines += [
                f"    графа {c.column} «{c.header}»: «{c.old}» → «{c.new}»" for c in r.changes
            ]
            lines += [f"    ошибка: {e}" for e in r.errors]
            lines += [f"    внимание: {w}" for w in r.warnings]
        return "\n".join(lines)


class Catalogue:
    """The authority's edition of the catalogue, indexed for tolerant matching."""

    def __init__(self, level: str):
        self.groups: dict[str, ProcessGroup] = {}
        for group in ProcessGroup.objects.filter(edition__level=level):
            for name in (group.name, group.short_name, group.code):
                if name:
                    self.groups[key(name)] = group
        self.group_names = [g.name for g in ProcessGroup.objects.filter(edition__level=level)]
        self.typicals: dict[tuple[int, str], TypicalProcess] = {}
        self.typicals_by_name: dict[str, list[TypicalProcess]] = defaultdict(list)
        for typical in TypicalProcess.objects.filter(group__edition__level=level).select_related(
            "group"
        ):
            self.typicals[(typical.group_id, key(typical.name))] = typical
            self.typicals_by_name[key(typical.name)].append(typical)
        self.statuses: dict[str, ReengineeringStatus] = {}
        statuses = list(ReengineeringStatus.objects.filter(edition__level=level))
        for status in statuses:
            for name in (status.name, *status.aliases):
                self.statuses[key(name)] = status
        self.status_names = [s.name for s in statuses]
        kinds = list(ProcessKind.objects.filter(edition__level=level))
        self.kinds = {key(k.name): k for k in kinds}
        self.kinds.update({key(k.name).replace(" ", ""): k for k in kinds})
        self.kind_names = [k.name for k in kinds]
        points = list(PlacementPoint.objects.all())
        self.points = {key(p.name): p for p in points}
        self.points.update({p.code: p for p in points})
        self.point_names = [p.name for p in points]
        self.point_order = {p.pk: p.order for p in points}
        self.row_names = RowNames(
            groups={g.pk: g.name for g in self.groups.values()},
            typicals={t.pk: t.name for t in self.typicals.values()},
            statuses={s.pk: s.name for s in statuses},
            kinds={k.pk: k.name for k in kinds},
            points={p.pk: p.name for p in sorted(points, key=lambda p: p.order)},
        )


def _authority_names() -> dict[str, list[Organization]]:
    """Every name an authority goes by; a short name may belong to several authorities."""
    names: dict[str, list[Organization]] = defaultdict(list)
    for org in Organization.objects.authorities().prefetch_related("aliases"):
        for name in {org.full_name, org.short_name, *(a.name for a in org.aliases.all())}:
            if name and org not in names[key(name)]:
                names[key(name)].append(org)
    return names


class RegistryImport:
    """Builds the preview of one file for one authority, and applies it."""

    def __init__(
        self, authority: Organization, user=None, default_unit: Organization | None = None
    ):
        self.authority = authority
        self.user = user
        self.default_unit = default_unit
        self.catalogue = Catalogue(authority.level)
        self.headers = {n: c.header for n, c in edition_columns(authority.edition).items()}
        self.life_situations = dict(LifeSituation.objects.values_list("normalized_name", "name"))

    # --- preview -------------------------------------------------------------------------

    def read(
        self, data: bytes, file_name: str | None = None
    ) -> tuple[ParsedSheet | None, ImportReport]:
        """Reads the file once; the parsed sheet is kept with the upload for the confirm."""
        try:
            sheet = read_registry_sheet(data, file_name)
        except SpreadsheetError as error:
            report = ImportReport(self.authority.pk)
            report.file_errors.append(str(error))
            return None, report
        return sheet, self.preview_sheet(sheet)

    def preview(self, data: bytes, file_name: str | None = None) -> ImportReport:
        return self.read(data, file_name)[1]

    def preview_sheet(self, sheet: ParsedSheet) -> ImportReport:
        report = ImportReport(self.authority.pk, sheet.sheet_name)
        if not sheet.rows:
            report.file_errors.append("В таблице нет строк реестра под строкой заголовков.")
            return report
        self._build(sheet, report)
        return report

    def _build(self, sheet: ParsedSheet, report: ImportReport) -> None:
        existing_rows = Process.objects.filter(authority=self.authority)
        existing = {
            p.identifier: p
            for p in existing_rows.only("pk", "identifier", "version", "unit_id", "is_excluded")
        }
        current_text = {row.pk: row.values for row in registry_rows(existing_rows)}
        editable = None
        if self.user is not None:
            editable = set(
                Process.objects.editable_by(self.user)
                .filter(authority=self.authority)
                .values_list("pk", flat=True)
            )
        in_file: dict[str, int] = {}
        parsed = []
        for row in sheet.rows:
            entry = self._parse_row(row)
            ident = entry.identifier
            if ident:
                if ident in in_file:
                    entry.errors.append(
                        f"Графа 1: идентификатор «{ident}» уже встречается "
                        f"в строке {in_file[ident]}."
                    )
                else:
                    in_file[ident] = row.number
            parsed.append(entry)

        authority_names = _authority_names()
        for entry in parsed:
            self._resolve_links(entry, in_file, existing, authority_names)
        self._add_implied_links(parsed)
        self._keep_foreign_links(parsed, existing)
        for entry in parsed:
            report.rows.append(entry)
            if entry.errors:
                entry.action = ERROR
                continue
            current = existing.get(entry.identifier)
            if current is None:
                entry.action = NEW
                if self.default_unit is None:
                    entry.errors.append(
                        "Новая строка: выберите подразделение, к которому отнести новые строки."
                    )
                    entry.action = ERROR
                elif self.user is not None and not can(self.user, CHANGE, self._new_row()):
                    entry.errors.append(
                        "Новые строки вносит сотрудник или уполномоченное лицо органа власти."
                    )
                    entry.action = ERROR
                continue
            entry.values["existing_pk"] = current.pk
            entry.values["existing_version"] = current.version
            old = current_text.get(current.pk)
            entry.changes = (
                [
                    RowChange(n, self.headers[n], old[n - 1], new)
                    for n, new in enumerate(self._canonical(entry), start=1)
                    if _same(old[n - 1]) != _same(new)
                ]
                if old is not None
                else []
            )
            if not entry.changes:
                entry.action = UNCHANGED
                entry.warnings = []  # nothing will be written, so nothing to warn about
                continue
            entry.action = CHANGED
            if current.is_excluded:
                entry.errors.append(
                    "Процесс исключен из реестра: восстановите его на портале, прежде чем менять."
                )
            elif editable is not None and current.pk not in editable:
                if [c.column for c in entry.changes] == [12]:
                    # Only a link named on another row of the file, as on the portal, where
                    # a link to another unit's row is entered from one's own row.
                    entry.action = UNCHANGED
                    entry.warnings = [
                        "Графа 12 изменится через связь, указанную в другой строке файла."
                    ]
                    continue
                entry.errors.append(
                    "Строку ведет другое подразделение: изменить ее может оно "
                    "или уполномоченное лицо."
                )
            if entry.errors:
                entry.action = ERROR

    def _new_row(self) -> Process:
        return Process(authority=self.authority, unit=self.default_unit)

    def _parse_row(self, row: SheetRow) -> RowReport:
        cells = row.cells
        ident = normalize_identifier(cells.get(1, ""))
        entry = RowReport(row=row.number, identifier=ident)
        errors = entry.errors
        errors.extend(long_cell_errors(row))
        for number in (1, 3, 5, 8):  # 7 and 9 are checked with their values below
            if not cells.get(number, "").strip():
                errors.append(
                    f"Графа {number} «{self.headers[number]}» обязательна для заполнения."
                )
        if 1 in row.typed:
            errors.append(
                f"Графа 1: «{cells[1]}» записан в таблице как число или дата, а не как текст; "
                "введите идентификатор текстом (например, «1.10» в формате «Текстовый»)."
            )
        if len(ident) > IDENTIFIER_MAX:
            errors.append(f"Графа 1: идентификатор длиннее {IDENTIFIER_MAX} символов.")
        situation = re.sub(r"\s+", " ", cells.get(2, "")).strip()
        if len(situation) > LIFE_SITUATION_MAX:
            errors.append(f"Графа 2: жизненная ситуация длиннее {LIFE_SITUATION_MAX} символов.")
        # A known life situation is written as the registry already spells it.
        situation = self.life_situations.get(normalize_text(situation), situation)
        values = entry.values
        values.update(
            identifier=ident,
            life_situation=situation,
            function_name=cells.get(3, "").strip(),
            client=cells.get(4, "").strip(),
            regulating_act=cells.get(5, "").strip(),
            responsible=cells.get(8, "").strip(),
            input_data=cells.get(10, "").strip(),
            output_data=cells.get(11, "").strip(),
        )
        catalogue = self.catalogue

        group = None
        group_text = cells.get(6, "").strip()
        if group_text:
            group = catalogue.groups.get(key(group_text)) or catalogue.groups.get(
                key(CODE_PREFIX.sub("", group_text))
            )
            if group is None:
                errors.append(
                    f"Графа 6: группы процессов «{group_text}» нет в перечне. Допустимо: "
                    + "; ".join(catalogue.group_names)
                    + "."
                )
        name_text = cells.get(7, "").strip()
        typical = None
        if not name_text:
            errors.append(f"Графа 7 «{self.headers[7]}» обязательна для заполнения.")
        else:
            name_key = key(CODE_PREFIX.sub("", name_text))
            if group is not None:
                typical = catalogue.typicals.get((group.pk, name_key))
            elif not group_text:
                candidates = catalogue.typicals_by_name.get(name_key, [])
                typical = candidates[0] if len(candidates) == 1 else None
            if typical is None and not errors:
                entry.warnings.append(
                    "Графа 7: названия нет в перечне типовых процессов"
                    + (f" группы «{group.name}»" if group else "")
                    + " — строка будет внесена как нетиповой процесс."
                )
        values.update(
            group_id=(typical.group_id if typical else group.pk if group else None),
            typical_process_id=typical.pk if typical else None,
            is_non_typical=typical is None,
            process_name="" if typical else name_text,
        )

        status_text = cells.get(9, "").strip()
        status = catalogue.statuses.get(key(status_text)) if status_text else None
        if not status_text:
            errors.append(f"Графа 9 «{self.headers[9]}» обязательна для заполнения.")
        elif status is None:
            errors.append(
                f"Графа 9: статуса «{status_text}» нет. Допустимо: "
                + "; ".join(f"«{s}»" for s in catalogue.status_names)
                + "."
            )
        values["status_id"] = status.pk if status else None

        kind_text = cells.get(13, "").strip()
        kind = None
        if kind_text:
            kind = catalogue.kinds.get(key(kind_text)) or catalogue.kinds.get(
                key(kind_text).replace(" ", "")
            )
            if kind is None:
                errors.append(
                    f"Графа 13: вида процесса «{kind_text}» нет. Допустимо: "
                    + "; ".join(f"«{k}»" for k in catalogue.kind_names)
                    + " или пусто."
                )
        values["kind_id"] = kind.pk if kind else None

        points, url = [], ""
        for piece in re.split(r"[;\n]", cells.get(14, "")):
            piece = piece.strip()
            if not piece:
                continue
            if URL.match(piece):
                if url:
                    errors.append("Графа 14: допускается один адрес в сети «Интернет».")
                url = piece if piece.lower().startswith("http") else f"https://{piece}"
                try:
                    URL_VALIDATOR(url)
                    if len(url) > URL_MAX:
                        raise ValidationError("too long")
                except ValidationError:
                    errors.append(
                        f"Графа 14: «{piece[:100]}» — неверный адрес в сети «Интернет» "
                        f"(нужен полный адрес не длиннее {URL_MAX} символов)."
                    )
                continue
            point = catalogue.points.get(key(piece))
            if point is None:
                errors.append(
                    f"Графа 14: «{piece}» — не точка размещения и не адрес. Допустимо: "
                    + "; ".join(f"«{p}»" for p in catalogue.point_names)
                    + " и адрес, начинающийся с https://."
                )
            elif point.pk not in points:
                points.append(point.pk)
        values["placement_point_ids"] = sorted(points, key=lambda pk: catalogue.point_order[pk])
        values["placement_url"] = url
        values["links_text"] = cells.get(12, "").strip()
        return entry

    def _resolve_links(self, entry, in_file, existing, authority_names) -> None:
        links = []
        for piece in re.split(r"[;\n]", entry.values.pop("links_text", "")):
            piece = piece.strip()
            if not piece:
                continue
            match = parse_link(piece)
            link_type = LINK_TYPES.get(key(match[2])) if match else None
            if match is None or link_type is None:
                shown = piece if len(piece) <= 200 else piece[:200] + "…"
                entry.errors.append(
                    f"Графа 12: «{shown}» не читается. Пишите «идентификатор (предшествующий)» или "
                    "«идентификатор (последующий)», через точку с запятой; для процесса другого "
                    "органа власти — «Наименование органа: идентификатор (тип)»."
                )
                continue
            authority_text, identifier, _ = match
            target = normalize_identifier(identifier)
            if authority_text:
                candidates = authority_names.get(key(authority_text), [])
                if len(candidates) != 1:
                    entry.errors.append(
                        f"Графа 12: орган власти «{authority_text}» не найден."
                        if not candidates
                        else f"Графа 12: «{authority_text}» — так называются несколько органов "
                        "власти, укажите полное наименование: "
                        + "; ".join(f"«{o.full_name}»" for o in candidates)
                        + "."
                    )
                    continue
                other = candidates[0]
            else:
                other = self.authority
            if other.pk == self.authority.pk:
                known = target in in_file or target in existing
                if target == entry.identifier:
                    entry.errors.append("Графа 12: процесс не может быть связан сам с собой.")
                    continue
            else:
                known = self._foreign_row_exists(other.pk, target)
            if not known:
                entry.errors.append(
                    f"Графа 12: процесса с идентификатором «{target}» нет ни в файле, ни в реестре "
                    f"«{other.display_name}»."
                )
                continue
            links.append([link_type, other.pk, target])
        entry.values["links"] = sorted(links)

    def _keep_foreign_links(self, entries, existing) -> None:
        """Links another authority entered stay whatever the file says (only their owner
        removes them), so they are part of what the row will be."""
        by_pk = {existing[e.identifier].pk: e for e in entries if e.identifier in existing}
        for pk, kept in foreign_link_values(by_pk).items():
            entry = by_pk[pk]
            if entry.errors:
                continue
            links = entry.values.setdefault("links", [])
            for link in kept:
                if link not in links:
                    entry.warnings.append(
                        f"Графа 12: связь с процессом «{link[2]}» внес другой орган власти; "
                        "она сохранится."
                    )
            entry.values["links"] = add_kept_links(entry.values, kept)["links"]

    def _add_implied_links(self, entries) -> None:
        """A link written on one row of the file holds for the other row of the file too
        ("2 (последующий)" on row 1 is "1 (предшествующий)" on row 2), as on the portal."""
        by_identifier = {e.identifier: e for e in entries if e.identifier}
        opposite = {
            LinkType.PREDECESSOR: LinkType.SUCCESSOR,
            LinkType.SUCCESSOR: LinkType.PREDECESSOR,
        }
        for entry in entries:
            for link_type, authority_id, identifier in list(entry.values.get("links", [])):
                other = by_identifier.get(identifier)
                if authority_id != self.authority.pk or other is None:
                    continue
                reverse = [opposite[link_type], authority_id, entry.identifier]
                if reverse not in other.values.setdefault("links", []):
                    other.values["links"] = sorted([*other.values["links"], reverse])

    def _foreign_row_exists(self, authority_id: int, identifier: str) -> bool:
        cache = self.__dict__.setdefault("_foreign_rows", {})
        if authority_id not in cache:
            cache[authority_id] = set(
                Process.objects.filter(authority_id=authority_id).values_list(
                    "identifier", flat=True
                )
            )
        return identifier in cache[authority_id]

    def _canonical(self, entry: RowReport) -> list[str]:
        """The row as the export would write it, to compare with the registry."""
        names = self.catalogue.row_names
        for _, other, _ in entry.values["links"]:
            if other not in names.authorities:
                names.authorities[other] = Organization.objects.get(pk=other).full_name
        return row_texts(entry.values, self.authority.pk, names)

    # --- apply ---------------------------------------------------------------------------

    def checked(self, source: bytes | ParsedSheet, expected_fingerprint: str) -> ImportReport:
        """The preview again, against the registry as it is now; refused when it has errors or
        differs from the preview the user confirmed."""
        report = (
            self.preview_sheet(source) if isinstance(source, ParsedSheet) else self.preview(source)
        )
        if report.has_errors:
            raise ImportRefused(report, "В файле есть ошибки: ничего не записано.")
        if report.fingerprint() != expected_fingerprint:
            raise ImportRefused(
                report,
                "Реестр изменился после предпросмотра: проверьте обновленный предпросмотр и "
                "подтвердите снова. Ничего не записано.",
            )
        return report

    @staticmethod
    def rows_to_write(report: ImportReport) -> list[RowReport]:
        return [r for r in report.rows if r.action in (NEW, CHANGED)]

    @transaction.atomic
    def apply(
        self,
        source: bytes | ParsedSheet,
        expected_fingerprint: str,
        reason: str = "Загрузка из файла",
    ) -> ImportReport:
        """Writes every row of the file, or nothing. Refuses when the preview is out of date:
        the rows are checked against the registry as it is now, not as it was at preview."""
        report = self.checked(source, expected_fingerprint)
        rows = self.rows_to_write(report)
        existing_ids = [r.values["existing_pk"] for r in rows if r.action == CHANGED]
        locked = {
            p.pk: p
            # of=("self",): PostgreSQL locks no rows on the nullable side of an outer join.
            for p in Process.objects.select_for_update(of=("self",))
            .filter(pk__in=existing_ids)
            .select_related("life_situation", "typical_process")
        }
        for r in rows:
            if (
                r.action == CHANGED
                and locked[r.values["existing_pk"]].version != r.values["existing_version"]
            ):
                raise ImportRefused(
                    report, f"Процесс «{r.identifier}» изменен после предпросмотра."
                )

        wanted_situations = {
            normalize_text(r.values["life_situation"]): r.values["life_situation"]
            for r in rows
            if r.values["life_situation"]
        }
        LifeSituation.objects.bulk_create(
            [LifeSituation(name=name, normalized_name=k) for k, name in wanted_situations.items()],
            ignore_conflicts=True,  # the ones that exist already stay as they are
        )
        situations = {
            s.normalized_name: s
            for s in LifeSituation.objects.filter(normalized_name__in=wanted_situations)
        }
        typicals = {
            t.pk: t
            for t in TypicalProcess.objects.filter(group__edition__level=self.authority.level)
        }
        now = timezone.now()
        # The identifier is what matched the row: it is never changed by a file.
        fields = [name for name in COLUMN_FIELDS if name != "identifier"]
        created, updated = [], []
        for r in rows:
            v = r.values
            process = (
                locked[v["existing_pk"]]
                if r.action == CHANGED
                else Process(
                    authority=self.authority,
                    unit=self.default_unit,
                    created_by=self.user,
                    identifier=v["identifier"],
                )
            )
            process.life_situation = (
                situations.get(normalize_text(v["life_situation"])) if v["life_situation"] else None
            )
            process.typical_process = typicals.get(v["typical_process_id"])
            for name in (
                "function_name",
                "client",
                "regulating_act",
                "is_non_typical",
                "process_name",
                "responsible",
                "input_data",
                "output_data",
                "placement_url",
            ):
                setattr(process, name, v[name])
            process.group_id = v["group_id"]
            process.status_id = v["status_id"]
            process.kind_id = v["kind_id"]
            process.updated_by = self.user
            process.updated_at = now
            process.prepare_for_save()
            (updated if r.action == CHANGED else created).append((process, r))
        Process.objects.bulk_create([p for p, _ in created], batch_size=1000)
        if updated:
            for p, _ in updated:
                p.version += 1
            Process.objects.bulk_update(
                [p for p, _ in updated],
                [
                    *fields,
                    "version",
                    "updated_by",
                    "updated_at",
                    "search_text",
                    "name_search_text",
                    "identifier_number",
                ],
                batch_size=1000,
            )
        self._write_placements(created + updated)
        self._record_history([p for p, _ in created], reason, update=False)
        self._record_history([p for p, _ in updated], reason, update=True)
        self._write_links(created + updated)
        return report

    def _record_history(self, processes, reason: str, update: bool) -> None:
        """One history state per written row, column 14 included."""
        record_states(Process, [p.pk for p in processes], self.user, reason, "~" if update else "+")

    def _write_placements(self, pairs) -> None:
        through = Process.placement_points.through
        through.objects.filter(process_id__in=[p.pk for p, _ in pairs]).delete()
        through.objects.bulk_create(
            [
                through(process_id=p.pk, placementpoint_id=point)
                for p, r in pairs
                for point in r.values["placement_point_ids"]
            ],
            batch_size=2000,
        )

    def _write_links(self, pairs) -> None:
        ids = {
            p.identifier: p.pk
            for p in Process.objects.filter(authority=self.authority).only("pk", "identifier")
        }
        foreign: dict[int, dict[str, int]] = {}
        wanted: set[tuple[int, int]] = set()
        for process, r in pairs:
            for link_type, authority_id, identifier in r.values["links"]:
                if authority_id == self.authority.pk:
                    other = ids[identifier]
                else:
                    if authority_id not in foreign:
                        foreign[authority_id] = dict(
                            Process.objects.filter(authority_id=authority_id).values_list(
                                "identifier", "pk"
                            )
                        )
                    other = foreign[authority_id][identifier]
                wanted.add(
                    (other, process.pk)
                    if link_type == LinkType.PREDECESSOR
                    else (process.pk, other)
                )
        touched_rows = {p.pk for p, _ in pairs}
        existing = {
            (link.predecessor_id, link.successor_id): link
            for link in ProcessLink.objects.filter(
                Q(predecessor_id__in=touched_rows) | Q(successor_id__in=touched_rows)
            )
        }
        # Column 12 of a written row is what the file says; links another authority entered
        # stay, as they do when the row is edited on the portal.
        removed = [
            link
            for pair, link in existing.items()
            if pair not in wanted and link.owner_authority_id == self.authority.pk
        ]
        process_service.remove_links(removed, self.user)
        added = [pair for pair in wanted if pair not in existing]
        process_service.create_links(added, self.authority.pk, self.user)
        others = {x for pair in added for x in pair}
        others |= {x for link in removed for x in (link.predecessor_id, link.successor_id)}
        others -= touched_rows
        if others:
            Process.objects.filter(pk__in=others).update(version=F("version") + 1)


class ImportRefused(Exception):
    def __init__(self, report: ImportReport, message: str):
        super().__init__(message)
        self.report = report
        self.message = message


def _same(text: str) -> str:
    """Only line endings and surrounding spaces do not count as a change."""
    return "\n".join(line.rstrip() for line in (text or "").strip().splitlines())
