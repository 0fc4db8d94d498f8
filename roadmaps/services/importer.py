"""Writing a read roadmap table into the portal: one transaction, every item's first state
resting on the act that approved this edition of the plan. The refusal and the check of the
report are the portal's import protocol (`portal.imports`)."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from portal.cells import CELL_MAX_CHARS, too_long
from portal.imports import ImportRefused, check_confirmed
from registry.models import Organization
from registry.services.organizations import organizations_named
from roadmaps.models import (
    OWNER_KINDS,
    DeadlineKind,
    ItemResponsible,
    ItemStatus,
    LegalAct,
    Roadmap,
    RoadmapItem,
)
from roadmaps.services import items as item_service
from roadmaps.services.reader import COLUMN_TITLES, ParsedItem, ReadReport
from roadmaps.services.registry_link import bind_targets


def find_organization(reference: str, kinds=OWNER_KINDS) -> Organization:
    """An organization by id, full or short name or alias; LookupError names the choices."""
    orgs = Organization.objects.filter(kind__in=kinds)
    matches = organizations_named(reference, orgs)
    if len(matches) == 1:
        return matches[0]
    reference = reference.strip()
    if matches:
        names = "; ".join(f"{o.pk}: {o.full_name}" for o in matches)
        raise LookupError(
            f"Наименованию «{reference}» соответствуют несколько организаций: {names}"
        )
    known = "; ".join(f"{o.pk}: {o.full_name}" for o in orgs.order_by("full_name"))
    raise LookupError(f"Организация «{reference}» не найдена. Известные: {known}.")


def get_or_create_act(
    kind: str, number: str, day: date, issued_by: str = "", title: str = "", url: str = ""
) -> LegalAct:
    act, created = LegalAct.objects.get_or_create(
        kind=kind,
        number=number,
        date=day,
        issued_by=issued_by,
        defaults={"title": title, "url": url},
    )
    if created:
        act.full_clean()
    elif (title and not act.title) or (url and not act.url):
        # a known act: what it lacked is filled in, what it has is kept
        act.title, act.url = act.title or title, act.url or url
        act.full_clean()
        act.save(update_fields=["title", "url"])
    return act


REQUISITES = re.compile(
    r"от\s+(?P<date>\d{2}\.\d{2}\.\d{4})\s*(?:г\.\s*)?№\s*(?P<number>[^\s,«»\"]+)"
)
NUMBER_ONLY = re.compile(r"№\s*(?P<number>[^\s,«»\"]+)")


def evidence_from_document_text(text: str) -> dict:
    """A plan that already says "Исполнено" names the document in its last column
    ("Пункт 3 распоряжения … от 19.12.2022 № 326-р …"): its requisites become the evidence."""
    values = {"title": text, "number": "", "date": None}
    match = REQUISITES.search(text)
    if match:
        day, month, year = (int(x) for x in match["date"].split("."))
        try:
            values["date"] = date(year, month, day)
        except ValueError:
            values["date"] = None
        values["number"] = match["number"]
    else:
        match = NUMBER_ONLY.search(text)
        if match:
            values["number"] = match["number"]
    return values


@transaction.atomic
def import_roadmap(
    report: ReadReport,
    *,
    owner: Organization,
    title: str = "",
    act: LegalAct | None = None,
    roadmap_act: LegalAct | None = None,
    parent: Roadmap | None = None,
    appendix_number: str = "",
    is_template: bool = False,
    template: Roadmap | None = None,
    user=None,
    fingerprint: str | None = None,
) -> Roadmap:
    """Creates the roadmap and its items from a report read with the owner's organizations
    (`fingerprint`: of the report as checked, when it was read again to be written).

    `act` is the basis of every item's first state (the act that approved this edition);
    `roadmap_act` the act that approved the plan (by default the same act).
    """
    check_confirmed(
        report,
        fingerprint,
        errors="В файле есть ошибки: дорожная карта не записана.",
        stale="Файл изменился после проверки: проверьте его снова. Дорожная карта не записана.",
    )
    if not report.resolved:
        raise ImportRefused("Ответственные не сопоставлены с организациями портала.")
    # Items are saved without full_clean: the cell cap is held here, whoever built the report.
    for parsed in report.items:
        for attribute, column in COLUMN_TITLES.items():
            length = len(getattr(parsed, attribute) or "")
            if length > CELL_MAX_CHARS:
                raise ImportRefused(
                    too_long(f"Пункт {parsed.number}, графа {column}", length)
                    + " Дорожная карта не записана."
                )
    title = (title or report.title).strip()
    if not title:
        raise ImportRefused("Укажите наименование дорожной карты (в файле оно не найдено).")
    if Roadmap.objects.filter(
        owner=owner, title=title, parent=parent, appendix_number=appendix_number
    ).exists():
        raise ImportRefused(
            f"Дорожная карта «{title}» организации «{owner.full_name}» уже загружена. "
            "Изменения вносятся правовым актом, а не повторной загрузкой."
        )
    roadmap = Roadmap(
        owner=owner,
        title=title,
        legal_act=roadmap_act or act,
        parent=parent,
        appendix_number=appendix_number,
        is_template=is_template,
        template=template,
        source_file=report.source,
        **document_headers(report),
    )
    try:
        roadmap.full_clean()
    except ValidationError as error:
        raise ImportRefused("; ".join(error.messages)) from error
    roadmap.save()

    template_items = {i.number: i for i in template.items.all()} if template else {}
    reason = f"Загружено из файла {report.source}"
    created: dict[str, RoadmapItem] = {}
    for position, parsed in enumerate(report.items, start=1):
        item = create_item(
            roadmap, parsed, position, created, template_items, act=act, user=user, reason=reason
        )
        created[parsed.number] = item
    bind_targets(roadmap)  # "реинжиниринг N % процессов <группы>" → registry figure
    return roadmap


def document_headers(report: ReadReport) -> dict[str, str]:
    """The plan's headers of responsibles and documents as its file words them (the model's
    defaults, 000's and 003's words, when the file has none)."""
    fields = {"responsible": "responsible_header", "document_type": "document_header"}
    return {
        fields[name]: text[:200] for name, text in report.headers.items() if name in fields and text
    }


def create_item(roadmap, parsed: ParsedItem, position, created, template_items, **recorded):
    deadline = parsed.deadline
    item = RoadmapItem(
        roadmap=roadmap,
        parent=created.get(parsed.parent_number),
        number=parsed.number,
        position=position,
        is_section=parsed.is_section,
        text=parsed.text,
        footnotes=", ".join(parsed.footnotes),
        deadline_text=deadline.text,
        deadline_kind=deadline.kind,
        deadline_date=deadline.date,
        responsible_text=parsed.responsible_text,
        document_type=parsed.document_type,
        template_item=template_items.get(parsed.number),
        source_line=parsed.line,
    )
    item_service.save_recorded(item, **recorded)
    ItemResponsible.objects.bulk_create(
        ItemResponsible(
            item=item,
            organization=ref.organization,
            name=ref.name,
            position=index,
        )
        for index, ref in enumerate(parsed.responsibles)
    )
    if deadline.kind == DeadlineKind.DONE:
        close_as_plan_says(item, user=recorded.get("user"), act=recorded.get("act"))
    return item


def close_as_plan_says(item: RoadmapItem, *, user=None, act: LegalAct | None = None) -> None:
    """A plan that says "Исполнено" closes the measure with the document its last column
    names as the evidence; with nothing there to show it, the measure stays open."""
    if item.roadmap.is_template or item.is_section or item.status == ItemStatus.DONE:
        return
    if item.document_type and not item.matching_evidence():
        item_service.add_evidence(
            item, user=user, **evidence_from_document_text(item.document_type)
        )
    if item.done_refusal():
        return
    item_service.set_status(
        item,
        ItemStatus.DONE,
        user=user,
        act=act,
        reason="В плане указано «Исполнено»; подтверждение — документ из графы «Вид документа»",
    )
    item.refresh_from_db()
