"""Comparing the edits with the plan as it stands: what each changes, checked by the plan's
own rules and the model's (what the preview shows); nothing is written."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from roadmaps.models import ItemStatus, Roadmap, RoadmapItem
from roadmaps.services import items as item_service
from roadmaps.services.amendments.plan import (
    COLUMN_LABELS,
    COLUMNS,
    SECTION_COLUMNS,
    AmendmentPlan,
    FieldChange,
    ItemEdit,
    PlannedChange,
)
from roadmaps.services.reader import (
    NUMBER,
    ParsedItem,
    ReadReport,
    canonical_number,
    clean_cell,
    parse_deadline,
    resolve_responsibles,
)


def plan_amendment(roadmap: Roadmap, edits: list[ItemEdit]) -> AmendmentPlan:
    """What the edits change in the plan, checked; nothing is written."""
    plan = AmendmentPlan(roadmap, edits=edits)
    items = {i.pk: i for i in roadmap.items.select_related("parent")}
    by_number = {i.number: i for i in items.values()}
    seen: dict[str, ItemEdit] = {}
    for edit in (e.cleaned() for e in edits):
        if edit.item_id is None and edit.blank:
            continue  # an empty row of the form
        if edit.item_id is not None:
            item = items.get(edit.item_id)
            if item is None:
                plan.error(edit.number, "пункт не найден в этой дорожной карте.")
                continue
            edit.number = item.number
            change = _compare(plan, item, edit)
        else:
            change = _new_item(plan, by_number, edit)
        if change is None:
            continue
        if change.number in seen:
            plan.error(change.number, "указан дважды.")
            continue
        seen[change.number] = edit
        plan.changes.append(change)
    _check_sections(plan, by_number)
    _resolve(plan, items)
    return plan


def _compare(plan, item: RoadmapItem, edit: ItemEdit) -> PlannedChange | None:
    label = (item.number, edit.line)
    fields = []
    for name, heading in COLUMNS:
        # compared as the reader cleans a cell: spacing alone is not an amendment
        old, new = clean_cell(getattr(item, name)), getattr(edit, name)
        if old != new:
            fields.append(FieldChange(name, heading, getattr(item, name), new))
    if edit.footnotes is not None and edit.footnotes.strip() != item.footnotes:
        fields.append(FieldChange("footnotes", "Сноски", item.footnotes, edit.footnotes.strip()))
    if edit.cancel:
        if item.status == ItemStatus.CANCELLED:
            if fields:
                plan.warn(
                    item.number,
                    "исключен из плана ранее, изменения его граф не вносятся; чтобы вернуть "
                    "пункт в план, снимите отметку «исключить».",
                )
            return None
        if fields:
            plan.warn(item.number, "исключается из плана, изменения его граф не вносятся.")
        return PlannedChange("cancelled", item.number, edit, item)
    # an item the plan dropped earlier comes back when the act (the edition) has it again
    kind = "restored" if item.status == ItemStatus.CANCELLED else "changed"
    change = PlannedChange(kind, item.number, edit, item, fields)
    if not change.fields and kind == "changed":
        return None
    names = {f.name for f in change.fields}
    if not edit.text:
        plan.error(label, "графа «Мероприятие» не может быть пустой.")
    if item.is_section and any(getattr(edit, n) for n in SECTION_COLUMNS):
        plan.error(
            label,
            "это раздел плана: срок, ответственный и вид документа указываются у его "
            "мероприятий, а не у раздела.",
        )
    if not item.is_section and "deadline_text" in names:
        _check_deadline(plan, label, edit.deadline_text)
    amended = item_service.copy_item(
        item,
        pk=item.pk,  # its evidence counts for a measure done
        status=item.status,
        roadmap=plan.roadmap,
        parent=item.parent,
        **{f.name: f.new for f in change.fields},
    )
    _validate(plan, label, amended)
    return change


def _new_item(plan, by_number, edit: ItemEdit) -> PlannedChange | None:
    if edit.cancel:
        return None  # a new row ticked "exclude": nothing to add
    match = NUMBER.match(edit.number)
    if not match or match["rest"]:
        plan.error(
            (edit.number or "без номера", edit.line),
            f"номер «{edit.number}» не распознан: нужен номер вида 1.4. или 3.1.7.",
        )
        return None
    edit.number = canonical_number(match["number"])
    label = (edit.number, edit.line)
    existing = by_number.get(edit.number)
    if existing is not None:
        state = " (исключен)" if existing.status == ItemStatus.CANCELLED else ""
        plan.error(label, f"такой пункт уже есть в плане{state}; укажите другой номер.")
        return None
    if not edit.text:
        plan.error(label, "укажите текст мероприятия.")
    change = PlannedChange("new", edit.number, edit)
    change.fields = [
        FieldChange(name, heading, "", getattr(edit, name))
        for name, heading in COLUMNS
        if getattr(edit, name)
    ]
    if change.is_section:
        plan.warn(
            edit.number,
            "нет срока, ответственного и вида документа — будет добавлен как раздел плана.",
        )
    else:
        _check_deadline(plan, label, edit.deadline_text)
    _validate(
        plan,
        label,
        RoadmapItem(
            roadmap=plan.roadmap,
            number=edit.number,
            is_section=change.is_section,
            text=edit.text,
            footnotes=edit.footnotes or "",
            deadline_text=edit.deadline_text,
            responsible_text=edit.responsible_text,
            document_type=edit.document_type,
        ),
    )
    return change


def _validate(plan, where, item: RoadmapItem) -> None:
    """The model's own rules (lengths, a done measure's evidence) on the amended copy, so the
    check refuses what writing would refuse, naming the item and the column."""
    item_service.apply_deadline(item, item.deadline_text)  # a bad one is reported above
    try:
        item.full_clean(
            # an empty text is already reported in the plan's own words
            exclude=["roadmap", "parent", "template_item", "sort_key"]
            + ([] if item.text else ["text"]),
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as invalid:
        for name, messages in invalid.message_dict.items():
            text = " ".join(messages)
            if name == "status":
                text = (
                    "мероприятие исполнено, а подтверждающего документа нового вида у него нет: "
                    "добавьте документ этого вида на странице мероприятия, затем внесите "
                    "изменение."
                )
            elif name != NON_FIELD_ERRORS:
                label = RoadmapItem._meta.get_field(name).verbose_name
                text = f"графа «{COLUMN_LABELS.get(name, label)}»: {text}"
            plan.error(where, text)


def _check_deadline(plan, label: str, text: str) -> None:
    """A person amending the plan can correct a deadline that is not a date, so it is refused
    here (the import of an approved document keeps it as written and reports it)."""
    deadline = parse_deadline(text)
    if deadline.problem:
        plan.error(
            label,
            f"графа «Срок реализации»: {deadline.problem.split(':')[0]}. Допустимо: дата "
            "ДД.ММ.ГГГГ, «до ДД.ММ.ГГГГ», «Исполнено» или пусто.",
        )


def _check_sections(plan, by_number) -> None:
    """A new item's section must exist (or be added by the same act) and not be dropped; a
    section is dropped only with all its items."""
    new_numbers = {c.number for c in plan.changes if c.kind == "new"}
    cancelled = {c.number for c in plan.changes if c.kind == "cancelled"}
    for change in plan.changes:
        if change.kind != "cancelled" or not change.item.is_section:
            continue
        left = [
            i.number
            for i in by_number.values()
            if i.parent_id == change.item.pk
            and i.status != ItemStatus.CANCELLED
            and i.number not in cancelled
        ]
        if left:
            plan.error(
                change.number,
                "раздел исключается только вместе со всеми его пунктами; остаются: "
                + ", ".join(left),
            )
    restored = {c.number for c in plan.changes if c.kind == "restored"}
    for change in plan.changes:
        parts = change.number.rstrip(".").split(".")
        if change.kind not in ("new", "restored") or len(parts) == 1:
            continue
        parent = ".".join(parts[:-1]) + "."
        existing = by_number.get(parent)
        label = (change.number, change.edit.line)
        if parent in cancelled or (
            existing is not None
            and existing.status == ItemStatus.CANCELLED
            and parent not in restored
        ):
            plan.error(label, f"раздел {parent} исключен из плана.")
        elif existing is None and parent not in new_numbers:
            plan.error(label, f"в плане нет пункта {parent}: добавьте его тем же актом.")


def _resolve(plan, items: dict[int, RoadmapItem]) -> None:
    """Responsible bodies of the changed and new items, matched as the import matches them:
    in the document's order, so a short name the plan defines earlier ("(далее – АГ СО)")
    is understood in a later row."""
    changed = {c.item.pk: c for c in plan.changes if c.item is not None}
    rows: list[tuple[ParsedItem, PlannedChange | None]] = []
    for item in items.values():
        change = changed.get(item.pk)
        text = change.edit.responsible_text if change else item.responsible_text
        rows.append((ParsedItem(item.number, item.source_line or 0, responsible_text=text), change))
    for change in plan.changes:
        if change.kind == "new":
            parsed = ParsedItem(
                change.number, change.edit.line or 0, responsible_text=change.edit.responsible_text
            )
            rows.append((parsed, change))
    rows.sort(key=lambda pair: sort_key(pair[0].number))
    report = ReadReport(source="", items=[parsed for parsed, _ in rows])
    resolve_responsibles(report, plan.roadmap.owner)
    touched = {id(parsed): change for parsed, change in rows if change is not None}
    for parsed in report.items:
        change = touched.get(id(parsed))
        if change is None:
            continue
        change.responsibles = parsed.responsibles
        if change.kind == "cancelled" or not any(
            f.name == "responsible_text" for f in change.fields
        ):
            continue
        for ref in parsed.responsibles:
            if ref.organization is None:
                plan.warnings.append(
                    f"Пункт {change.number}: ответственный «{ref.name}» не найден среди "
                    "организаций портала — будет сохранен текстом."
                )


def sort_key(number: str):
    return [int(part) for part in number.rstrip(".").split(".") if part.isdigit()]
