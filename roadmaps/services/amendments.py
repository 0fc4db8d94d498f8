"""Amending a roadmap by a legal act: the wording, deadlines and responsible bodies of items
change, new items appear, dropped ones are cancelled — all in one transaction, every change
resting on the act.

The changes come as `ItemEdit`s, typed into the amendment form or read from a newer edition
of the plan (`edition_edits`). `plan_amendment` compares them with the plan as it stands and
checks them without writing anything (what the preview shows); `apply_amendment` writes the
plan it was given, or nothing.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from simple_history.utils import bulk_create_with_history

from roadmaps.models import (
    DeadlineKind,
    ItemResponsible,
    ItemStatus,
    LegalAct,
    Roadmap,
    RoadmapItem,
)
from roadmaps.services import items as item_service
from roadmaps.services.importer import close_as_plan_says, create_item, get_or_create_act
from roadmaps.services.reader import (
    NUMBER,
    ParsedItem,
    ReadReport,
    ResponsibleRef,
    canonical_number,
    clean_cell,
    parse_deadline,
    resolve_responsibles,
)
from roadmaps.services.registry_link import bind_targets, follow_wording

# The columns of the plan an act changes, in the document's order, with their headings.
COLUMNS = (
    ("text", "Мероприятие"),
    ("deadline_text", "Срок реализации"),
    ("responsible_text", "Ответственный"),
    ("document_type", "Вид документа"),
)
COLUMN_LABELS = dict(COLUMNS)
SECTION_COLUMNS = ("deadline_text", "responsible_text", "document_type")


class AmendmentRefused(Exception):
    """Nothing was written; the message says why, in Russian."""


@dataclass
class ItemEdit:
    """One row of the plan as the act (or the new edition) words it."""

    number: str
    text: str = ""
    deadline_text: str = ""
    responsible_text: str = ""
    document_type: str = ""
    footnotes: str | None = None  # None: keep the item's own
    item_id: int | None = None  # None: a new item
    cancel: bool = False
    line: int | None = None  # the line of the edition's file, for messages

    def cleaned(self) -> ItemEdit:
        for name, _ in COLUMNS:
            setattr(self, name, clean_cell(getattr(self, name)))
        self.number = self.number.strip()
        return self

    @property
    def blank(self) -> bool:
        return not (self.number or any(getattr(self, n) for n, _ in COLUMNS))


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass
class PlannedChange:
    kind: str  # "changed", "new" or "cancelled"
    number: str
    edit: ItemEdit
    item: RoadmapItem | None = None
    fields: list[FieldChange] = field(default_factory=list)
    responsibles: list[ResponsibleRef] = field(default_factory=list)

    KIND_LABELS = {
        "changed": "изменен",
        "new": "новый пункт",
        "cancelled": "исключен",
        "restored": "восстановлен",
    }

    @property
    def kind_label(self) -> str:
        return self.KIND_LABELS[self.kind]

    @property
    def is_section(self) -> bool:
        if self.item is not None:
            return self.item.is_section
        return not any(getattr(self.edit, n) for n in SECTION_COLUMNS)


@dataclass
class AmendmentPlan:
    roadmap: Roadmap
    changes: list[PlannedChange] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # item number -> its errors, so a form can mark the row
    row_errors: dict[str, list[str]] = field(default_factory=dict)

    def error(self, where: str | tuple[str, int | None], text: str) -> None:
        """`where`: the item's number, or (number, line of the edition's file)."""
        number, line = where if isinstance(where, tuple) else (where, None)
        shown = f"{number} (строка {line} файла)" if line else number
        self.errors.append(f"Пункт {shown}: {text}" if number else text)
        self.row_errors.setdefault(number, []).append(text)

    def warn(self, number: str, text: str) -> None:
        self.warnings.append(f"Пункт {number}: {text}")

    # every edit given, unchanged rows too: the rows a form shows again
    edits: list[ItemEdit] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {"changed": 0, "new": 0, "cancelled": 0, "restored": 0}
        for change in self.changes:
            counts[change.kind] += 1
        return counts

    @property
    def counts_text(self) -> str:
        return counts_text(self.counts)


def counts_text(counts: dict[str, int]) -> str:
    """ "изменено пунктов — 1, новых — 0, исключено — 0, восстановлено — 0" """
    return (
        f"изменено пунктов — {counts['changed']}, новых — {counts['new']}, исключено — "
        f"{counts['cancelled']}, восстановлено — {counts['restored']}"
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
    amended = copy.copy(item)
    for f in change.fields:
        setattr(amended, f.name, f.new)
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
    rows.sort(key=lambda pair: _sort_key(pair[0].number))
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


def _sort_key(number: str):
    return [int(part) for part in number.rstrip(".").split(".") if part.isdigit()]


# ---------------------------------------------------------------------------------------------
# Writing


def check_act(roadmap: Roadmap, act: LegalAct, today: date) -> None:
    if act.date > today:
        raise AmendmentRefused(
            f"Дата акта {act.date:%d.%m.%Y} позже сегодняшней: вносятся изменения по принятому "
            "акту."
        )
    approved = roadmap.legal_act
    if approved is not None and act.date < approved.date:
        raise AmendmentRefused(
            f"Акт от {act.date:%d.%m.%Y} раньше акта, утвердившего план ({approved}): "
            "изменения не могут действовать до утверждения плана."
        )


@transaction.atomic
def apply_amendment(
    plan: AmendmentPlan,
    act: LegalAct,
    *,
    user=None,
    reason: str = "",
    opened_at: datetime | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """Writes the planned changes, each resting on `act`, or nothing. `opened_at` is when
    the person saw the plan: a change saved since then refuses the amendment."""
    roadmap = Roadmap.objects.select_for_update().get(pk=plan.roadmap.pk)
    if plan.errors:
        raise AmendmentRefused("Изменения не внесены: " + "; ".join(plan.errors))
    if not plan.changes:
        raise AmendmentRefused("Изменений нет: пункты плана совпадают с действующей редакцией.")
    check_act(roadmap, act, today or date.today())
    # Every item of the plan locked (in one order, so two amendments cannot deadlock), then
    # checked and written from these copies: other writers lock the item row too, so nothing
    # changes between the check and the write.
    locked = {
        i.pk: i
        for i in RoadmapItem.objects.select_for_update().filter(roadmap=roadmap).order_by("pk")
    }
    moved = any(
        change.item is not None
        and (change.item.pk not in locked or locked[change.item.pk].version != change.item.version)
        for change in plan.changes
    )
    if moved or (
        opened_at is not None
        and any(i.updated_at is not None and i.updated_at > opened_at for i in locked.values())
    ):
        raise AmendmentRefused(
            "Пока вы вносили изменения, план изменил другой пользователь. Откройте форму "
            "заново: изменения не внесены."
        )
    for change in plan.changes:
        if change.item is not None:
            change.item = locked[change.item.pk]
    reason = reason or f"Изменения внесены: {act}"
    recorded = {"act": act, "user": user, "reason": reason}
    created: dict[str, RoadmapItem] = {i.number: i for i in roadmap.items.all()}
    position = roadmap.items.aggregate(last=Max("position"))["last"] or 0
    template_items = (
        {i.number: i for i in roadmap.template.items.all()} if roadmap.template_id else {}
    )
    try:
        for change in sorted(plan.changes, key=lambda c: _sort_key(c.number)):
            if change.kind == "cancelled":
                _set_status(change.item, ItemStatus.CANCELLED, **recorded)
            elif change.kind == "restored":
                _set_status(change.item, ItemStatus.PLANNED, **recorded)
                if change.fields:
                    _change(change, **recorded)
            elif change.kind == "changed":
                _change(change, **recorded)
            else:
                position += 1
                created[change.number] = _create(
                    roadmap, change, position, created, template_items, **recorded
                )
    except ValidationError as refused:
        raise AmendmentRefused("Изменения не внесены: " + "; ".join(refused.messages)) from None
    bind_targets(roadmap)
    return plan.counts


def _set_status(item: RoadmapItem, status: str, **recorded) -> None:
    if item.is_section:
        # a section has no status of its own to check; it is dropped or restored with its items
        item.status = status
        item_service.save_recorded(item, update_fields=["status"], **recorded)
    else:
        item_service.set_status(item, status, **recorded)


def _change(change: PlannedChange, *, act, user, reason) -> None:
    # Read again (apply_amendment holds its lock): a restored item's status was just written.
    item = RoadmapItem.objects.select_for_update().get(pk=change.item.pk)
    values = {f.name: f.new for f in change.fields}
    item_service.amend_item(item, act=act, user=user, reason=reason, **values)
    if "text" in values:
        follow_wording(item)
    if "responsible_text" in values:
        _replace_responsibles(item, change.responsibles)
    if "deadline_text" in values and item.deadline_kind == DeadlineKind.DONE:
        close_as_plan_says(item, user=user, act=act)


def _create(roadmap, change: PlannedChange, position, created, template_items, **recorded):
    """A new item, written as the import writes one."""
    edit = change.edit
    parts = change.number.rstrip(".").split(".")
    parsed = ParsedItem(
        number=change.number,
        line=edit.line,
        text=edit.text,
        deadline_text=edit.deadline_text,
        responsible_text=edit.responsible_text,
        document_type=edit.document_type,
        footnotes=[n.strip() for n in (edit.footnotes or "").split(",") if n.strip()],
        deadline=parse_deadline(edit.deadline_text),
        parent_number=".".join(parts[:-1]) + "." if len(parts) > 1 else "",
        responsibles=change.responsibles,
    )
    return create_item(roadmap, parsed, position, created, template_items, **recorded)


def _replace_responsibles(item: RoadmapItem, refs: list[ResponsibleRef]) -> None:
    """The links follow the new wording; the replaced ones are kept in their history."""
    for link in item.responsibles.all():
        link.delete()
    bulk_create_with_history(
        [
            ItemResponsible(item=item, organization=ref.organization, name=ref.name, position=i)
            for i, ref in enumerate(refs)
        ],
        ItemResponsible,
    )


@transaction.atomic
def amend_by_act(
    roadmap: Roadmap,
    edits: list[ItemEdit],
    act_values: dict,
    *,
    user=None,
    reason: str = "",
    opened_at: datetime | None = None,
    today: date | None = None,
) -> tuple[AmendmentPlan, LegalAct, dict[str, int]]:
    """The amendment form's one call: the act (an act the portal knows is reused) and the
    changes resting on it are written together, or neither."""
    plan = plan_amendment(roadmap, edits)
    if plan.errors:
        raise AmendmentRefused("Изменения не внесены: исправьте ошибки в пунктах плана.")
    act = get_or_create_act(**act_values)
    counts = apply_amendment(plan, act, user=user, reason=reason, opened_at=opened_at, today=today)
    return plan, act, counts


# ---------------------------------------------------------------------------------------------
# A newer edition of the plan


def edition_edits(roadmap: Roadmap, report: ReadReport) -> list[ItemEdit]:
    """The edits that turn the plan into the edition read from a file: items by number —
    changed, new, and those the edition no longer has (cancelled, never deleted)."""
    current = {i.number: i for i in roadmap.items.all()}
    edits = []
    for parsed in report.items:
        item = current.pop(parsed.number, None)
        edits.append(
            ItemEdit(
                number=parsed.number,
                text=parsed.text,
                deadline_text=parsed.deadline_text,
                responsible_text=parsed.responsible_text,
                document_type=parsed.document_type,
                footnotes=", ".join(parsed.footnotes),
                item_id=item.pk if item else None,
                line=parsed.line,
            )
        )
    for item in current.values():
        if item.status != ItemStatus.CANCELLED:
            edits.append(ItemEdit(number=item.number, item_id=item.pk, cancel=True))
    return edits


def plan_text(plan: AmendmentPlan) -> str:
    """The plan as the import command prints it (Russian)."""
    lines = [f"Изменения плана «{plan.roadmap}»: {plan.counts_text}."]
    for change in plan.changes:
        lines.append(f"  {change.number} — {change.kind_label}")
        for f in change.fields:
            lines.append(f"      {f.label}: «{f.old}» → «{f.new}»")
    if plan.errors:
        lines.append(f"Ошибки ({len(plan.errors)}):")
        lines.extend(f"  {e}" for e in plan.errors)
    if plan.warnings:
        lines.append(f"Предупреждения ({len(plan.warnings)}):")
        lines.extend(f"  {w}" for w in plan.warnings)
    return "\n".join(lines)


def plan_edition(roadmap: Roadmap, report: ReadReport) -> AmendmentPlan:
    """A newer edition read from a file, checked. A row of the table the reader left out would
    read as an item dropped by the edition, so it stops the edition until the file is fixed."""
    plan = plan_amendment(roadmap, edition_edits(roadmap, report))
    for message in report.skipped:
        plan.errors.append(
            f"Строка {message.line} файла: {message.text}. В новой редакции должна быть "
            "прочитана каждая строка таблицы — иначе пункт будет считаться исключенным; "
            "исправьте файл."
        )
    return plan
