"""The proposal workflow: a unit proposes rows to add, change or exclude; the authorized
officer reviews within 10 working days and approves (the rows are written at once) or returns
the proposal with comments. Every transition is checked here, by role, for every caller."""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import ngettext

from portal.locking import UNCHECKED, bump, check_seen, claim
from portal.scoping import VIEW, can, restrict
from portal.workdays import ProductionCalendar
from registry.models import (
    Organization,
    Process,
    Proposal,
    ProposalAction,
    ProposalItem,
    ProposalState,
    TypicalProcess,
)
from registry.services import campaigns, sort_keys
from registry.services import processes as process_service
from registry.services.deadlines import REPORT_DAYS, REVIEW_DAYS
from registry.services.registry_rows import registry_rows
from registry.services.row_values import (
    LinkTargetGone,
    RowNames,
    add_kept_links,
    fill_process,
    foreign_link_values,
    row_texts,
)

EDITABLE_STATES = (ProposalState.DRAFT, ProposalState.RETURNED)
OPEN_STATES = (*EDITABLE_STATES, ProposalState.SUBMITTED)


class ProposalError(Exception):
    """A transition that is not allowed now; the message says why, in Russian."""


def pending_items(process: Process, user) -> list[ProposalItem]:
    """Proposals about this row not decided yet that the user may see."""
    items = ProposalItem.objects.filter(process=process, proposal__state__in=OPEN_STATES)
    return list(restrict(items, user, VIEW).select_related("proposal"))


def open_draft(user, unit: Organization | None = None) -> Proposal:
    """The user's current draft (or returned) proposal, or a new one."""
    if user.authority is None:
        raise PermissionDenied("Предложения готовят сотрудники органа власти.")
    if unit is None:
        unit = user.organization if user.is_official else None
    if unit is None or unit.authority_id != user.authority.pk:
        raise ProposalError("Укажите подразделение органа власти.")
    if user.is_official and unit.pk not in user.unit_ids:
        raise PermissionDenied("Предложение готовит подразделение о своих строках.")
    proposal = (
        Proposal.objects.filter(author=user, unit=unit, state__in=EDITABLE_STATES)
        .order_by("-created_at")
        .first()
    )
    return proposal or Proposal.objects.create(authority=user.authority, unit=unit, author=user)


def _check_editable(proposal: Proposal, user) -> None:
    if proposal.author_id != user.pk:
        raise PermissionDenied("Изменять предложение может его автор.")
    if proposal.state not in EDITABLE_STATES:
        raise ProposalError(
            f"Предложение в состоянии «{proposal.get_state_display()}» не изменяется."
        )


def _locked(proposal: Proposal) -> Proposal:
    """The proposal as it is now, locked until the end of the transaction: a change of it or
    of its items waits for a submission, return or approval under way, and sees its result."""
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


@transaction.atomic
def add_item(
    proposal, user, action, process=None, values=None, exclude_reason="", base_version=None
) -> ProposalItem:
    """`base_version`: the row version the author saw (his form's); approval refuses the item
    if the row changed since."""
    proposal = _locked(proposal)
    _check_editable(proposal, user)
    if process is not None and process.authority_id != proposal.authority_id:
        raise PermissionDenied("Строка другого органа власти.")
    if action == ProposalAction.EXCLUDE and not exclude_reason.strip():
        raise ProposalError("Укажите основание исключения процесса из реестра.")
    fields = {
        "action": action,
        "base_version": (process.version if base_version is None else base_version)
        if process is not None
        else None,
        "values": values or {},
        "exclude_reason": exclude_reason.strip(),
    }
    # The proposal's content changes: a submission or decision on what a page showed before
    # (another tab) is refused.
    bump(proposal)
    if process is not None:
        # One item per row: proposing the row again updates its item and keeps the
        # reviewer's remark on it for the next review.
        item = proposal.items.filter(process=process).first()
        if item is not None:
            for name, value in fields.items():
                setattr(item, name, value)
            bump(item)
            item.save()
            return item
    return ProposalItem.objects.create(proposal=proposal, process=process, **fields)


@transaction.atomic
def remove_item(item: ProposalItem, user, expected_version=UNCHECKED) -> ProposalItem:
    """The author takes a row out of his unsent proposal (nothing of the registry is touched).
    The row stays, marked removed, with the reviewer's comment: it is the proposal's history.
    Removed rows are neither counted nor applied."""
    proposal = _locked(item.proposal)
    _check_editable(proposal, user)
    claim(item, expected_version)
    bump(proposal)
    if item.removed_at is not None:
        raise ProposalError("Строка уже убрана из предложения.")
    item.removed_at, item.removed_by = timezone.now(), user
    item.save(update_fields=["removed_at", "removed_by", "version"])
    return item


@transaction.atomic
def set_details(
    proposal: Proposal, user, note: str, changed_on=None, expected_version=UNCHECKED
) -> Proposal:
    """`expected_version`: the proposal's version the form was opened on (StaleEdit if moved)."""
    proposal = _locked(proposal)
    _check_editable(proposal, user)
    claim(proposal, expected_version)
    proposal.note = note.strip()
    proposal.changed_on = changed_on
    proposal.report_due = (
        ProductionCalendar().add_working_days(changed_on, REPORT_DAYS) if changed_on else None
    )
    proposal.save(update_fields=["note", "changed_on", "report_due", "version"])
    return proposal


def propose_row(user, values: dict, process=None, base_version=None, unit=None) -> ProposalItem:
    """The row form of an official: adds the new or changed row to his draft proposal."""
    if process is not None:
        unit = process.unit
    proposal = open_draft(user, unit)
    action = ProposalAction.ADD if process is None else ProposalAction.CHANGE
    return add_item(proposal, user, action, process, values, base_version=base_version)


@dataclass
class ExclusionPreview:
    """What «Исключить» will do with the row, or why there is nothing to do."""

    text: str = ""
    refused: str = ""


def _own_draft(user, unit) -> Proposal | None:
    # The proposal open_draft() would add to, without creating one.
    return (
        Proposal.objects.filter(author=user, unit=unit, state__in=EDITABLE_STATES)
        .order_by("-created_at")
        .first()
    )


def exclusion_preview(user, process) -> ExclusionPreview:
    """The officer excludes the row himself; an official's exclusion goes into his proposal
    for the officer to review (item 26). Refused: a row already excluded, or whose exclusion
    is already proposed and not decided."""
    row = f"{process.identifier} «{Truncator(process.name).chars(120)}»"
    if process.is_excluded:
        return ExclusionPreview(
            refused="Процесс уже исключен из реестра: исключать нечего (его можно восстановить)."
        )
    if user.applies_changes_directly:
        return ExclusionPreview(
            f"Строка {row} ({process.authority.display_name}) будет исключена из реестра и не "
            "войдет в следующую опубликованную версию. Строка не удаляется: в ее истории "
            "останутся основание, дата и кто исключил, и ее можно восстановить."
        )
    proposed = (
        restrict(ProposalItem, user, VIEW)
        .filter(
            process=process,
            action=ProposalAction.EXCLUDE,
            removed_at__isnull=True,
            proposal__state__in=OPEN_STATES,
        )
        .select_related("proposal")
        .first()
    )
    if proposed is not None:
        proposal = proposed.proposal
        mine = proposal.author_id == user.pk and proposal.state in EDITABLE_STATES
        return ExclusionPreview(
            refused=f"Исключение строки {process.identifier} уже есть в предложении № "
            f"{proposal.pk} ({proposal.get_state_display()})"
            + (": направьте его на проверку." if mine else ": дождитесь решения по нему.")
        )
    draft = _own_draft(user, process.unit)
    where = f"в ваше предложение № {draft.pk} (черновик)" if draft else "в новое предложение"
    changed = (
        draft is not None
        and draft.items.filter(
            process=process, action=ProposalAction.CHANGE, removed_at__isnull=True
        ).exists()
    )
    return ExclusionPreview(
        f"Исключение строки {row} войдет {where}"
        + (" вместо предложенного в нем изменения этой строки" if changed else "")
        + ". Строка останется в реестре без изменений, пока вы не направите предложение на "
        "проверку и уполномоченное лицо органа власти не одобрит его; после одобрения строка "
        "будет исключена, а в ее истории останутся основание и номер предложения."
    )


def propose_exclusion(user, process, reason: str) -> ProposalItem:
    refused = exclusion_preview(user, process).refused
    if refused:
        raise ProposalError(refused)
    proposal = open_draft(user, process.unit)
    return add_item(proposal, user, ProposalAction.EXCLUDE, process, exclude_reason=reason)


@transaction.atomic
def propose_import(user, unit, rows, progress=None) -> Proposal:
    """An official's file becomes his proposal: new rows to add, changed rows to change, each
    change against the row version the preview was checked on. `progress(done, total)`
    counts the rows added (a job's bar)."""
    proposal = open_draft(user, unit)
    for done, row in enumerate(rows, 1):
        values = {k: v for k, v in row.values.items() if not k.startswith("existing_")}
        if "existing_pk" in row.values:
            process = Process.objects.get(pk=row.values["existing_pk"])
            add_item(
                proposal,
                user,
                ProposalAction.CHANGE,
                process,
                values,
                base_version=row.values["existing_version"],
            )
        else:
            add_item(proposal, user, ProposalAction.ADD, values=values)
        if progress is not None:
            progress(done, len(rows))
    return proposal


def _check_seen(proposal: Proposal, expected_version) -> None:
    """A decision is about the proposal as its page showed it: returned and sent again since
    (other rows, other values), it is refused."""
    check_seen(proposal, expected_version)


@transaction.atomic
def submit(proposal: Proposal, user, expected_version=UNCHECKED) -> Proposal:
    proposal = _locked(proposal)
    _check_editable(proposal, user)
    _check_seen(proposal, expected_version)
    if not proposal.items.exists():
        raise ProposalError("В предложении нет ни одной строки.")
    bump(proposal)
    proposal.state = ProposalState.SUBMITTED
    proposal.submitted_at = timezone.now()
    proposal.review_due = ProductionCalendar().add_working_days(
        timezone.localdate(proposal.submitted_at), REVIEW_DAYS
    )
    proposal.save()
    campaigns.record_proposal(proposal)
    return proposal


def _check_review(proposal: Proposal, user) -> None:
    if not can(user, "review", proposal):
        raise PermissionDenied(
            "Проверяет предложение уполномоченное лицо органа власти, не автор предложения."
        )
    if proposal.state != ProposalState.SUBMITTED:
        raise ProposalError(
            f"Проверяется предложение на проверке, а это — «{proposal.get_state_display()}»."
        )


@transaction.atomic
def comment_item(
    item: ProposalItem, user, comment: str, expected_version=UNCHECKED
) -> ProposalItem:
    """The reviewer's remark on a row; refused (StaleEdit) if the row's item changed since
    `expected_version`, e.g. another reviewer's remark saved a moment before."""
    _check_review(_locked(item.proposal), user)
    claim(item, expected_version)
    item.review_comment = comment.strip()
    item.save(update_fields=["review_comment", "version"])
    return item


@transaction.atomic
def return_for_rework(
    proposal: Proposal, user, comment: str, expected_version=UNCHECKED
) -> Proposal:
    proposal = _locked(proposal)
    _check_review(proposal, user)
    _check_seen(proposal, expected_version)
    if not comment.strip():
        raise ProposalError("Укажите, что доработать: замечание обязательно при возврате.")
    bump(proposal)
    proposal.state = ProposalState.RETURNED
    campaigns.withdraw_answer(proposal)  # a returned proposal does not answer a campaign
    proposal.return_comment = comment.strip()
    proposal.decided_at = timezone.now()
    proposal.decided_by = user
    proposal.save()
    return proposal


@transaction.atomic
def approve(proposal: Proposal, user, expected_version=UNCHECKED) -> Proposal:
    """Approval writes every row of the proposal, or none (a row changed since it was
    proposed stops the whole approval)."""
    # A second approval at the same moment waits here, then finds the proposal applied.
    proposal = _locked(proposal)
    _check_review(proposal, user)
    _check_seen(proposal, expected_version)
    if not proposal.items.exists():
        raise ProposalError(NOTHING_TO_APPROVE)
    bump(proposal)
    reason = f"Предложение № {proposal.pk}"
    now = timezone.now()
    proposal.state = ProposalState.APPROVED
    proposal.decided_at, proposal.decided_by = now, user
    proposal.save()
    items = list(proposal.items.select_related("process").order_by("pk"))
    written = _apply_all(items, user, reason)
    proposal.state = ProposalState.APPLIED
    proposal.applied_at = timezone.now()
    proposal.save()
    # the entries as they are now: a reorder may have been committed while this wrote
    sort_keys.rederive(written)
    return proposal


NOTHING_TO_APPROVE = "В предложении нет строк: вносить в реестр нечего. Верните его на доработку."


def approval_summary(proposal: Proposal, items: list[ProposalItem]) -> tuple[str, str]:
    """What approving would do, and why it cannot (the proposal's rows in force)."""
    if not items:
        return "", NOTHING_TO_APPROVE
    by_action = Counter(item.action for item in items)
    parts = [
        f"{label} — {by_action[action]}"
        for action, label in (
            (ProposalAction.ADD, "новых строк"),
            (ProposalAction.CHANGE, "изменений строк"),
            (ProposalAction.EXCLUDE, "исключений строк"),
        )
        if by_action[action]
    ]
    count = ngettext(
        "%(count)s изменение войдет в реестр", "%(count)s изменений войдут в реестр", len(items)
    ) % {"count": len(items)}
    return (
        f"Предложение № {proposal.pk} будет одобрено: {count} ({', '.join(parts)}). "
        "Все строки вносятся одновременно или ни одна; изменения попадут в историю строк "
        f"с основанием «Предложение № {proposal.pk}».",
        "",
    )


def return_summary(proposal: Proposal) -> str:
    return (
        f"Предложение № {proposal.pk} будет возвращено на доработку: в реестр ничего не "
        f"войдет; автор ({proposal.author}) увидит замечание и направит предложение снова."
    )


def item_label(position: int, item: ProposalItem) -> str:
    """An item as the proposal page shows it: its number among the proposal's rows (the
    page's order, by pk), the registry row's identifier (the proposed one for a new row) and
    the process name (column 7)."""
    if item.process is not None:
        identifier, name = item.process.identifier, item.process.name
    else:
        identifier = item.values.get("identifier") or "будет присвоен"
        typical = item.values.get("typical_process_id")
        name = (
            TypicalProcess.objects.filter(pk=typical).values_list("name", flat=True).first()
            if typical
            else item.values.get("process_name")
        )
    name = Truncator(name or "без названия").chars(80)
    return f"Строка {position} предложения (идентификатор {identifier}, процесс «{name}»)"


@contextmanager
def _about(position: int, item: ProposalItem):
    """Errors of writing one item name the item, as the proposal page numbers it."""
    try:
        yield
    except ValidationError as invalid:
        label = item_label(position, item)
        raise ValidationError([f"{label}: {message}" for message in invalid.messages]) from None
    except LinkTargetGone as missing:
        raise ProposalError(f"{item_label(position, item)}: {missing}") from None


def _apply_all(items: list[ProposalItem], user, reason: str) -> list[int]:
    """Rows of one proposal may name each other in column 12, so: every row is checked
    against the version it was proposed on first (under lock); then new rows are created,
    changed rows written with their links, new rows given theirs, and exclusions made.
    Versions raised by the proposal's own links do not count as someone else's change.
    Returns the rows written."""
    ids = [i.process_id for i in items if i.process_id]
    locked = {p.pk: p for p in Process.objects.select_for_update(of=("self",)).filter(pk__in=ids)}
    for item in items:
        if item.process_id and locked[item.process_id].version != item.base_version:
            raise ProposalError(
                f"Строка {locked[item.process_id].identifier} изменена после того, как было "
                "подготовлено предложение: верните его на доработку."
            )
    by_action = {action: [i for i in items if i.action == action] for action in ProposalAction}
    position = {item.pk: n for n, item in enumerate(items, 1)}
    created = []
    for item in by_action[ProposalAction.ADD]:
        with _about(position[item.pk], item):
            process = Process(authority=item.proposal.authority, unit=item.proposal.unit)
            points, _ = fill_process(process, item.values, with_links=False)
            process_service.create_process(process, points, [], user, reason=reason)
        created.append((process, item))
    for item in by_action[ProposalAction.CHANGE]:
        with _about(position[item.pk], item):
            process = Process.objects.get(pk=item.process_id)
            points, links = fill_process(process, item.values)
            process_service.update_process(process, process.version, points, links, user, reason)
    for process, item in created:
        if item.values.get("links"):
            with _about(position[item.pk], item):
                process = Process.objects.get(pk=process.pk)
                points, links = fill_process(process, item.values)
                process_service.update_process(
                    process, process.version, points, links, user, reason
                )
    for item in by_action[ProposalAction.EXCLUDE]:
        process_service.exclude_process(
            locked[item.process_id], f"{item.exclude_reason} ({reason})", user
        )
    return [*ids, *(process.pk for process, _ in created)]


def proposed_texts_of(items: list[ProposalItem]) -> dict[int, list[str]]:
    """The rows as they would read after the items (exclusions aside), column by column, to
    set beside the current ones, in one pass. Column 12 of a changed row also shows the links
    another authority entered: approval keeps them whatever the item says."""
    items = [i for i in items if i.action != ProposalAction.EXCLUDE]
    kept = foreign_link_values(i.process_id for i in items if i.action == ProposalAction.CHANGE)
    values = {i.pk: add_kept_links(i.values, kept.get(i.process_id, [])) for i in items}
    names = RowNames.for_values(list(values.values()))
    result = {}
    for item in items:
        texts = row_texts(values[item.pk], item.proposal.authority_id, names)
        texts[0] = texts[0] or "(будет присвоен)"
        result[item.pk] = texts
    return result


def proposed_texts(item: ProposalItem) -> list[str]:
    return proposed_texts_of([item])[item.pk]


def current_texts_of(items: list[ProposalItem]) -> dict[int, list[str]]:
    """The rows the items are about as the registry prints them now, in one pass."""
    ids = [i.process_id for i in items if i.process_id]
    return {row.pk: row.values for row in registry_rows(Process.objects.filter(pk__in=ids))}


def current_texts(item: ProposalItem) -> list[str] | None:
    if item.process_id is None:
        return None
    return current_texts_of([item])[item.process_id]
