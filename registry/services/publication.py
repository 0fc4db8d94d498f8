"""Publishing an authority's registry as an immutable numbered version (items 27-28 of the
Procedure: published on the official site within 10 working days of its forming or change),
comparing versions, and the open-data forms of a version."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date

from django.core.files import File
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import ngettext

from portal import csvfile
from portal.params import search_words
from portal.workdays import ProductionCalendar
from registry.columns import COLUMNS, OPEN_DATA_KEYS, edition_columns
from registry.models import Organization, Process, RegistryVersion
from registry.models.processes import normalize_text
from registry.services.deadlines import PUBLICATION_DAYS
from registry.services.registry_rows import registry_rows
from registry.services.xlsx_export import export_registry


def published_rows(authority: Organization):
    """What a publication contains: the rows in force, never excluded ones."""
    return Process.objects.filter(authority=authority, is_excluded=False)


class NothingToPublish(Exception):
    """The registry is as its last version shows it: a new version would repeat it."""


NOTHING_CHANGED = "Изменений после последней публикации нет: новая версия не создана."
EMPTY_REGISTRY = "В реестре нет ни одной строки: публиковать нечего, версия не создана."


def fingerprint(rows: list[dict]) -> str:
    """The content of a version in 64 characters: equal rows, equal fingerprints."""
    text = json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def frozen_rows(authority: Organization) -> list[dict]:
    """The rows a version would hold if published now (a constant number of queries)."""
    return [
        {"identifier": r.values[0], "values": r.values}
        for r in registry_rows(published_rows(authority))
    ]


PUBLISH_LOCK = "publish:{pk}"  # the job lock of an authority's publication (portal.jobs)


@transaction.atomic
def publish(authority: Organization, user, progress=None) -> RegistryVersion:
    """A new version, unless the registry is as the last one shows it. Locking the authority
    row puts concurrent publications one after another, so the second sees the first.
    `progress(done, total)` is called for each row written to the version's file (a job)."""
    Organization.objects.select_for_update().get(pk=authority.pk)
    rows = published_rows(authority)
    frozen = frozen_rows(authority)
    content_hash = fingerprint(frozen)
    last = authority.registry_versions.order_by("-number").only("content_hash").first()
    previous_hash = last.content_hash if last is not None else ""
    if content_hash == previous_hash:
        raise NothingToPublish(NOTHING_CHANGED)
    if not frozen and last is None:
        raise NothingToPublish(EMPTY_REGISTRY)
    total = len(frozen)
    handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="version-")
    os.close(handle)
    try:
        export_registry(
            rows, path, progress=None if progress is None else lambda done: progress(done, total)
        )
        number = (authority.registry_versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = RegistryVersion(
            authority=authority,
            number=number,
            published_at=timezone.now(),
            published_by=user,
            rows=frozen,
            row_count=len(frozen),
            edition_level=authority.level,
            catalogue_edition=authority.edition,
            content_hash=content_hash,
            previous_hash=previous_hash,
        )
        # The storage reads the written file a part at a time, never whole in memory. The
        # database storage writes it in this transaction; S3 keeps an object of a version
        # refused at INSERT unreferenced (a version is never left without its file).
        with open(path, "rb") as stream:
            version.xlsx.save("version.xlsx", File(stream), save=False)
    finally:
        os.unlink(path)
    version.save()
    return version


@dataclass
class VersionDiff:
    added: list[dict] = field(default_factory=list)
    excluded: list[dict] = field(default_factory=list)
    changed: list[tuple[str, list[tuple[int, str, str, str]]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.excluded or self.changed)


def compare(old: RegistryVersion, new: RegistryVersion) -> VersionDiff:
    """Rows added, excluded and changed (column by column) from `old` to `new`."""
    headers = {n: c.header for n, c in edition_columns(new.edition).items()}
    before = {row["identifier"]: row["values"] for row in old.rows}
    after = {row["identifier"]: row["values"] for row in new.rows}
    diff = VersionDiff()
    for identifier, values in after.items():
        if identifier not in before:
            diff.added.append({"identifier": identifier, "values": values})
            continue
        changes = [
            (n, headers[n], before[identifier][n - 1], value)
            for n, value in enumerate(values, start=1)
            if before[identifier][n - 1] != value
        ]
        if changes:
            diff.changed.append((identifier, changes))
    diff.excluded = [
        {"identifier": identifier, "values": values}
        for identifier, values in before.items()
        if identifier not in after
    ]
    return diff


@dataclass
class PublicationStatus:
    last_version: RegistryVersion | None
    changed_at: date | None  # the first change of the registry not yet published
    due: date | None

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()


def publication_status(authority: Organization) -> PublicationStatus:
    """What publish() would do now: a task only if it would make a new version. The term runs
    from the first change since the last publication (item 28: published within 10 working
    days of the change), so later changes do not move it. Changes that leave the published
    content as it is (changed back, or a field outside the 14 columns) make no task."""
    return _status(authority)[0]


def first_unpublished_change(authority: Organization):
    """The last version (without its rows), the registry's history since it, and its first
    change (item 28's term runs from it; None when nothing changed): two queries."""
    last = authority.registry_versions.order_by("-number").defer("rows").first()
    history = Process.history.filter(authority_id=authority.pk)
    if last is not None:
        history = history.filter(history_date__gt=last.published_at)
    return last, history, history.aggregate(first=Min("history_date"))["first"]


def _status(authority: Organization) -> tuple[PublicationStatus, list[dict] | None]:
    """The status and, when there are changes to weigh, the rows a version would hold."""
    last, _history, changed = first_unpublished_change(authority)
    if changed is None:
        return PublicationStatus(last, None, None), None
    frozen = frozen_rows(authority)
    if last is not None and fingerprint(frozen) == last.content_hash:
        return PublicationStatus(last, None, None), frozen
    changed_day = timezone.localdate(changed)
    due = ProductionCalendar().add_working_days(changed_day, PUBLICATION_DAYS)
    return PublicationStatus(last, changed_day, due), frozen


NOTHING_TO_PUBLISH = "Изменений после последней публикации нет — публиковать нечего."


@dataclass
class PublicationPreview:
    """What the publish button says before it is pressed."""

    status: PublicationStatus
    refused: str = ""  # why there is nothing to publish
    text: str = ""  # «Будет опубликована версия 3: 22 строки, изменено 2»
    changes: str = ""  # «добавлено 1, изменено 2» against the last version


def publication_preview(authority: Organization) -> PublicationPreview:
    status, frozen = _status(authority)
    if status.due is None:
        refused = NOTHING_TO_PUBLISH if status.last_version is not None else EMPTY_REGISTRY
        return PublicationPreview(status, refused=refused)
    last = status.last_version
    if last is None and not frozen:  # every row excluded: publish() refuses it too
        return PublicationPreview(status, refused=EMPTY_REGISTRY)
    number = (last.number if last is not None else 0) + 1
    text = f"Будет опубликована версия {number}: " + ngettext(
        "%(count)s строка", "%(count)s строк", len(frozen)
    ) % {"count": len(frozen)}
    changes = changes_text(last.rows, frozen) if last is not None else ""
    text += f", {changes}" if changes else ""
    text += (
        ". Опубликованная версия не изменяется и сразу видна всем без входа на публичной странице."
    )
    return PublicationPreview(status, text=text, changes=changes)


def changes_text(old: list[dict], new: list[dict]) -> str:
    """«добавлено 1, изменено 2, исключено 1» from `old` to `new` frozen rows, by identifier."""
    before = {row["identifier"]: row["values"] for row in old}
    after = {row["identifier"]: row["values"] for row in new}
    counts = (
        ("добавлено", sum(1 for key in after if key not in before)),
        ("изменено", sum(1 for key, v in after.items() if key in before and before[key] != v)),
        ("исключено", sum(1 for key in before if key not in after)),
    )
    return ", ".join(f"{word} {count}" for word, count in counts if count)


def matching_rows(version: RegistryVersion, text: str) -> list[dict]:
    """The version's rows whose 14 values contain every word of `text` (case and ё ignored,
    as the registry list's search). Searched in its frozen rows, not in the tables: only what
    was published is found, and the same way on SQLite and PostgreSQL (whose LIKE differ on
    Cyrillic case). An authority's registry is hundreds of rows (docs/benchmarks.md)."""
    words = search_words(normalize_text(text))
    if not words:
        return version.rows
    found = []
    for row in version.rows:
        text = normalize_text(" ".join(row["values"]))  # once per row, not per word
        if all(word in text for word in words):
            found.append(row)
    return found


def csv_bytes(version: RegistryVersion) -> bytes:
    """The version as CSV for spreadsheet programs (portal.csvfile)."""
    headers = edition_columns(version.edition)
    return csvfile.csv_bytes(
        [column.header(headers) for column in COLUMNS], (row["values"] for row in version.rows)
    )


def json_payload(version: RegistryVersion) -> dict:
    return {
        "authority": version.authority.full_name,
        "version": version.number,
        "published_at": version.published_at.isoformat(),
        "rows": [dict(zip(OPEN_DATA_KEYS, row["values"], strict=True)) for row in version.rows],
    }


def data_passport(version: RegistryVersion, urls: dict[str, str]) -> dict:
    """The passport of the open data set: what it is, who keeps it, and what each field means."""
    headers = edition_columns(version.edition)
    return {
        "title": f"{headers[1].edition.registry_title}: {version.authority.full_name}",
        "description": (
            "Реестр межведомственных и внутриведомственных процессов органа власти "
            "по типовой форме: одна строка — один процесс (мероприятие) функции, услуги, сервиса."
        ),
        "publisher": version.authority.full_name,
        "version": version.number,
        "modified": version.published_at.isoformat(),
        "rows": version.row_count,
        "format": ["xlsx", "csv", "json"],
        "encoding": "UTF-8",
        "source": headers[1].edition.source,
        "files": urls,
        "fields": [
            {
                "name": column.open_data_key,
                "column": column.number,
                "title": column.header(headers),
                "mandatory": headers[column.number].mandatory,
                "type": "string",
            }
            for column in COLUMNS
        ],
    }
