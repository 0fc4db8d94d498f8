"""Demo data for a newcomer's first look: fixtures/demo.json, loaded through the services."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from registry.models import (
    Campaign,
    CampaignKind,
    CatalogueEdition,
    LifeSituation,
    Organization,
    OrganizationAlias,
    PlacementPoint,
    Process,
    ProcessGroup,
    ProcessKind,
    ProposalAction,
    ReengineeringPlanEntry,
    ReengineeringStatus,
    TypicalProcess,
    User,
)
from registry.services import campaigns, editions, proposals, publication, reengineering
from registry.services import processes as process_service
from registry.services.row_values import values_of_process

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"


def _date(value):
    return date.fromisoformat(value) if value else None


@transaction.atomic
def load_demo(path: Path = DEMO_FILE) -> tuple[list[User], str]:
    """Creates what is missing and leaves what exists; returns the demo users and password."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    orgs = _organizations(data["organizations"])
    users = _users(data["users"], data["password"], orgs)
    admin = next(u for u in users if u.is_administrator)
    _editions(data.get("editions", []), orgs, admin)
    _processes(data["processes"], orgs, admin)
    load_demo_workflow({u.username: u for u in users})
    load_demo_plan(data.get("reengineering_plan", []), orgs, users)
    publish_demo(next(u for u in users if u.username == "officer"))
    return users, data["password"]


def load_demo_plan(items: list[dict], orgs: dict[str, Organization], users: list[User]) -> None:
    """The reengineering plan of the demo authority: rows queued for reengineering with their
    own responsible person, one of them past its term (a task of the officer); once."""
    officer = next(u for u in users if u.username == "officer")
    for item in items:
        row = Process.objects.get(authority=orgs[item["authority"]], identifier=item["identifier"])
        if not ReengineeringPlanEntry.all_objects.filter(process=row).exists():
            reengineering.add_entry(row, _date(item["target_date"]), row.responsible, officer)


def publish_demo(officer: User) -> None:
    """Version 1 of the officer's registry, so that the public page has data; once: an
    authority that has published is left as it is (a later run publishes nothing)."""
    authority = officer.organization
    if not authority.registry_versions.exists():
        publication.publish(authority, officer)


def _organizations(items: list[dict]) -> dict[str, Organization]:
    """The demo's organizations by their key in the file, successors set once all exist."""
    orgs: dict[str, Organization] = {}
    for item in items:
        parent = orgs.get(item.get("parent"))
        org, _ = Organization.objects.get_or_create(
            kind=item["kind"],
            full_name=item["full_name"],
            parent=parent,
            defaults={
                "short_name": item.get("short_name", ""),
                "level": item.get("level") or (parent.level if parent else ""),
                "valid_from": _date(item.get("valid_from")),
                "valid_to": _date(item.get("valid_to")),
            },
        )
        for alias in item.get("aliases", []):
            OrganizationAlias.objects.get_or_create(organization=org, name=alias)
        orgs[item["key"]] = org
    for item in items:
        if item.get("successor"):
            org = orgs[item["key"]]
            org.successor = orgs[item["successor"]]
            org.successor_since = _date(item["successor_since"])
            org.save()
    return orgs


def _editions(items: list[dict], orgs: dict[str, Organization], admin: User) -> None:
    """Each territory's catalogue edition: the template of its act (320-рп is Omsk's) or a
    copy for a new region, worded as given (once: a territory with one keeps it)."""
    for item in items:
        territory = orgs[item["territory"]]
        if CatalogueEdition.objects.filter(territory=territory).exists():
            continue
        if "edition" in item:
            CatalogueEdition.objects.filter(code=item["edition"], territory=None).update(
                territory=territory
            )
            continue
        edition = editions.copy_edition(
            CatalogueEdition.objects.get(code=item["copy_of"]),
            territory,
            admin,
            source=item["source"],
            name=item.get("name", ""),
            old_words=item.get("old_words", ""),
            new_words=item.get("new_words", ""),
        )
        for code, name in item.get("groups", {}).items():
            ProcessGroup.objects.filter(edition=edition, code=code).update(name=name)
        for code, name in item.get("typicals", {}).items():
            TypicalProcess.objects.filter(group__edition=edition, code=code).update(name=name)


def _users(items: list[dict], password: str, orgs: dict[str, Organization]) -> list[User]:
    users = []
    for item in items:
        user = User.objects.filter(username=item["username"]).first()
        if user is None:
            user = User(username=item["username"])
            user.set_password(password)
        for field in ("role", "last_name", "first_name", "patronymic", "position"):
            setattr(user, field, item.get(field, ""))
        user.email = user.email or f"{item['username']}@demo.invalid"  # for the reminder demo
        user.organization = orgs.get(item.get("organization"))
        user.whole_country = item.get("whole_country", False)
        user.full_clean(exclude=["password"])
        user.save()
        users.append(user)
    return users


def _processes(items: list[dict], orgs: dict[str, Organization], admin: User) -> None:
    """The registry rows missing, then their links and exclusions (links need both rows)."""
    by_key: dict[tuple[str, str], Process] = {}
    pending_links = []
    for item in items:
        authority = orgs[item["authority"]]
        existing = Process.objects.filter(
            authority=authority, identifier=item["identifier"]
        ).first()
        if existing is not None:
            by_key[(item["authority"], item["identifier"])] = existing
            continue
        process = _process(item, authority, orgs[item["unit"]])
        points = PlacementPoint.objects.filter(code__in=item.get("placement", []))
        process_service.create_process(process, points, [], admin)
        by_key[(item["authority"], item["identifier"])] = process
        pending_links.append((process, item))
    for process, item in pending_links:
        specs = [
            process_service.LinkSpec(
                other=by_key[(link["authority"], link["identifier"])], link_type=link["type"]
            )
            for link in item.get("links", [])
        ]
        if specs:
            process_service.add_links(process, specs, admin)
        if item.get("excluded"):
            process_service.exclude_process(process, item["excluded"], admin)


def _process(item: dict, authority: Organization, unit: Organization) -> Process:
    edition = authority.edition
    typical = (
        TypicalProcess.objects.get(group__edition=edition, code=item["typical"])
        if item.get("typical")
        else None
    )
    return Process(
        authority=authority,
        unit=unit,
        identifier=item["identifier"],
        life_situation=LifeSituation.get_or_create_by_name(item.get("life_situation", "")),
        function_name=item["function_name"],
        client=item.get("client", ""),
        regulating_act=item["regulating_act"],
        typical_process=typical,
        group=typical.group
        if typical
        else ProcessGroup.objects.get(edition=edition, code=item["group"]),
        is_non_typical=typical is None,
        process_name=item.get("process_name", "") if typical is None else "",
        responsible=item["responsible"],
        status=ReengineeringStatus.objects.get(edition=edition, code=item["status"]),
        input_data=item.get("input_data", ""),
        output_data=item.get("output_data", ""),
        kind=ProcessKind.objects.get(edition=edition, code=item["kind"])
        if item.get("kind")
        else None,
        placement_url=item.get("placement_url", ""),
    )


def load_demo_workflow(users: dict[str, User]) -> None:
    """An open quarterly campaign with one proposal to review and one "no changes" answer, so
    that every role finds something in "my tasks" (once: skipped when a campaign exists)."""
    if Campaign.objects.exists():
        return
    official, coordinator = users["official"], users["coordinator"]
    authorities = [users["officer"].organization, users["officer_city"].organization]
    year = timezone.localdate().year
    quarter = (timezone.localdate().month - 1) // 3 + 1
    campaign = campaigns.open_campaign(
        coordinator,
        kind=CampaignKind.QUARTERLY,
        year=year,
        quarter=quarter,
        due_date=campaigns.quarter_due(year, quarter),
        authorities=authorities,
        basis="Пункт 24 Порядка формирования и ведения реестра процессов",
    )
    row = (
        Process.objects.filter(unit_id__in=official.unit_ids, is_excluded=False)
        .order_by("identifier_number")
        .first()
    )
    if row is not None:
        proposal = proposals.open_draft(official)
        item_values = values_of_process(row)
        item_values["responsible"] = f"{row.responsible} (с 01.{timezone.localdate():%m.%Y})"
        proposals.add_item(proposal, official, ProposalAction.CHANGE, row, item_values)
        proposals.set_details(proposal, official, "Сменился ответственный за процесс", None)
        proposals.submit(proposal, official)
    other = campaign.participants.filter(unit=users["official2"].organization).first()
    if other is not None:
        campaigns.answer_no_changes(other, users["official2"])
