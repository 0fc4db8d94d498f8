"""What an authority has not yet published, for "my tasks", the bar's badge and the reminders:
the first change since the last version, its term, and «добавлено 1, изменено 2».

The same answer as publication_preview(), at a fixed number of queries that does not grow with
the registry: only the rows changed since the last version (their history) and the rows linked
to them (column 12 names the other row's identifier) are read, and only their elements of the
version's frozen rows, picked out in the database (docs/benchmarks.md, "Session 9").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from django.db import connections, router
from django.db.models import Q
from django.utils import timezone

from portal.workdays import ProductionCalendar
from registry.models import Organization, Process, ProcessLink, RegistryVersion
from registry.services.deadlines import PUBLICATION_DAYS
from registry.services.publication import (
    changes_text,
    first_unpublished_change,
    published_rows,
)
from registry.services.registry_rows import registry_rows


@dataclass
class PendingPublication:
    last_version: RegistryVersion | None
    changed_at: date  # the first change of the registry not yet published
    due: date
    changes: str  # «добавлено 1, изменено 2» against the last version, "" before the first


def pending_publication(authority: Organization) -> PendingPublication | None:
    """None when publish() would make no new version (nothing changed, or changed back, or no
    row in force before the first version)."""
    last, history, changed = first_unpublished_change(authority)
    if changed is None:
        return None
    if last is None:
        if not published_rows(authority).exists():
            return None
        changes = ""
    else:
        changes = _changes_since(authority, last, history.values("id"))
        if not changes:  # changed back, or a field outside the 14 columns
            return None
    changed_day = timezone.localdate(changed)
    due = ProductionCalendar().add_working_days(changed_day, PUBLICATION_DAYS)
    return PendingPublication(last, changed_day, due, changes)


def _changes_since(authority, last: RegistryVersion, changed_ids) -> str:
    """The rows changed since `last`, and those linked to them, against their elements of it.

    A row without history since carries the identifier it had then, so an element of the
    version whose identifier no row carries now, or one of these rows carries, is one of
    theirs; every other element is a row unchanged since."""
    touched = Q(pk__in=changed_ids)
    touched |= Q(
        pk__in=ProcessLink.objects.filter(successor_id__in=changed_ids).values("predecessor_id")
    )
    touched |= Q(
        pk__in=ProcessLink.objects.filter(predecessor_id__in=changed_ids).values("successor_id")
    )
    rows = Process.objects.filter(authority=authority).filter(touched)
    identifiers = list(rows.values_list("identifier", flat=True))
    now = [
        {"identifier": row.values[0], "values": row.values}
        for row in registry_rows(published_rows(authority).filter(touched))
    ]
    return changes_text(_version_elements(last, authority, identifiers), now)


# The portal runs on these two (config/settings.py); each has its JSON functions.
_ELEMENTS = {
    "postgresql": (
        "SELECT e.value->>'identifier', e.value->'values' "
        "FROM registry_registryversion v CROSS JOIN LATERAL jsonb_array_elements(v.rows) e "
        "WHERE v.id = %s AND (e.value->>'identifier' = ANY(%s) OR NOT EXISTS ("
        "SELECT 1 FROM registry_process p "
        "WHERE p.authority_id = %s AND p.identifier = e.value->>'identifier'))"
    ),
    "sqlite": (
        "SELECT json_extract(e.value, '$.identifier'), json_extract(e.value, '$.values') "
        "FROM registry_registryversion v, json_each(v.rows) e "
        "WHERE v.id = %s AND (json_extract(e.value, '$.identifier') IN "
        "(SELECT value FROM json_each(%s)) OR NOT EXISTS ("
        "SELECT 1 FROM registry_process p "
        "WHERE p.authority_id = %s AND p.identifier = json_extract(e.value, '$.identifier')))"
    ),
}


def _version_elements(version: RegistryVersion, authority, identifiers: list[str]) -> list[dict]:
    """The version's frozen rows that belong to the rows carrying `identifiers` now or to no
    row now, read element by element in the database (the version's JSON stays there)."""
    db = connections[router.db_for_read(RegistryVersion)]
    vendor = db.vendor
    keys = identifiers if vendor == "postgresql" else json.dumps(identifiers)
    with db.cursor() as cursor:
        cursor.execute(_ELEMENTS[vendor], [version.pk, keys, authority.pk])
        found = cursor.fetchall()
    return [
        {"identifier": identifier, "values": json.loads(v) if isinstance(v, str) else v}
        for identifier, v in found
    ]
