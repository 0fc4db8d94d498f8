"""The proposal workflow: every allowed and forbidden transition, by role; approval writes all
rows or none; drafts are seen by their author only."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from portal.scoping import restrict
from portal.workdays import ProductionCalendar
from registry.models import Process, Proposal, ProposalAction, ProposalState, ReengineeringStatus
from registry.services import proposals as svc
from registry.services.row_values import values_of_process
from tests.conftest import make_link

pytestmark = pytest.mark.django_db


def change_values(world, process, **overrides):
    values = {
        "identifier": process.identifier,
        "life_situation": "",
        "function_name": process.function_name,
        "client": process.client,
        "regulating_act": process.regulating_act,
        "group_id": process.group_id,
        "typical_process_id": process.typical_process_id,
        "is_non_typical": False,
        "process_name": "",
        "responsible": process.responsible,
        "status_id": process.status_id,
        "input_data": "",
        "output_data": "",
        "kind_id": process.kind_id,
        "placement_url": "",
        "placement_point_ids": [],
        "links": [],
    }
    values.update(overrides)
    return values


def submitted(world, author=None, **overrides):
    author = author or world.official
    proposal = svc.open_draft(author, unit=world.unit if author.is_authorized_officer else None)
    values = change_values(
        world, world.own_row, responsible="Петрова А. С., консультант", **overrides
    )
    svc.add_item(proposal, author, ProposalAction.CHANGE, world.own_row, values)
    return svc.submit(proposal, author)


def test_submit_sets_review_due_in_ten_working_days(world):
    proposal = submitted(world)
    assert proposal.state == ProposalState.SUBMITTED
    assert proposal.review_due == ProductionCalendar().add_working_days(
        timezone.localdate(proposal.submitted_at), 10
    )


def test_an_empty_proposal_cannot_be_submitted(world):
    proposal = svc.open_draft(world.official)
    with pytest.raises(svc.ProposalError, match="нет ни одной строки"):
        svc.submit(proposal, world.official)


def test_officer_approves_and_the_rows_are_written(world):
    proposal = submitted(world)
    assert Process.objects.get(pk=world.own_row.pk).responsible.startswith("Иванов")
    svc.approve(proposal, world.officer)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.APPLIED and proposal.decided_by == world.officer
    row = Process.objects.get(pk=world.own_row.pk)
    assert row.responsible == "Петрова А. С., консультант"
    assert row.history.first().history_change_reason == f"Предложение № {proposal.pk}"


def test_add_and_exclude_items(world):
    author = world.official
    proposal = svc.open_draft(author)
    values = change_values(world, world.own_row, identifier="", function_name="Новая функция")
    svc.add_item(proposal, author, ProposalAction.ADD, values=values)
    svc.add_item(proposal, author, ProposalAction.EXCLUDE, world.own_row, exclude_reason="Передана")
    svc.submit(proposal, author)
    svc.approve(proposal, world.officer)
    assert Process.objects.filter(function_name="Новая функция", unit=world.unit).exists()
    row = Process.objects.get(pk=world.own_row.pk)
    assert row.is_excluded and row.excluded_reason.startswith("Передана")


def test_exclusion_needs_a_reason(world):
    proposal = svc.open_draft(world.official)
    with pytest.raises(svc.ProposalError, match="основание исключения"):
        svc.add_item(proposal, world.official, ProposalAction.EXCLUDE, world.own_row)


def test_an_official_cannot_approve_his_own_proposal(world):
    proposal = submitted(world, author=world.officer)  # the officer as the author
    with pytest.raises(PermissionDenied):
        svc.approve(proposal, world.officer)
    with pytest.raises(PermissionDenied):
        svc.approve(submitted(world), world.official)


@pytest.mark.parametrize("role", ["other_official", "city_officer", "coordinator", "city_official"])
def test_others_cannot_review(world, role):
    proposal = submitted(world)
    with pytest.raises(PermissionDenied):
        svc.approve(proposal, getattr(world, role))
    with pytest.raises(PermissionDenied):
        svc.return_for_rework(proposal, getattr(world, role), "нет")


def test_return_with_a_comment_then_rework_and_resubmit(world):
    proposal = submitted(world)
    with pytest.raises(svc.ProposalError, match="замечание обязательно"):
        svc.return_for_rework(proposal, world.officer, " ")
    item = proposal.items.get()
    svc.comment_item(item, world.officer, "Укажите должность полностью")
    svc.return_for_rework(proposal, world.officer, "Исправьте графу 8")
    proposal.refresh_from_db()
    assert (
        proposal.state == ProposalState.RETURNED and proposal.return_comment == "Исправьте графу 8"
    )
    assert svc.open_draft(world.official) == proposal  # rework continues the same proposal
    values = change_values(
        world, world.own_row, responsible="Петрова Анна Сергеевна, консультант ОПФО"
    )
    svc.add_item(proposal, world.official, ProposalAction.CHANGE, world.own_row, values)
    assert proposal.items.count() == 1
    svc.submit(proposal, world.official)
    svc.approve(proposal, world.officer)
    assert Process.objects.get(pk=world.own_row.pk).responsible.endswith("консультант ОПФО")


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (ProposalState.DRAFT, "approve"),
        (ProposalState.DRAFT, "return"),
        (ProposalState.APPLIED, "approve"),
        (ProposalState.APPLIED, "submit"),
        (ProposalState.SUBMITTED, "submit"),
        (ProposalState.RETURNED, "approve"),
    ],
)
def test_forbidden_transitions(world, state, action):
    proposal = submitted(world)
    proposal.state = state
    proposal.save()
    call = {
        "approve": lambda: svc.approve(proposal, world.officer),
        "return": lambda: svc.return_for_rework(proposal, world.officer, "замечание"),
        "submit": lambda: svc.submit(proposal, world.official),
    }[action]
    with pytest.raises(svc.ProposalError):
        call()
    proposal.refresh_from_db()
    assert proposal.state == state


def test_items_cannot_be_added_once_submitted(world):
    proposal = submitted(world)
    with pytest.raises(svc.ProposalError):
        svc.add_item(
            proposal, world.official, ProposalAction.EXCLUDE, world.own_row, exclude_reason="x"
        )


def test_approval_is_all_or_nothing(world):
    author = world.officer
    proposal = svc.open_draft(author, unit=world.unit)
    svc.add_item(
        proposal,
        author,
        ProposalAction.CHANGE,
        world.own_row,
        change_values(world, world.own_row, responsible="Первый"),
    )
    svc.add_item(
        proposal,
        author,
        ProposalAction.CHANGE,
        world.other_unit_row,
        change_values(world, world.other_unit_row, responsible="Второй"),
    )
    svc.submit(proposal, author)
    # Someone changes the second row after the proposal was made.
    Process.objects.filter(pk=world.other_unit_row.pk).update(version=99)
    with pytest.raises(svc.ProposalError, match="изменена после того"):
        svc.approve(proposal, world.admin)
    assert Process.objects.get(pk=world.own_row.pk).responsible.startswith("Иванов")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED


def test_drafts_are_seen_by_their_author_only(world):
    draft = svc.open_draft(world.official)
    sent = submitted(world, author=world.other_official)

    def seen(user):
        return set(restrict(Proposal, user).values_list("pk", flat=True))

    assert seen(world.official) == {draft.pk}  # the other unit's proposal is not his
    assert seen(world.other_official) == {sent.pk}
    assert seen(world.officer) == {sent.pk}
    assert seen(world.coordinator) == {sent.pk}
    assert seen(world.city_officer) == set()


def test_proposed_and_current_texts_side_by_side(world):
    proposal = submitted(
        world,
        status_id=ReengineeringStatus.objects.get(
            edition__level="regional", code="reengineered"
        ).pk,
    )
    item = proposal.items.get()
    current, proposed = svc.current_texts(item), svc.proposed_texts(item)
    changed = [n for n in range(14) if current[n] != proposed[n]]
    assert changed == [7, 8]
    assert proposed[8] == "прошел реинжиниринг"


def test_a_row_proposed_unchanged_reads_the_same_in_both_columns(world):
    """The stored row in the value shape renders exactly as the registry prints it."""
    make_link(world.own_row, world.other_unit_row)
    make_link(world.city_row, world.own_row)
    row = Process.objects.get(pk=world.own_row.pk)
    proposal = svc.open_draft(world.official)
    values = values_of_process(row)
    item = svc.add_item(proposal, world.official, ProposalAction.CHANGE, row, values)
    assert svc.proposed_texts(item) == svc.current_texts(item)
