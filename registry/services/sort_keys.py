"""The registry rows' stored sort keys (Process STORED_SORT_KEYS): the life situation's name
and the catalogue order of each row's group, typical process, status and kind, copied into
the row so that the list sorted by columns 2, 6, 7, 9 or 13 walks one index (issue 13). A
row's own keys are set by Process.prepare_for_save() on every write; an entry renamed or
reordered (the admin, a catalogue loaded into a filled registry) brings its rows along here.

A long write (an upload's apply, a proposal's approval) copies the keys from entries it read
at its start, and the rows it inserts are invisible to a reorder that runs meanwhile: it ends
with rederive(), which reads the entries again. On PostgreSQL the two are ordered by one
advisory lock, so that neither misses the other: the writer holds it shared from its
re-derive to its commit, a catalogue change holds it exclusively from before it brings the
rows along to its commit. A reorder committed before the writer's re-derive is read by it; a
reorder after it waits for the writer's commit and then sees its rows. The writer never waits
in the lock queue (it polls), and the reorder waits for a locked row at most
CATALOGUE_ROW_WAIT: so the two can never deadlock, and a reorder meeting rows a long write
holds is refused (CatalogueBusy), not left hanging for minutes."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable

from django.db import OperationalError, connection, models, transaction

from registry.models import Process
from registry.models.processes import STORED_SORT_KEYS

CATALOGUE_LOCK = 130_004  # pg_advisory_xact_lock key: rows' sort keys vs catalogue changes
CATALOGUE_ROW_WAIT = "3s"  # how long a catalogue change waits for a row another write holds
REDERIVE_CHUNK = 5000  # rows read per statement by rederive()
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's lock_timeout

BUSY = (
    "Изменение справочника не сохранено: строки реестра с этой записью сейчас записываются "
    "(применяется загрузка из файла или одобряется предложение). Повторите через несколько "
    "минут."
)


class CatalogueBusy(Exception):
    """A catalogue change met registry rows another write holds: nothing was saved."""

    def __init__(self, message: str = BUSY):
        super().__init__(message)
        self.message = message


def _postgresql() -> bool:
    return connection.vendor == "postgresql"  # SQLite has one writer at a time anyway


def _keys_of(entry: models.Model) -> list[tuple[str, str, str]]:
    """(sort key, relation, attribute) of the rows that refer to this kind of entry."""
    return [
        (key, relation, attribute)
        for key, (relation, attribute) in STORED_SORT_KEYS.items()
        if Process._meta.get_field(relation).related_model is type(entry)
    ]


@transaction.atomic
def entries_changed(entries: Iterable[models.Model]) -> int:
    """Gives the rows of these entries their entries' current name or order; other models
    and unsaved entries are ignored. Not a change of a row: no version, no history. Returns
    the rows brought along; raises CatalogueBusy if rows are held by another write (the
    caller's transaction must then be rolled back: the entry's change with it)."""
    entries = [entry for entry in entries if entry.pk is not None]  # blank inline forms
    if not any(_keys_of(entry) for entry in entries):
        return 0
    if _postgresql():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CATALOGUE_LOCK])
            cursor.execute("SELECT current_setting('lock_timeout')")
            wait = cursor.fetchone()[0]
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [CATALOGUE_ROW_WAIT])
    changed = 0
    try:
        for entry in entries:
            for key, relation, attribute in _keys_of(entry):
                value = getattr(entry, attribute)
                changed += (
                    Process.objects.filter(**{relation: entry})
                    .exclude(**{key: value})
                    .update(**{key: value})
                )
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise CatalogueBusy() from None
        raise
    if _postgresql():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [wait])
    return changed


def _hold_shared() -> None:
    """The shared side of CATALOGUE_LOCK until the transaction ends, polled rather than
    queued for: a catalogue change holding it exclusively ends within CATALOGUE_ROW_WAIT."""
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_xact_lock_shared(%s)", [CATALOGUE_LOCK])
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)


def rederive(pks: Iterable[int]) -> int:
    """Call last in the transaction that wrote these rows: gives each row the name or order
    its entries have now (what another transaction committed while it wrote). Returns the
    rows changed; none, unless the catalogue changed meanwhile."""
    pks = sorted(set(pks))
    if not pks:
        return 0
    if not connection.in_atomic_block:
        raise RuntimeError("rederive() belongs at the end of the writing transaction.")
    if _postgresql():
        _hold_shared()
    changed = 0
    for start in range(0, len(pks), REDERIVE_CHUNK):
        changed += _rederive_chunk(pks[start : start + REDERIVE_CHUNK])
    return changed


def _rederive_chunk(pks: list[int]) -> int:
    relations = [(key, rel, attribute) for key, (rel, attribute) in STORED_SORT_KEYS.items()]
    columns = [f"{relation}_id" for _, relation, _ in relations] + [k for k, _, _ in relations]
    rows = list(Process.objects.filter(pk__in=pks).values_list("pk", *columns))
    stale: dict[tuple[str, object], list[int]] = defaultdict(list)
    for n, (key, relation, attribute) in enumerate(relations, start=1):
        model = Process._meta.get_field(relation).related_model
        referred = {row[n] for row in rows if row[n] is not None}
        now = dict(model.objects.filter(pk__in=referred).values_list("pk", attribute))
        for row in rows:
            value = now.get(row[n]) if row[n] is not None else None
            if row[n + len(relations)] != value:
                stale[key, value].append(row[0])
    changed = set()
    for (key, value), ids in stale.items():
        Process.objects.filter(pk__in=ids).update(**{key: value})
        changed.update(ids)
    return len(changed)
