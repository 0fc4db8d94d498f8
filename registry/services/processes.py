"""Writing registry rows: the only place where rows and their links are created or changed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from portal.locking import StaleEdit, claim
from registry.models import LinkType, Process, ProcessLink
from registry.models.processes import PROCESS_HISTORY
from registry.services.recording import record_states

MAX_LINK_DEPTH = 200


# The row changed since the form was opened: refused instead of overwritten (portal.locking).
StaleEditError = StaleEdit


@dataclass(frozen=True)
class LinkSpec:
    other: Process
    link_type: str  # LinkType value: the other row's role relative to this one


def save_recorded(process: Process, placement_points, user, reason: str, created=False) -> None:
    """Saves the row and its column 14, then records that state once in its history.

    Saving and setting the points separately would record two states per change.
    """
    process.skip_history_when_saving = True
    try:
        process.save()
        if placement_points is not None:
            process.placement_points.set(placement_points)
    finally:
        del process.skip_history_when_saving
    process._history_user = user
    process._change_reason = reason
    PROCESS_HISTORY.create_historical_record(process, "+" if created else "~")


def next_identifier(authority) -> str:
    """Next number in the authority's numeric sequence (item 10 recommends numbers)."""
    top = Process.objects.filter(authority=authority).aggregate(top=Max("identifier_number"))["top"]
    return str((top or 0) + 1)


def _pair(process: Process, spec: LinkSpec) -> tuple[int, int]:
    if spec.link_type == LinkType.PREDECESSOR:
        return spec.other.pk, process.pk
    return process.pk, spec.other.pk


def create_links(pairs, owner_authority_id: int, user) -> None:
    """Links (predecessor id, successor id) entered through a row of this authority, each
    recorded in the links' history."""
    pairs = set(pairs)
    if not pairs:
        return
    links = [
        ProcessLink(
            predecessor_id=pred,
            successor_id=succ,
            owner_authority_id=owner_authority_id,
            created_by=user,
        )
        for pred, succ in pairs
    ]
    try:
        with transaction.atomic():
            ProcessLink.objects.bulk_create(links, batch_size=2000)
    except IntegrityError:
        # The same link entered at the same moment from the other row: keep it once, and
        # record only the links this call created.
        started = timezone.now()
        for link in links:
            link.pk = None
        ProcessLink.objects.bulk_create(links, ignore_conflicts=True, batch_size=2000)
        links = [
            link
            for link in ProcessLink.objects.filter(
                predecessor_id__in={p for p, _ in pairs},
                successor_id__in={s for _, s in pairs},
                created_at__gte=started,
                owner_authority_id=owner_authority_id,
            )
            if (link.predecessor_id, link.successor_id) in pairs
        ]
    record_states(ProcessLink, [link.pk for link in links], user, "", "+")


def remove_links(links: list[ProcessLink], user) -> None:
    """Links taken out of column 12: kept as removed, and recorded in their history."""
    if not links:
        return
    now = timezone.now()
    ProcessLink.objects.filter(pk__in=[link.pk for link in links]).update(
        removed_at=now, removed_by=user
    )
    for link in links:
        link.removed_at, link.removed_by = now, user
    record_states(ProcessLink, [link.pk for link in links], user, "", "~")


def _touch(process_ids) -> None:
    """Column 12 of these rows changed: an edit opened before this must not overwrite it."""
    if process_ids:
        Process.objects.filter(pk__in=process_ids).update(version=F("version") + 1)


def _set_links(process: Process, links: list[LinkSpec], user) -> None:
    """Makes the row's links the given ones. Links entered by another authority are kept:
    only the authority that entered a link removes it."""
    wanted = {_pair(process, spec) for spec in links}
    existing = {
        (link.predecessor_id, link.successor_id): link
        for link in ProcessLink.objects.filter(Q(predecessor=process) | Q(successor=process))
    }
    removed = [
        link
        for pair, link in existing.items()
        if pair not in wanted and link.owner_authority_id == process.authority_id
    ]
    remove_links(removed, user)
    added = [pair for pair in wanted if pair not in existing]
    create_links(added, process.authority_id, user)
    others = {p for pair in added for p in pair} | {
        p for link in removed for p in (link.predecessor_id, link.successor_id)
    }
    _touch(others - {process.pk})


def add_links(process: Process, links: list[LinkSpec], user) -> None:
    """Adds links and keeps the row's others (loading data, not editing a row)."""
    pairs = {_pair(process, spec) for spec in links}
    create_links(pairs, process.authority_id, user)
    _touch({p for pair in pairs for p in pair} - {process.pk})


@transaction.atomic
def create_process(
    process: Process,
    placement_points,
    links: list[LinkSpec],
    user,
    reason="Внесен в реестр",
    inclusion_reasons=None,
) -> Process:
    auto_identifier = not process.identifier
    if auto_identifier:
        process.identifier = next_identifier(process.authority)
    process.created_by = user
    process.updated_by = user
    process.full_clean(exclude=["identifier"] if auto_identifier else None)
    try:
        with transaction.atomic():
            save_recorded(process, placement_points, user, reason, created=True)
    except IntegrityError:
        if not auto_identifier:
            raise
        # Someone took the same number a moment ago: take the next free one once more.
        process.pk = None
        process.identifier = next_identifier(process.authority)
        save_recorded(process, placement_points, user, reason, created=True)
    _set_links(process, links, user)
    _set_inclusion_reasons(process, inclusion_reasons)
    return process


@transaction.atomic
def update_process(
    process: Process,
    expected_version: int,
    placement_points,
    links: list[LinkSpec],
    user,
    reason="Изменен на портале",
    inclusion_reasons=None,
) -> Process:
    """Saves the edited row unless somebody saved it after `expected_version` was read."""
    claim(process, expected_version, current=Process.objects.with_related())
    process.updated_by = user
    process.full_clean()
    save_recorded(process, placement_points, user, reason)
    _set_links(process, links, user)
    _set_inclusion_reasons(process, inclusion_reasons)
    return process


def _set_inclusion_reasons(process: Process, reasons) -> None:
    """Item 8's reasons (None: the form did not offer them, they stay as they are)."""
    if reasons is not None:
        process.inclusion_reasons.set(reasons)


def _locked(process: Process) -> Process:
    return Process.objects.select_for_update(of=("self",)).get(pk=process.pk)


@transaction.atomic
def exclude_process(process: Process, reason: str, user) -> Process:
    """Exclusion instead of deletion: the row stays, marked, with its reason. A row excluded
    a moment ago (another exclusion under way) is refused, not excluded twice."""
    row = _locked(process)
    if row.is_excluded:
        raise StaleEditError(row, "Процесс уже исключен из реестра.")
    row.is_excluded = True
    row.excluded_reason = reason.strip()
    row.excluded_at = timezone.now()
    row.excluded_by = user
    row.updated_by = user
    row.version += 1
    save_recorded(row, None, user, f"Исключен из реестра: {row.excluded_reason}")
    process.refresh_from_db()
    return process


@transaction.atomic
def restore_process(process: Process, user) -> Process:
    row = _locked(process)
    if not row.is_excluded:
        raise StaleEditError(row, "Процесс уже восстановлен в реестре.")
    row.is_excluded = False
    row.excluded_at = None
    row.excluded_by = None
    row.updated_by = user
    row.version += 1
    save_recorded(row, None, user, "Восстановлен в реестре")
    process.refresh_from_db()
    return process


def _reachable_links(process_id: int) -> list[tuple[int, int]]:
    """(predecessor, successor) of every link in force that can be reached from the row by
    following links forward, in one query: a recursive CTE collects the rows reached (UNION
    keeps each row once, so cycles end it), then their outgoing links are read. Rows of other
    authorities are followed too: links between authorities are allowed."""
    quote = connection.ops.quote_name
    links = quote(ProcessLink._meta.db_table)
    rows = quote(Process._meta.db_table)
    pk = quote(Process._meta.pk.column)
    pred = quote(ProcessLink._meta.get_field("predecessor").column)
    succ = quote(ProcessLink._meta.get_field("successor").column)
    removed = quote(ProcessLink._meta.get_field("removed_at").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE reach(id) AS ("  # noqa: S608 - names from the models only
            f"SELECT {pk} FROM {rows} WHERE {pk} = %s "
            f"UNION SELECT l.{succ} FROM {links} l JOIN reach r ON l.{pred} = r.id "
            f"WHERE l.{removed} IS NULL) "
            f"SELECT l.{pred}, l.{succ} FROM {links} l JOIN reach r ON l.{pred} = r.id "
            f"WHERE l.{removed} IS NULL ORDER BY l.{pred}, l.{succ}",
            [process_id],
        )
        return cursor.fetchall()


def find_link_cycle(process: Process) -> list[Process]:
    """A shortest chain predecessor -> successor that leads from the row back to itself, or
    [] (a cycle longer than MAX_LINK_DEPTH links is not reported: the warning lists it all).
    The links are read at once (_reachable_links) and walked breadth first here, so the
    queries do not grow with the length of the chains."""
    successors: dict[int, list[int]] = defaultdict(list)
    for pred, succ in _reachable_links(process.pk):
        successors[pred].append(succ)
    parents: dict[int, int] = {}
    frontier = [process.pk]
    for _ in range(MAX_LINK_DEPTH):
        if not frontier:
            return []
        next_frontier = []
        for pred in frontier:
            for succ in successors[pred]:
                if succ == process.pk:
                    path = [pred]
                    while path[-1] != process.pk:
                        path.append(parents[path[-1]])
                    ids = [process.pk, *reversed(path[:-1]), process.pk]
                    rows = Process.objects.link_targets().in_bulk(set(ids))
                    return [rows[i] for i in ids]
                if succ not in parents:
                    parents[succ] = pred
                    next_frontier.append(succ)
        frontier = next_frontier
    return []


def link_warnings(process: Process) -> list[str]:
    """What is wrong with column 12 of this row: links to excluded rows, cycles."""
    warnings = []
    for other, link_type in process.related_links():
        if other.is_excluded:
            warnings.append(
                f"Связь с исключенным из реестра процессом «{describe(other, process)}» "
                f"({LinkType(link_type).label})."
            )
    cycle = find_link_cycle(process)
    if cycle:
        chain = " → ".join(describe(p, process) for p in cycle)
        warnings.append(f"Связи процессов образуют цикл: {chain}.")
    return warnings


def describe(other: Process, relative_to: Process) -> str:
    if other.authority_id == relative_to.authority_id:
        return other.identifier
    return f"{other.authority.display_name}: {other.identifier}"
