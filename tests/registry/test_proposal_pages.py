"""The unit's path through the pages: its row form, exclusion and file go into a proposal;
the officer reviews and decides on the proposal page. Scoped by role everywhere."""

import pytest
from django.urls import reverse

from registry.models import (
    ImportBatch,
    ImportStatus,
    Process,
    Proposal,
    ProposalAction,
    ProposalItem,
    ProposalState,
)
from registry.services import proposals as svc
from tests.conftest import make_link, with_version
from tests.registry.test_process_editing import form_data, links
from tests.registry.test_xlsx_import import upload
from tests.registry.xlsx_files import row, workbook_bytes

pytestmark = pytest.mark.django_db


def propose_new_row(client, world, **overrides):
    client.force_login(world.official)
    return client.post(reverse("registry:process_add"), form_data(world, **overrides))


def test_officials_new_row_waits_in_his_draft(client, world):
    response = propose_new_row(client, world, function_name="Новая функция")
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response.url == proposal.get_absolute_url()
    assert proposal.state == ProposalState.DRAFT and proposal.author == world.official
    item = proposal.items.get()
    assert item.action == ProposalAction.ADD and item.values["function_name"] == "Новая функция"
    assert not Process.objects.filter(function_name="Новая функция").exists()
    # A second row goes into the same draft.
    propose_new_row(client, world, function_name="Еще одна функция")
    assert Proposal.objects.count() == 1 and proposal.items.count() == 2


def test_officials_change_keeps_the_version_he_saw_and_stale_forms_are_refused(client, world):
    client.force_login(world.official)
    url = reverse("registry:process_edit", args=[world.own_row.pk])
    version = world.own_row.version
    client.post(url, form_data(world, identifier="1", version=version, responsible="Новый"))
    item = ProposalItem.objects.get()
    assert item.action == ProposalAction.CHANGE and item.base_version == version
    world.own_row.refresh_from_db()
    assert world.own_row.responsible != "Новый" and world.own_row.version == version
    # The officer changes the row meanwhile; the official's old form is refused, not queued.
    client.force_login(world.officer)
    client.post(url, form_data(world, identifier="1", version=version, responsible="Офицер"))
    client.force_login(world.official)
    stale = client.post(url, form_data(world, identifier="1", version=version, responsible="X"))
    assert stale.status_code == 409
    assert ProposalItem.objects.get().values["responsible"] == "Новый"


def test_official_cannot_restore_rows_or_states(client, world):
    world.own_row.is_excluded = True
    world.own_row.save()
    client.force_login(world.official)
    response = client.post(reverse("registry:process_restore", args=[world.own_row.pk]))
    assert response.status_code == 403
    world.own_row.refresh_from_db()
    assert world.own_row.is_excluded


def submitted_by_official(client, world):
    propose_new_row(client, world, function_name="Новая функция")
    proposal = Proposal.objects.get()
    client.post(
        reverse("registry:proposal_act", args=[proposal.pk, "submit"]), with_version(proposal)
    )
    proposal.refresh_from_db()
    return proposal


def test_submit_then_officer_approves_on_the_page(client, world):
    proposal = submitted_by_official(client, world)
    assert proposal.state == ProposalState.SUBMITTED and proposal.review_due is not None
    # The author has no way to approve his own.
    response = client.post(
        reverse("registry:proposal_act", args=[proposal.pk, "approve"]), with_version(proposal)
    )
    assert response.status_code == 403
    client.force_login(world.officer)
    page = client.get(proposal.get_absolute_url())
    assert page.context["can_review"]
    changed = [c["number"] for c in page.context["rows"][0]["columns"] if c["changed"]]
    assert 3 in changed and 1 in changed  # a new row: every filled column is new
    client.post(
        reverse("registry:proposal_act", args=[proposal.pk, "approve"]), with_version(proposal)
    )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.APPLIED
    assert Process.objects.filter(function_name="Новая функция", unit=world.unit).exists()


def test_return_needs_a_comment_and_comments_stay_internal(client, world):
    proposal = submitted_by_official(client, world)
    item = proposal.items.get()
    client.force_login(world.officer)
    client.post(
        reverse("registry:item_act", args=[item.pk, "comment"]),
        with_version(item, comment="Уточнить"),
    )
    response = client.post(
        reverse("registry:proposal_act", args=[proposal.pk, "return"]), with_version(proposal)
    )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED
    assert "замечание обязательно" in client.get(response.url).content.decode()
    client.post(
        reverse("registry:proposal_act", args=[proposal.pk, "return"]),
        with_version(proposal, comment="Графа 5"),
    )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.RETURNED
    client.force_login(world.official)
    body = client.get(proposal.get_absolute_url()).content.decode()
    assert "Уточнить" in body and "Графа 5" in body
    client.logout()
    public = client.get(reverse("public_index")).content.decode()
    assert "Уточнить" not in public


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("official", 200),  # the author
        ("other_official", 404),  # a draft is its author's only
        ("officer", 404),
        ("city_officer", 404),
        ("coordinator", 404),
    ],
)
def test_drafts_are_seen_by_their_author_only(client, world, role, status):
    propose_new_row(client, world)
    proposal = Proposal.objects.get()
    client.force_login(getattr(world, role))
    assert client.get(proposal.get_absolute_url()).status_code == status
    listed = client.get(reverse("registry:proposal_list")).context["table"].data
    assert (proposal in list(listed)) == (status == 200)


@pytest.mark.parametrize(
    ("role", "status"),
    [("officer", 200), ("other_official", 404), ("city_officer", 404), ("coordinator", 200)],
)
def test_submitted_proposals_by_scope(client, world, role, status):
    proposal = submitted_by_official(client, world)
    client.force_login(getattr(world, role))
    assert client.get(proposal.get_absolute_url()).status_code == status


def test_coordinator_reads_but_does_not_review(client, world):
    proposal = submitted_by_official(client, world)
    item = proposal.items.get()
    client.force_login(world.coordinator)
    url = reverse("registry:item_act", args=[item.pk, "comment"])
    response = client.post(url, with_version(item, comment="x"))
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.review_comment == ""


def test_author_removes_a_row_from_his_draft_only(client, world):
    propose_new_row(client, world)
    item = ProposalItem.objects.get()
    client.force_login(world.officer)
    assert client.post(reverse("registry:item_act", args=[item.pk, "remove"])).status_code == 404
    client.force_login(world.official)
    client.post(reverse("registry:item_act", args=[item.pk, "remove"]), with_version(item))
    assert not ProposalItem.objects.exists()


def test_report_term_counts_from_the_change(client, world):
    propose_new_row(client, world)
    proposal = Proposal.objects.get()
    url = reverse("registry:proposal_act", args=[proposal.pk, "details"])
    client.post(url, with_version(proposal, changed_on="2026-04-24", note="Изменен регламент"))
    proposal.refresh_from_db()
    # 24.04.2026 (Friday) + 10 working days: 27-30 April, 4-8 May, then 12 May
    # (1 May and 11 May 2026, the day off for 9 May, are not working days).
    assert str(proposal.report_due) == "2026-05-12"
    assert proposal.note == "Изменен регламент"
    client.post(url, with_version(proposal, changed_on="31.02.2026"))
    proposal.refresh_from_db()
    assert str(proposal.changed_on) == "2026-04-24"  # a bad date changes nothing


def test_officials_file_becomes_his_proposal_and_approval_writes_it(client, world):
    client.force_login(world.official)
    data = workbook_bytes([row("1", c8="Сидоров Петр Петрович"), row("2"), row("300")])
    response = upload(client, data, default_unit=world.unit.pk)
    # Row 2 belongs to another unit: an official's file may not change it. A file with
    # errors is shown on the upload page and not kept (issue 11).
    assert "Строку ведет другое подразделение" in response.content.decode()
    assert not ImportBatch.objects.exists()

    upload(
        client,
        workbook_bytes([row("1", c8="Сидоров Петр Петрович"), row("300")]),
        default_unit=world.unit.pk,
    )
    batch = ImportBatch.objects.get()
    response = client.post(reverse("registry:import_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    proposal = Proposal.objects.get()
    assert batch.status == ImportStatus.PROPOSED and response.url == proposal.get_absolute_url()
    assert not Process.objects.filter(identifier="300").exists()
    actions = {i.action: i for i in proposal.items.all()}
    assert actions[ProposalAction.CHANGE].process == world.own_row
    assert actions[ProposalAction.ADD].values["identifier"] == "300"

    svc.submit(proposal, world.official)
    svc.approve(proposal, world.officer)
    world.own_row.refresh_from_db()
    assert world.own_row.responsible == "Сидоров Петр Петрович"
    assert Process.objects.get(authority=world.authority, identifier="300").unit == world.unit


def test_rows_of_one_file_naming_each_other_are_approved_together(client, world):
    """Review finding: a new row linked to a changed row in the same proposal."""
    client.force_login(world.official)
    data = workbook_bytes(
        [row("1", c8="Сидоров Петр Петрович"), row("300", c12="1 (предшествующий)")]
    )
    upload(client, data, default_unit=world.unit.pk)
    batch = ImportBatch.objects.get()
    client.post(reverse("registry:import_confirm", args=[batch.pk]))
    proposal = Proposal.objects.get()
    svc.submit(proposal, world.official)
    svc.approve(proposal, world.officer)
    new = Process.objects.get(authority=world.authority, identifier="300")
    assert [(o.identifier, t) for o, t in new.related_links()] == [("1", "predecessor")]
    world.own_row.refresh_from_db()
    assert world.own_row.responsible == "Сидоров Петр Петрович"


def test_a_row_changed_by_someone_else_stops_the_whole_approval(client, world):
    propose_new_row(client, world, function_name="Новая функция")
    client.post(
        reverse("registry:process_edit", args=[world.own_row.pk]),
        form_data(world, identifier="1", version=world.own_row.version, responsible="Новый"),
    )
    proposal = Proposal.objects.get()
    svc.submit(proposal, world.official)
    client.force_login(world.officer)
    client.post(
        reverse("registry:process_edit", args=[world.own_row.pk]),
        form_data(world, identifier="1", version=world.own_row.version, responsible="Офицер"),
    )
    with pytest.raises(svc.ProposalError, match="Строка 1 изменена"):
        svc.approve(proposal, world.officer)
    assert not Process.objects.filter(function_name="Новая функция").exists()


def test_reproposing_a_row_keeps_the_reviewers_remark(client, world):
    client.force_login(world.official)
    url = reverse("registry:process_edit", args=[world.own_row.pk])
    version = world.own_row.version
    client.post(url, form_data(world, identifier="1", version=version, responsible="A"))
    proposal = svc.submit(Proposal.objects.get(), world.official)
    item = proposal.items.get()
    svc.comment_item(item, world.officer, "Уточните должность")
    svc.return_for_rework(proposal, world.officer, "См. замечание к строке")
    client.post(url, form_data(world, identifier="1", version=version, responsible="Б"))
    item = proposal.items.get()
    assert item.values["responsible"] == "Б" and item.review_comment == "Уточните должность"


def test_proposal_page_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    from tests.conftest import make_process

    for n in range(3, 13):
        make_process(world.authority, world.unit, str(n))
    proposal = svc.open_draft(world.official)
    for process in Process.objects.filter(unit=world.unit):
        svc.propose_exclusion(world.official, process, "Передано")
    client.force_login(world.official)
    with django_assert_max_num_queries(25):
        page = client.get(proposal.get_absolute_url())
    assert len(page.context["rows"]) == 11


def test_proposed_column_12_shows_the_links_another_authority_entered(client, world):
    """Approval keeps a link another authority entered (only its owner removes it), so the
    proposed row shows it, though the official's form does not carry it."""
    make_link(world.own_row, world.city_row, owner=world.city_authority)
    make_link(world.city_row, world.other_unit_row, owner=world.city_authority)
    client.force_login(world.official)
    row = Process.objects.get(pk=world.own_row.pk)
    url = reverse("registry:process_edit", args=[row.pk])
    data = form_data(world, identifier="1", version=row.version, responsible="Новый")
    client.post(url, {**data, **links(("predecessor", world.authority, "2"))})
    item = ProposalItem.objects.get()
    assert item.values["links"] == [["predecessor", world.authority.pk, "2"]]
    proposal = svc.submit(item.proposal, world.official)

    client.force_login(world.officer)
    page = client.get(proposal.get_absolute_url())
    column = page.context["rows"][0]["columns"][11]
    assert column["current"] == "Администрация города Омска: 1 (последующий)"
    assert column["proposed"] == ("2 (предшествующий); Администрация города Омска: 1 (последующий)")
    svc.approve(proposal, world.officer)
    assert current_texts_of_row(world.own_row)[11] == column["proposed"]


def current_texts_of_row(process):
    from registry.services.registry_rows import registry_rows

    return next(registry_rows(Process.objects.filter(pk=process.pk))).values


def test_an_approval_error_names_the_row_of_the_proposal(client, world):
    from registry.models import TypicalProcess
    from tests.conftest import make_process
    from tests.registry.test_proposals import change_values

    proposal = svc.open_draft(world.official)
    row = world.own_row
    svc.add_item(proposal, world.official, ProposalAction.CHANGE, row, change_values(world, row))
    for identifier in ("", "7"):
        values = change_values(world, row, identifier=identifier, function_name="Новая")
        svc.add_item(proposal, world.official, ProposalAction.ADD, values=values)
    svc.submit(proposal, world.official)
    make_process(world.authority, world.unit, "7")  # the officer took number 7 meanwhile

    client.force_login(world.officer)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Строка 3.</span> Добавить:" in page
    url = reverse("registry:proposal_act", args=[proposal.pk, "approve"])
    body = client.post(url, with_version(proposal), follow=True).content.decode()
    name = TypicalProcess.objects.get(pk=row.typical_process_id).name
    assert (
        "Предложение не одобрено, реестр не изменен: Строка 3 предложения (идентификатор 7, "
        f"процесс «{name}»): Идентификатор процесса уже есть в реестре этого органа власти."
    ) in body
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED
    assert not Process.objects.filter(function_name="Новая").exists()


def test_a_vanished_link_target_names_the_row_of_the_proposal(world):
    from tests.registry.test_proposals import change_values

    proposal = svc.open_draft(world.official)
    svc.add_item(
        proposal,
        world.official,
        ProposalAction.EXCLUDE,
        world.own_row,
        exclude_reason="Передана",
    )
    values = change_values(
        world, world.own_row, identifier="", links=[["predecessor", world.authority.pk, "99"]]
    )
    svc.add_item(proposal, world.official, ProposalAction.ADD, values=values)
    svc.submit(proposal, world.official)
    with pytest.raises(svc.ProposalError) as refused:
        svc.approve(proposal, world.officer)
    assert str(refused.value) == (
        f"Строка 2 предложения (идентификатор будет присвоен, процесс «{world.own_row.name}»): "
        "Графа 12: процесса «99» больше нет в реестре."
    )
