"""The three seed roadmaps as demo data: fixtures/roadmaps/roadmaps.json names the
organizations, acts and files; the files are the seed documents, read by the same reader
as `manage.py import_roadmap`."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction

from registry.models import Organization, OrganizationAlias
from roadmaps.models import Roadmap
from roadmaps.services.amendments import act_text, words
from roadmaps.services.importer import ImportRefused, get_or_create_act, import_roadmap
from roadmaps.services.reader import ReadReport, read_roadmap
from roadmaps.services.succession import apply_successions

SEED_DIR = Path(settings.BASE_DIR) / "fixtures" / "roadmaps"
MANIFEST = SEED_DIR / "roadmaps.json"


def _date(value):
    return date.fromisoformat(value) if value else None


def _organizations(items: list[dict]) -> dict[str, Organization]:
    """Creates what is missing (as registry.services.demo does: by kind, name and parent),
    and records each reorganization once on the predecessor."""
    orgs: dict[str, Organization] = {}
    for item in items:
        parent = orgs.get(item.get("parent"))
        org = Organization.objects.filter(
            kind=item["kind"], full_name=item["full_name"], parent=parent
        ).first()
        if org is None:
            org = Organization(
                kind=item["kind"],
                full_name=item["full_name"],
                short_name=item.get("short_name", ""),
                parent=parent,
                level=item.get("level") or (parent.level if parent else ""),
            )
            org.full_clean()
            org.save()
        for alias in item.get("aliases", []):
            OrganizationAlias.objects.get_or_create(organization=org, name=alias)
        orgs[item["key"]] = org
    for item in items:
        if not item.get("successor"):
            continue
        org = orgs[item["key"]]
        if org.successor_id:
            continue  # recorded already (the registry demo does it for the Ministry of Sport)
        since = _date(item["successor_since"])
        org.successor = orgs[item["successor"]]
        org.successor_since = since
        org.valid_to = org.valid_to or since - timedelta(days=1)
        org.full_clean()
        org.save()
    return orgs


@transaction.atomic
def load_seed_roadmaps(manifest: Path = MANIFEST) -> list[tuple[Roadmap, ReadReport | None]]:
    """Loads the seed roadmaps; a roadmap that exists already is left as it is. The plans of
    reorganized bodies then pass to their successors (services.succession).

    Returns each roadmap with the report of its file (None for a roadmap without a table, or
    one that was loaded before)."""
    with open(manifest, encoding="utf-8") as fh:
        data = json.load(fh)
    orgs = _organizations(data["organizations"])
    acts = {
        item["key"]: get_or_create_act(
            item["kind"],
            item["number"],
            _date(item["date"]),
            item.get("issued_by", ""),
            item.get("title", ""),
        )
        for item in data["acts"]
    }
    loaded: dict[str, Roadmap] = {}
    result = []
    for item in data["roadmaps"]:
        owner = orgs[item["owner"]]
        parent = loaded.get(item.get("parent"))
        appendix = item.get("appendix_number", "")
        act = acts.get(item.get("act"))
        roadmap_act = acts.get(item.get("roadmap_act")) or act
        report = None
        if item.get("file"):
            report = read_roadmap(manifest.parent / item["file"], owner)
        title = item.get("title") or (report.title if report else "")
        # An appendix is known by its number (its owner may be a successor by now).
        existing = Roadmap.objects.filter(parent=parent, appendix_number=appendix)
        if not appendix:
            existing = existing.filter(owner=owner, title=title)
        existing = existing.first()
        if existing is not None:
            loaded[item["key"]] = existing
            result.append((existing, None))
            continue
        # The plan's own attributes, the same whether it comes empty or from its file.
        plan = {
            "owner": owner,
            "title": title,
            "parent": parent,
            "appendix_number": appendix,
            "is_template": item.get("is_template", False),
        }
        if report is None:
            roadmap = Roadmap(legal_act=roadmap_act, **plan)
            roadmap.full_clean()
            roadmap.save()
        else:
            if report.has_errors:
                raise ImportRefused(f"{item['file']}:\n{report.text()}")
            roadmap = import_roadmap(report, act=act, roadmap_act=roadmap_act, **plan)
        if item.get("words_from"):
            # the plan as amended by the act's own sentences (329-рп: the title's «*» and the
            # footnote naming the successor), on that act's basis
            text = (manifest.parent / item["words_from"]).read_text(encoding="utf-8")
            edits = act_text.parse_act_text(text, appendix=appendix)
            words.amend_words(roadmap, edits, acts[item["words_act"]])
            roadmap.refresh_from_db()
        loaded[item["key"]] = roadmap
        result.append((roadmap, report))
    # Seed 000's footnotes: the reorganized bodies' plans pass to their successors.
    apply_successions()
    for roadmap, _report in result:
        roadmap.refresh_from_db(fields=["owner"])
    return result


# Seed 002's «Во всех ОИВ СО утверждены реестры процессов» (3.5.), split among three of the
# seed's authorities, each at its own stage: done with its act, in progress, not started.
COLLECTIVE_DEMO = ("3.5.", ("samara-mtzm", "samara-msdsp", "samara-mo"))


@transaction.atomic
def load_collective_demo(coordinator, manifest: Path = MANIFEST) -> list:
    """The demo's collective measure; a measure split before is left as it is."""
    from roadmaps.models import ItemStatus
    from roadmaps.services import collective
    from roadmaps.services import items as item_service

    with open(manifest, encoding="utf-8") as fh:
        data = json.load(fh)
    orgs = _organizations(data["organizations"])
    number, keys = COLLECTIVE_DEMO
    plan = Roadmap.objects.get(owner=orgs["samara-region"], template=None, collective_of=None)
    measure = plan.items.get(number=number)
    if measure.shares.exists():
        return list(measure.shares.all())
    done, started, _planned = collective.split_measure(
        measure, [orgs[key] for key in keys], user=coordinator
    )
    item_service.add_evidence(
        done, number="112-р", date=date(2023, 12, 20), title="Об утверждении реестра процессов"
    )
    item_service.set_status(done, ItemStatus.DONE, reason="Реестр процессов утвержден")
    item_service.set_status(started, ItemStatus.IN_PROGRESS)
    return list(measure.shares.all())
