"""Loads the reference catalogue from fixtures/catalogue.json.

Used by the data migration (with historical models) and by tests and `load_catalogue`
(with the current ones): it upserts by natural keys, so running it again changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

CATALOGUE_FILE = Path(settings.BASE_DIR) / "fixtures" / "catalogue.json"


def read_catalogue(path: Path = CATALOGUE_FILE) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _has_model(get_model, name: str) -> bool:
    try:
        get_model(name)
    except LookupError:
        return False
    return True


def _upsert(model, lookup: dict, values: dict):
    # Drop keys the (possibly historical) model does not have yet.
    names = {f.name for f in model._meta.get_fields()}
    obj, _ = model.objects.update_or_create(
        **lookup, defaults={k: v for k, v in values.items() if k in names}
    )
    return obj


def _upsert_coded(model, parent: dict, entry: dict, fields: tuple[str, ...]):
    """An entry known by its code within its parent (an edition, a group; none for an
    edition itself)."""
    return _upsert(model, {**parent, "code": entry["code"]}, {k: entry[k] for k in fields})


def load_catalogue(get_model, data: dict | None = None) -> None:
    """get_model(name) returns a registry model: apps.get_model-like or the real one.

    Into a registry with rows, pass the entries whose order changed to
    registry.services.sort_keys.entries_changed(): the rows hold it as their sort keys."""
    data = data or read_catalogue()
    edition_model = get_model("CatalogueEdition")
    column_model = get_model("RegistryColumn")
    group_model = get_model("ProcessGroup")
    typical_model = get_model("TypicalProcess")
    status_model = get_model("ReengineeringStatus")
    kind_model = get_model("ProcessKind")
    point_model = get_model("PlacementPoint")

    for point in data["placement_points"]:
        _upsert(point_model, {"code": point["code"]}, point)
    if _has_model(get_model, "CellVariant"):  # not in migration 0002's historical state
        load_item_8_9_and_variants(get_model, data)

    for ed in data["editions"]:
        edition = _upsert_coded(
            edition_model,
            {},
            ed,
            (
                "level",
                "name",
                "source",
                "registry_title",
                "mandatory_note",
                "is_template",
                "profile_direction",
            ),
        )
        for column in ed["columns"]:
            _upsert(
                column_model,
                {"edition": edition, "number": column["number"]},
                {"header": column["header"], "mandatory": column["mandatory"]},
            )
        for group in ed["groups"]:
            group_obj = _upsert_coded(
                group_model, {"edition": edition}, group, ("order", "name", "short_name")
            )
            for typical in group["processes"]:
                _upsert_coded(typical_model, {"group": group_obj}, typical, ("order", "name"))
        for key, model, fields in (
            ("statuses", status_model, ("order", "name", "is_reengineered", "aliases")),
            ("process_kinds", kind_model, ("order", "name", "is_digital")),
        ):
            for entry in ed[key]:
                _upsert_coded(model, {"edition": edition}, entry, fields)
    if _has_model(get_model, "ActivityDirection"):  # added by migration 0030
        load_directions(get_model, data)


def load_directions(get_model, data: dict | None = None) -> None:
    """Appendix 1 of an edition's act: directions of activity and their responsible units."""
    data = data or read_catalogue()
    direction_model = get_model("ActivityDirection")
    edition_model, group_model = get_model("CatalogueEdition"), get_model("ProcessGroup")
    for ed in data["editions"]:
        edition = edition_model.objects.get(code=ed["code"])
        for item in ed.get("directions", []):
            group = group_model.objects.filter(edition=edition, code=item.get("group")).first()
            _upsert(
                direction_model,
                {"edition": edition, "number": item["number"]},
                {
                    "order": item["number"],
                    "name": item["name"],
                    "responsible": item["responsible"],
                    "rule": item["rule"],
                    "group": group,
                },
            )


def load_item_8_9_and_variants(get_model, data: dict | None = None) -> None:
    """The grounds of items 8 and 9 and the variants of hand-kept cells (added after 0002:
    its historical models have none of them, so it is its own step, run by migration 0025)."""
    from registry.models.catalogue import variant_key

    data = data or read_catalogue()
    point_model = get_model("PlacementPoint")
    variant_model = get_model("CellVariant")
    points = {p.code: p for p in point_model.objects.all()}
    for variant in data["cell_variants"]:
        _upsert(
            variant_model,
            {"key": variant_key(variant["text"])},
            {
                "text": variant["text"],
                "meaning": variant["meaning"],
                "order": variant["order"],
                "placement_point": points.get(variant.get("point", "")),
            },
        )
    for key, name, fields in (
        ("exclusion_grounds", "ExclusionGround", ("order", "name", "requires_text")),
        ("inclusion_reasons", "InclusionReason", ("order", "name")),
    ):
        for entry in data[key]:
            _upsert_coded(get_model(name), {}, entry, fields)
