"""Changing roadmap items: every change is one saved state of the item with who, why and the
legal act it rests on; a measure is closed only with evidence of its document type."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from portal.documents import check_document, clean_name
from portal.locking import UNCHECKED, bump, check_seen
from roadmaps.models import Evidence, ItemStatus, LegalAct, RoadmapItem
from roadmaps.services.reader import parse_deadline

# Fields an amending act may change; the deadline is given as written and parsed here.
AMENDABLE = ("text", "deadline_text", "responsible_text", "document_type", "footnotes")
# An item's row of the plan: what a copy of it carries (a typical plan's item in an authority's
# plan, the amended item the amendment checks, the row of the amendment form).
ROW_FIELDS = ("number", "position", "is_section", *AMENDABLE, "deadline_kind", "deadline_date")


def row_values(item: RoadmapItem, names: tuple[str, ...] = ROW_FIELDS) -> dict:
    return {name: getattr(item, name) for name in names}


def copy_item(item: RoadmapItem, **changes) -> RoadmapItem:
    """A new, unsaved item with `item`'s row of the plan, and `changes` on top (the roadmap,
    the section, the template item; the primary key and status for a copy only checked)."""
    return RoadmapItem(**{**row_values(item), **changes})


def save_recorded(
    item: RoadmapItem,
    *,
    act: LegalAct | None = None,
    user=None,
    reason: str = "",
    effective_date: date | None = None,
    update_fields: list[str] | None = None,
) -> RoadmapItem:
    """Saves the item; its history record names the act (and takes effect on the act's date
    unless `effective_date` says otherwise). A change of a saved item raises its version, so a
    form opened before it is refused. `update_fields`: only these are written (with the
    version and the time of the change)."""
    if item.pk is not None:
        bump(item)
    item._legal_act = act
    item._history_user = user
    item._change_reason = reason or None
    item._effective_date = effective_date
    if update_fields is not None:
        update_fields = [*update_fields, "version", "updated_at"]
    try:
        item.save(update_fields=update_fields)
    finally:
        for name in ("_legal_act", "_history_user", "_change_reason", "_effective_date"):
            item.__dict__.pop(name, None)
    return item


def apply_deadline(item: RoadmapItem, text: str) -> None:
    deadline = parse_deadline(text)
    item.deadline_text, item.deadline_kind, item.deadline_date = (
        deadline.text,
        deadline.kind,
        deadline.date,
    )


@transaction.atomic
def amend_item(
    item: RoadmapItem, *, act: LegalAct | None, user=None, reason: str = "", **changes
) -> RoadmapItem:
    """Changes the wording of an item, as an amending act does ("в строке 1.4 слова …
    заменить словами …"). A deadline that is not a date is refused here: unlike an imported
    document, a person typing it can correct it."""
    unknown = set(changes) - set(AMENDABLE)
    if unknown:
        raise TypeError(f"not amendable: {sorted(unknown)}")
    written = list(changes)
    if "deadline_text" in changes:
        deadline = parse_deadline(changes.pop("deadline_text"))
        if deadline.problem:
            raise ValidationError({"deadline_text": deadline.problem.capitalize() + "."})
        apply_deadline(item, deadline.text)
        written += ["deadline_kind", "deadline_date"]
    for name, value in changes.items():
        setattr(item, name, value)
    item.full_clean()
    return save_recorded(item, act=act, user=user, reason=reason, update_fields=written)


@transaction.atomic
def set_status(
    item: RoadmapItem,
    status: str,
    *,
    user=None,
    act: LegalAct | None = None,
    reason: str = "",
    expected_version=UNCHECKED,
) -> RoadmapItem:
    """The one way to change a measure's status; "done" needs evidence of its document type.
    `expected_version`: the item's version the form was opened on (StaleEdit if it moved)."""
    item = RoadmapItem.objects.select_for_update().get(pk=item.pk)
    check_seen(item, expected_version)
    if item.is_section:
        raise ValidationError(
            {"status": "Раздел плана не имеет статуса: статус указывается у мероприятий."}
        )
    if status not in ItemStatus.values:
        raise ValidationError({"status": f"Неизвестный статус «{status}»."})
    if status == ItemStatus.DONE:
        refusal = item.done_refusal()
        if refusal:
            raise ValidationError({"status": refusal})
    item.status = status
    return save_recorded(item, act=act, user=user, reason=reason, update_fields=["status"])


def cancel_item(item: RoadmapItem, *, act: LegalAct | None, user=None, reason: str = ""):
    """A measure is never deleted: an act that drops it makes it cancelled."""
    return set_status(item, ItemStatus.CANCELLED, user=user, act=act, reason=reason)


@transaction.atomic
def add_evidence(
    item: RoadmapItem,
    *,
    user=None,
    document_type: str | None = None,
    number: str = "",
    date: date | None = None,
    title: str = "",
    url: str = "",
    file=None,
) -> Evidence:
    """Evidence of completion; its document type defaults to the one the plan names. A file
    must be an allowed document by its content (portal.documents); its record and its bytes
    in the storage are written together."""
    if item.is_section:
        raise ValidationError(
            "Подтверждающие документы прикладываются к мероприятиям, не к разделам."
        )
    evidence = Evidence(
        item=item,
        document_type=item.document_type if document_type is None else document_type,
        number=number,
        date=date,
        title=title,
        url=url,
        added_by=user,
    )
    if file is not None:
        try:
            kind = check_document(file)
        except ValidationError as refused:
            raise ValidationError({"file": refused.messages}) from None
        evidence.file = file
        evidence.file_name = clean_name(file.name)
        evidence.content_type = kind.content_type
        evidence.file_size = file.size
    evidence.full_clean()
    evidence.save()
    return evidence
