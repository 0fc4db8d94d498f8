"""Loads the wording → metric and wording → area rules (fixtures/roadmaps/measure_metrics.json)
for the data migration (historical models) and tests (current ones), upserting by code."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

RULES_FILE = Path(settings.BASE_DIR) / "fixtures" / "roadmaps" / "measure_metrics.json"


def read_rules(path: Path = RULES_FILE) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def load_rules(get_model, data: dict | None = None) -> None:
    """get_model(name) returns a roadmaps model: apps.get_model-like or the real one."""
    data = data or read_rules()
    for name, key in (("MeasureMetric", "metrics"), ("MeasureArea", "areas")):
        model = get_model(name)
        for entry in data[key]:
            values = {k: v for k, v in entry.items() if k != "code"}
            model.objects.update_or_create(code=entry["code"], defaults=values)
