"""Writing an amendment: the planned changes, each resting on the act, in one transaction —
or nothing, when the plan has errors, the act cannot apply, or the plan changed meanwhile."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from simple_history.utils import bulk_create_with_history

from portal.imports import check_confirmed
from roadmaps.models import (
    DeadlineKind,
    ItemResponsible,
    ItemStatus,
    LegalAct,
    Roadmap,
    RoadmapItem,
)
from roadmaps.services import collective
from roadmaps.services import items as item_service
from roadmaps.services.amendments.compare import plan_amendment, sort_key
from roadmaps.services.amendments.plan import (
    AmendmentPlan,
    AmendmentRefused,
    ItemEdit,
    PlannedChange,
)
from roadmaps.services.importer import close_as_plan_says, create_item, get_or_create_act
from roadmaps.services.reader import ParsedItem, ResponsibleRef, parse_deadline
from roadmaps.services.registry_link import bind_targets, follow_wording

STALE = "План изменился после проверки: проверьте изменения снова. Изменения не внесены."


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
        for change in sorted(plan.changes, key=lambda c: sort_key(c.number)):
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
        item = item_service.set_status(item, status, **recorded)
        if status == ItemStatus.CANCELLED:  # a dropped measure is dropped for each authority
            collective.follow_measure(item, {}, **recorded)


def _change(change: PlannedChange, *, act, user, reason) -> None:
    # Read again (apply_amendment holds its lock): a restored item's status was just written.
    item = RoadmapItem.objects.select_for_update().get(pk=change.item.pk)
    values = {f.name: f.new for f in change.fields}
    item_service.amend_item(item, act=act, user=user, reason=reason, **values)
    collective.follow_measure(item, values, act=act, user=user, reason=reason)
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
    fingerprint: str | None = None,
) -> tuple[AmendmentPlan, LegalAct, dict[str, int]]:
    """The amendment form's one call: the act (an act the portal knows is reused) and the
    changes resting on it are written together, or neither. `fingerprint`: of the plan the
    person checked; the plan as it is now must be that one."""
    plan = plan_amendment(roadmap, edits)
    check_confirmed(
        plan,
        fingerprint,
        errors="Изменения не внесены: исправьте ошибки в пунктах плана.",
        stale=STALE,
    )
    act = get_or_create_act(**act_values)
    counts = apply_amendment(plan, act, user=user, reason=reason, opened_at=opened_at, today=today)
    return plan, act, counts
