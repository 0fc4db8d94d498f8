"""Writing registry rows: the only place where rows and their links are created or changed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from registry.models import LinkType, Process, ProcessLink

MAX_LINK_DEPTH = 200


class StaleEditError(Exception):
    """The row changed since the form was opened: refuse instead of overwriting."""

    def __init__(self, current: Process):
        super().__init__("stale edit")
        self.current = current


@dataclass(frozen=True)
class LinkSpec:
    other: Process
    link_type: str  # LinkType value: the other row's role relative to this one


def next_identifier(authority) -> str:
    """Next number in the authority's numeric sequence (item 10 recommends numbers)."""
    top = Process.objects.filter(authority=authority).aggregate(top=Max("identifier_number"))["top"]
    return str((top or 0) + 1)


def _set_links(process: Process, links: list[LinkSpec], user) -> None:
    wanted = set()
    for spec in links:
        if spec.link_type == LinkType.PREDECESSOR:
            wanted.add((spec.other.pk, process.pk))
        else:
            wanted.add((process.pk, spec.other.pk))
    existing = {
        (link.predecessor_id, link.successor_id): link
        for link in ProcessLink.objects.filter(Q(predecessor=process) | Q(successor=process))
    }
    stale = [link.pk for pair, link in existing.items() if pair not in wanted]
    if stale:
        ProcessLink.objects.filter(pk__in=stale).delete()
    ProcessLink.objects.bulk_create(
        [
            ProcessLink(predecessor_id=pred, successor_id=succ, created_by=user)
            for pred, succ in wanted
            if (pred, succ) not in existing
        ]
    )


def add_links(process: Process, links: list[LinkSpec], user) -> None:
    """Adds links without touching the row's other links (loading data, not editing)."""
    current = [LinkSpec(other, link_type) for other, link_type in _current_links(process)]
    _set_links(process, current + links, user)


def _current_links(process: Process):
    for link in ProcessLink.objects.filter(successor=process).select_related("predecessor"):
        yield link.predecessor, LinkType.PREDECESSOR
    for link in ProcessLink.objects.filter(predecessor=process).select_related("successor"):
        yield link.successor, LinkType.SUCCESSOR


@transaction.atomic
def create_process(process: Process, placement_points, links: list[LinkSpec], user) -> Process:
    auto_identifier = not process.identifier
    if auto_identifier:
        process.identifier = next_identifier(process.authority)
    process.created_by = user
    process.updated_by = user
    try:
        with transaction.atomic():
            process.save()
    except IntegrityError:
        if not auto_identifier:
            raise
        # Someone took the same number a moment ago: take the next free one once more.
        process.pk = None
        process.identifier = next_identifier(process.authority)
        process.save()
    process.placement_points.set(placement_points)
    _set_links(process, links, user)
    return process


@transaction.atomic
def update_process(
    process: Process, expected_version: int, placement_points, links: list[LinkSpec], user
) -> Process:
    """Saves the edited row unless somebody saved it after `expected_version` was read."""
    claimed = Process.objects.filter(pk=process.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise StaleEditError(Process.objects.with_related().get(pk=process.pk))
    process.version = expected_version + 1
    process.updated_by = user
    process.save()
    process.placement_points.set(placement_points)
    _set_links(process, links, user)
    return process


@transaction.atomic
def exclude_process(process: Process, reason: str, user) -> Process:
    """Exclusion instead of deletion: the row stays, marked, with its reason."""
    Process.objects.filter(pk=process.pk).update(
        is_excluded=True,
        excluded_reason=reason.strip(),
        excluded_at=timezone.now(),
        excluded_by=user,
        updated_by=user,
        updated_at=timezone.now(),
        version=F("version") + 1,
    )
    process.refresh_from_db()
    return process


@transaction.atomic
def restore_process(process: Process, user) -> Process:
    Process.objects.filter(pk=process.pk).update(
        is_excluded=False,
        excluded_at=None,
        excluded_by=None,
        updated_by=user,
        updated_at=timezone.now(),
        version=F("version") + 1,
    )
    process.refresh_from_db()
    return process


def find_link_cycle(process: Process) -> list[Process]:
    """A chain predecessor -> successor that leads from the row back to itself, or []."""
    parents: dict[int, int] = {}
    frontier = [process.pk]
    for _ in range(MAX_LINK_DEPTH):
        if not frontier:
            return []
        edges = ProcessLink.objects.filter(predecessor_id__in=frontier).values_list(
            "predecessor_id", "successor_id"
        )
        next_frontier = []
        for pred, succ in edges:
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
