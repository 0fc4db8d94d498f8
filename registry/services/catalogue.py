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

    for ed in data["editions"]:
        edition = _upsert_coded(
            edition_model, {}, ed, ("level", "name", "source", "registry_title")
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
