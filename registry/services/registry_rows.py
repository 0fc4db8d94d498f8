"""The registry as rows of the typical form's 14 columns, read in a constant number of queries.

Used by the XLSX export and published versions: the rows of any size of queryset are
streamed. On PostgreSQL one query builds every column's text, links (column 12) and
placement points (column 14) included, so Python only passes the tuples on; elsewhere
(SQLite: no ordered group_concat before 3.44) links and placement points are read for each
chunk of rows and joined here, the same text more slowly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import islice
from operator import itemgetter
from typing import NamedTuple

from django.contrib.postgres.aggregates import StringAgg
from django.db import connections
from django.db.models import Case, F, Func, OuterRef, Q, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce, Concat, NullIf

from portal.lookups import AnyOf
from registry.columns import COLUMNS, LINKS
from registry.models import LinkType, Organization, Process, ProcessLink

CHUNK_SIZE = 2000
LINK_SEPARATOR = "; "


def _links_by_process(ids: list[int], names: dict[int, str]) -> dict[int, str]:
    """Column 12 for the rows `ids` (one chunk): "2 (предшествующий); 5 (последующий)".

    Each side comes from the database already in display order and is appended to one
    string per row, so no per-link objects are kept. `names` caches other authorities' full
    names across chunks (short ones repeat between authorities, and the file must say which).
    """
    result: dict[int, str] = {}
    # This row as the successor lists its predecessors first, then as the predecessor.
    for this, other, link_type in (
        ("successor", "predecessor", LinkType.PREDECESSOR),
        ("predecessor", "successor", LinkType.SUCCESSOR),
    ):
        label = f" ({LinkType(link_type).label})"
        rows = list(
            ProcessLink.objects.filter(AnyOf(F(f"{this}_id"), ids))
            .order_by(
                F(f"{other}__identifier_number").asc(nulls_last=True),
                f"{other}__identifier",
                # The same identifier in two authorities' registries: by name, then row.
                f"{other}__authority__full_name",
                f"{other}_id",
            )
            .values_list(
                f"{this}_id",
                f"{this}__authority_id",
                f"{other}__identifier",
                f"{other}__authority_id",
            )
        )
        missing = {o for _, t, _, o in rows if o != t and o not in names}
        if missing:
            names.update(Organization.objects.filter(pk__in=missing).values_list("pk", "full_name"))
        for this_id, this_authority, identifier, other_authority in rows:
            ref = (
                identifier
                if other_authority == this_authority
                else f"{names[other_authority]}: {identifier}"
            )
            previous = result.get(this_id)
            result[this_id] = (
                ref + label if previous is None else previous + LINK_SEPARATOR + ref + label
            )
    return result


def format_links(entries, own_authority_id: int, names: dict[int, str]) -> str:
    """Column 12 from (side, identifier_number, identifier, authority_id, link_type) entries:
    predecessors first, then by identifier; another authority's rows prefixed by its name."""
    texts = []
    for _, _, ident, authority_id, link_type in sorted(
        entries, key=lambda e: (e[0], e[1] is None, e[1] or 0, e[2], names.get(e[3], ""), e[3])
    ):
        ref = ident if authority_id == own_authority_id else f"{names[authority_id]}: {ident}"
        texts.append(f"{ref} ({LinkType(link_type).label})")
    return LINK_SEPARATOR.join(texts)


def _placement_by_process(ids: list[int]) -> dict[int, list[str]]:
    through = Process.placement_points.through
    result: dict[int, list[str]] = defaultdict(list)
    rows = (
        through.objects.filter(AnyOf(F("process_id"), ids))
        .order_by("process_id", "placementpoint__order", "placementpoint_id")
        .values_list("process_id", "placementpoint__name")
    )
    for process_id, name in rows:
        result[process_id].append(name)
    return result


class RegistryRow(NamedTuple):
    pk: int
    authority_id: int
    values: list[str]  # columns 1 … 14 as text


REGISTRY_ORDER = ("authority__full_name", "authority_id", "identifier_number", "identifier")


def registry_rows(queryset) -> Iterator[RegistryRow]:
    """Every row of the queryset as the 14 columns of the form, in registry order.

    Plain tuples, not model instances: building seven objects per row made the export of
    100 000 rows twice as slow as writing the cells (docs/benchmarks.md). The rows stream
    (a server-side cursor on PostgreSQL), so memory stays flat for a million rows.
    """
    ordered = queryset.order_by(*REGISTRY_ORDER)
    if connections[queryset.db].vendor != "postgresql":
        yield from _rows_joined_here(ordered)
        return
    columns = _column_texts()
    rows = ordered.annotate(**columns).values_list("pk", "authority_id", *columns)
    for pk, authority_id, *values in rows.iterator(chunk_size=CHUNK_SIZE):
        yield RegistryRow(pk, authority_id, values)


def _joined(*texts) -> Func:
    """The non-empty ones of `texts` (NULL is left out), joined by the separator."""
    return Func(Value(LINK_SEPARATOR), *texts, function="CONCAT_WS", output_field=TextField())


def _first_filled(lookups: tuple[str, ...]):
    """The first lookup that is neither NULL nor empty, else ''."""
    if len(lookups) == 1:
        return Coalesce(F(lookups[0]), Value(""), output_field=TextField())
    filled = (NullIf(F(name), Value("")) for name in lookups)
    return Coalesce(*filled, Value(""), output_field=TextField())


def _links_side(this: str, other: str, link_type: LinkType) -> Subquery:
    """This row's links on one side as _links_by_process words and orders them, aggregated."""
    ref = Case(
        When(Q(**{f"{other}__authority_id": OuterRef("authority_id")}), F(f"{other}__identifier")),
        default=Concat(
            F(f"{other}__authority__full_name"),
            Value(": "),
            F(f"{other}__identifier"),
            output_field=TextField(),
        ),
        output_field=TextField(),
    )
    text = StringAgg(
        Concat(ref, Value(f" ({link_type.label})"), output_field=TextField()),
        LINK_SEPARATOR,
        order_by=(
            F(f"{other}__identifier_number").asc(nulls_last=True),
            f"{other}__identifier",
            f"{other}__authority__full_name",
            f"{other}_id",
        ),
    )
    links = ProcessLink.objects.filter(**{f"{this}_id": OuterRef("pk")}).order_by()
    return Subquery(links.values(f"{this}_id").annotate(text=text).values("text"))


def _placement_points() -> Subquery:
    through = Process.placement_points.through
    names = StringAgg(
        "placementpoint__name",
        LINK_SEPARATOR,
        order_by=("placementpoint__order", "placementpoint_id"),
    )
    chosen = through.objects.filter(process_id=OuterRef("pk")).order_by()
    return Subquery(chosen.values("process_id").annotate(text=names).values("text"))


def _column_texts() -> dict:
    """Each column's text as PostgreSQL builds it, in column order: what _rows_joined_here
    makes of the same rows (tests/registry/test_export_file_unchanged.py compares both)."""
    texts = {}
    for column in COLUMNS:
        if column is LINKS:
            text = _joined(
                _links_side("successor", "predecessor", LinkType.PREDECESSOR),
                _links_side("predecessor", "successor", LinkType.SUCCESSOR),
            )
        elif column.many_to_many:  # the catalogue's points, then the row's own address
            own = NullIf(_first_filled(column.row_lookups), Value(""))
            text = _joined(_placement_points(), own)
        else:
            text = _first_filled(column.row_lookups)
        texts[f"column_{column.number}"] = text
    return texts


def _row_plan():
    """Where each column's text is in a row of ROW_FIELDS (Column.row_lookups): its first
    lookup, and the fallbacks taken when that one is empty."""
    fields, first, fallbacks = ["pk", "authority_id"], [], []
    for index, column in enumerate(COLUMNS):
        at = len(fields)
        fields.extend(column.row_lookups)
        first.append(at if column.row_lookups else 0)  # the links' place, filled below
        fallbacks.extend((index, more) for more in range(at + 1, len(fields)))
    return tuple(fields), itemgetter(*first), tuple(fallbacks)


ROW_FIELDS, _FIRST, _FALLBACKS = _row_plan()
_LINKS_AT = COLUMNS.index(LINKS)
_POINTS_AT = tuple(index for index, column in enumerate(COLUMNS) if column.many_to_many)


def _chunk_size(using: str) -> int:
    # Column 12 and 14 are read per chunk with `id IN (…)`: SQLite takes 999 parameters.
    limit = connections[using].features.max_query_params
    return CHUNK_SIZE if limit is None else min(CHUNK_SIZE, limit - 1)


def _rows_joined_here(ordered) -> Iterator[RegistryRow]:
    """registry_rows() where the database cannot join the links in order: columns 12 and 14
    read for each chunk of rows, four queries more per chunk."""
    size = _chunk_size(ordered.db)
    rows = ordered.values_list(*ROW_FIELDS).iterator(chunk_size=size)
    names: dict[int, str] = {}
    while chunk := list(islice(rows, size)):
        ids = [row[0] for row in chunk]
        links = _links_by_process(ids, names)
        placements = _placement_by_process(ids)
        for row in chunk:
            pk = row[0]
            values = [value or "" for value in _FIRST(row)]
            for index, more in _FALLBACKS:
                values[index] = values[index] or row[more] or ""
            values[_LINKS_AT] = links.get(pk, "")
            for index in _POINTS_AT:
                points = placements.get(pk)
                if points:
                    values[index] = LINK_SEPARATOR.join(
                        [*points, values[index]] if values[index] else points
                    )
            yield RegistryRow(pk, row[1], values)
