"""One shape for a registry row that exists only on paper — a proposal's item, a row of an
uploaded file: the 14 columns as plain JSON values (ids and texts, never objects), so it can
be stored, compared with the registry as text and written to a Process later."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Model, Q, Value
from django.db.models.functions import Coalesce, NullIf

from registry.columns import COLUMN_FIELDS, COLUMNS, LINKS
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
    identifier_number,
)
from registry.services.registry_rows import LINK_SEPARATOR, format_links

# Model fields that are foreign keys in the values (stored as "<name>_id").
FOREIGN_KEYS: dict[str, type[Model]] = {
    "group": ProcessGroup,
    "typical_process": TypicalProcess,
    "status": ReengineeringStatus,
    "kind": ProcessKind,
}
TEXT_FIELDS = tuple(
    name for name in COLUMN_FIELDS if name not in FOREIGN_KEYS and name != "life_situation"
)


@dataclass
class RowNames:
    """Display names of what the values refer to, looked up once for many rows."""

    groups: dict[int, str] = field(default_factory=dict)
    typicals: dict[int, str] = field(default_factory=dict)
    statuses: dict[int, str] = field(default_factory=dict)
    kinds: dict[int, str] = field(default_factory=dict)
    points: dict[int, str] = field(default_factory=dict)  # in the catalogue's order
    authorities: dict[int, str] = field(default_factory=dict)

    @classmethod
    def for_values(cls, rows: list[dict]) -> RowNames:
        def names_of(model, ids, name="name"):
            return dict(model.objects.filter(pk__in=ids).values_list("pk", name))

        def ids(key):
            return {r.get(key) for r in rows if r.get(key)}

        return cls(
            groups=names_of(
                ProcessGroup, ids("group_id"), Coalesce(NullIf("short_name", Value("")), "name")
            ),
            typicals=names_of(TypicalProcess, ids("typical_process_id")),
            statuses=names_of(ReengineeringStatus, ids("status_id")),
            kinds=names_of(ProcessKind, ids("kind_id")),
            points=dict(PlacementPoint.objects.order_by("order", "pk").values_list("pk", "name")),
            authorities=names_of(
                Organization, {a for r in rows for _, a, _ in r.get("links", [])}, "full_name"
            ),
        )


def row_texts(values: dict, own_authority_id: int, names: RowNames) -> list[str]:
    """Columns 1 … 14 as the registry and its export would print them."""
    chosen = set(values.get("placement_point_ids", []))
    links = [
        (0 if kind == LinkType.PREDECESSOR else 1, identifier_number(ident), ident, a, kind)
        for kind, a, ident in values.get("links", [])
    ]
    by_key = {
        "group": names.groups,
        "typical_process": names.typicals,
        "status": names.statuses,
        "kind": names.kinds,
    }

    def printed(lookup: str) -> str:
        name, _, _ = lookup.partition("__")
        if name in by_key:
            return by_key[name].get(values.get(f"{name}_id"), "")
        return values.get(name) or ""  # life_situation: the values hold its name

    texts = []
    for column in COLUMNS:
        text = next((t for t in map(printed, column.row_lookups) if t), "")
        if column is LINKS:
            text = format_links(links, own_authority_id, names.authorities)
        elif column.many_to_many:
            points = [name for pk, name in names.points.items() if pk in chosen]
            text = LINK_SEPARATOR.join([*points, text] if text else points)
        texts.append(text)
    return texts


def values_from_form(form, formset) -> dict:
    """What a valid row form (and its column-12 formset) says, as values."""
    data = form.cleaned_data
    values: dict = {name: data.get(name) or "" for name in TEXT_FIELDS}
    values["life_situation"] = data.get("life_situation_name", "")
    for name in FOREIGN_KEYS:
        obj = data.get(name)
        values[f"{name}_id"] = obj.pk if obj is not None else None
    values["is_non_typical"] = bool(data.get("is_non_typical"))
    values["placement_point_ids"] = sorted(p.pk for p in data.get("placement_points", []))
    values["links"] = sorted(
        [spec.link_type, spec.other.authority_id, spec.other.identifier]
        for spec in formset.link_specs()
    )
    return values


def values_of_process(process: Process) -> dict:
    """A stored row in the same shape, e.g. to propose a change starting from it."""
    values: dict = {name: getattr(process, name) for name in TEXT_FIELDS}
    values["life_situation"] = process.life_situation.name if process.life_situation_id else ""
    for name in FOREIGN_KEYS:
        values[f"{name}_id"] = getattr(process, f"{name}_id")
    values["placement_point_ids"] = sorted(p.pk for p in process.placement_points.all())
    values["links"] = sorted(
        [link_type, other.authority_id, other.identifier]
        for other, link_type in process.related_links()
    )
    return values


def foreign_link_values(process_ids) -> dict[int, list[list]]:
    """Per row: the column-12 links another authority entered, as values' links
    ([link type, authority id, identifier]). Writing a row keeps them whatever its values say:
    only the authority that entered a link removes it (processes._set_links)."""
    process_ids = set(process_ids)
    result: dict[int, list[list]] = defaultdict(list)
    if not process_ids:
        return result
    links = ProcessLink.objects.filter(
        Q(predecessor_id__in=process_ids) | Q(successor_id__in=process_ids)
    ).order_by("pk")
    for pred, succ, owner, pred_auth, succ_auth, pred_ident, succ_ident in links.values_list(
        "predecessor_id",
        "successor_id",
        "owner_authority_id",
        "predecessor__authority_id",
        "successor__authority_id",
        "predecessor__identifier",
        "successor__identifier",
    ):
        if succ in process_ids and owner != succ_auth:
            result[succ].append([LinkType.PREDECESSOR.value, pred_auth, pred_ident])
        if pred in process_ids and owner != pred_auth:
            result[pred].append([LinkType.SUCCESSOR.value, succ_auth, succ_ident])
    return result


def add_kept_links(values: dict, kept: list[list]) -> dict:
    """The values with these links added to column 12 (those it does not name already)."""
    links = [list(link) for link in values.get("links", [])]
    extra = [link for link in kept if link not in links]
    if not extra:
        return values
    return {**values, "links": sorted([*links, *extra])}


class LinkTargetGone(LookupError):
    """A row named in column 12 of the values is no longer in the registry."""


def fill_process(process: Process, values: dict, with_links: bool = True):
    """Sets the columns of `process` from values; returns (placement point ids, link specs).
    A row named in column 12 that no longer exists raises LinkTargetGone with the column's
    text."""
    from registry.services.processes import LinkSpec

    for name in TEXT_FIELDS:
        setattr(process, name, values.get(name, "" if name != "is_non_typical" else False))
    for name in FOREIGN_KEYS:
        setattr(process, f"{name}_id", values.get(f"{name}_id"))
    process.life_situation = LifeSituation.get_or_create_by_name(values.get("life_situation", ""))
    if process.typical_process_id:
        process.typical_process = TypicalProcess.objects.select_related("group").get(
            pk=process.typical_process_id
        )
    links = []
    for link_type, authority_id, identifier in values.get("links", []) if with_links else ():
        other = Process.objects.filter(authority_id=authority_id, identifier=identifier).first()
        if other is None:
            raise LinkTargetGone(f"Графа 12: процесса «{identifier}» больше нет в реестре.")
        links.append(LinkSpec(other, link_type))
    return values.get("placement_point_ids", []), links
