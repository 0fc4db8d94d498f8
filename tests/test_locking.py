"""The one optimistic lock (portal.locking) on every editable record, one request after
another (the parallel case is tests/test_concurrency.py): a save of a version that is no
longer current is refused with the current values; removed proposal rows are kept; a
publication that would repeat the last version is refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.locking import StaleEdit, claim
from registry.models import (
    Process,
    ProposalAction,
    ProposalItem,
    ProposalState,
    RegistryVersion,
)
from registry.services import campaigns as campaign_service
from registry.services import processes as process_service
from registry.services import proposals as proposal_service
from registry.services import publication
from roadmaps.models import DeadlineKind, ItemStatus, Roadmap, RoadmapItem
from roadmaps.services.items import save_recorded, set_status
from segmentation.models import Touchpoint
from tests.registry.test_proposals import change_values

pytestmark = pytest.mark.django_db


def test_claim_raises_the_version_once(world):
    row = Process.objects.get(pk=world.own_row.pk)
    claim(row, row.version)
    assert row.version == world.own_row.version + 1
    with pytest.raises(StaleEdit) as refused:
        claim(world.own_row, world.own_row.version)
    assert refused.value.current.version == row.version


def draft(world):
    proposal = proposal_service.open_draft(world.official)
    values = change_values(world, world.own_row, responsible="Петрова А. С., консультант")
    proposal_service.add_item(
        proposal, world.official, ProposalAction.CHANGE, world.own_row, values
    )
    values = change_values(world, world.other_unit_row, responsible="Не будет внесено")
    proposal_service.add_item(
        proposal, world.official, ProposalAction.CHANGE, world.other_unit_row, values
    )
    proposal.refresh_from_db()  # each row added raised its version
    return proposal


def test_a_removed_proposal_row_is_kept_with_its_comment_and_never_applied(client, world):
    proposal = draft(world)
    kept, removed = proposal.items.order_by("pk")
    proposal = proposal_service.submit(proposal, world.official)
    proposal_service.comment_item(removed, world.officer, "Строка 2 не нужна")
    proposal_service.return_for_rework(proposal, world.officer, "Уберите строку 2")
    removed.refresh_from_db()
    proposal_service.remove_item(removed, world.official)

    row = ProposalItem.all_objects.get(pk=removed.pk)  # not deleted
    assert (row.removed_by, row.review_comment) == (world.official, "Строка 2 не нужна")
    assert list(proposal.items.all()) == [kept]
    for user in (world.official, world.officer):
        client.force_login(user)
        page = client.get(proposal.get_absolute_url()).content.decode()
        assert 'data-testid="removed-item"' in page and "Строка 2 не нужна" in page
        assert "Строки предложения (1)" in page
    listing = client.get(reverse("registry:proposal_list")).context["table"].data
    assert [p.item_count for p in listing] == [1]

    proposal_service.submit(proposal, world.official)
    proposal_service.approve(proposal, world.officer)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.APPLIED
    assert Process.objects.get(pk=world.own_row.pk).responsible == "Петрова А. С., консультант"
    assert Process.objects.get(pk=world.other_unit_row.pk).responsible != "Не будет внесено"


def test_a_proposal_of_removed_rows_only_is_not_submitted(world):
    proposal = draft(world)
    for item in proposal.items.all():
        proposal_service.remove_item(item, world.official)
    with pytest.raises(proposal_service.ProposalError, match="нет ни одной строки"):
        proposal_service.submit(proposal, world.official)


def test_stale_proposal_forms_answer_409_with_the_current_values(client, world):
    proposal = draft(world)
    client.force_login(world.official)
    details = reverse("registry:proposal_act", args=[proposal.pk, "details"])
    opened = proposal.version
    assert client.post(details, {"note": "Первое", "version": opened}).status_code == 302
    stale = client.post(details, {"note": "Второе", "version": opened})
    assert stale.status_code == 409
    assert "изменил другой пользователь" in stale.content.decode()
    assert "Первое" in stale.content.decode()
    proposal.refresh_from_db()
    assert proposal.note == "Первое"

    item = proposal.items.order_by("pk").first()
    remove = reverse("registry:item_act", args=[item.pk, "remove"])
    assert client.post(remove, {"version": item.version + 5}).status_code == 409
    assert ProposalItem.objects.filter(pk=item.pk).exists()


def test_approving_twice_is_refused_and_writes_nothing_more(world):
    proposal = draft(world)
    proposal_service.submit(proposal, world.official)
    proposal_service.approve(proposal, world.officer)
    states = world.own_row.history.count()
    with pytest.raises(proposal_service.ProposalError):
        proposal_service.approve(proposal, world.admin)
    assert world.own_row.history.count() == states


def test_a_decision_on_a_proposal_returned_and_sent_again_since_is_refused(client, world):
    proposal = draft(world)
    proposal = proposal_service.submit(proposal, world.official)
    client.force_login(world.officer)
    seen = client.get(proposal.get_absolute_url()).context["proposal"].version
    proposal_service.return_for_rework(proposal, world.admin, "Доработать")
    proposal_service.submit(proposal, world.official)
    approve = reverse("registry:proposal_act", args=[proposal.pk, "approve"])
    answer = client.post(approve, {"version": seen})
    assert answer.status_code == 409 and "решение не принято" in answer.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED
    current = client.get(proposal.get_absolute_url()).context["proposal"].version
    assert client.post(approve, {"version": current}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.APPLIED


def test_publishing_with_nothing_changed_is_refused(client, world):
    client.force_login(world.officer)
    url = reverse("registry:publish")
    client.post(url)
    answer = client.post(url, follow=True)
    assert "Изменений после последней публикации нет" in answer.content.decode()
    assert RegistryVersion.objects.count() == 1
    with pytest.raises(publication.NothingToPublish):
        publication.publish(world.authority, world.officer)

    # Changed, then changed back: the registry differs from the last version, so it is new.
    original = world.own_row.responsible
    Process.objects.filter(pk=world.own_row.pk).update(responsible="Другой")
    publication.publish(world.authority, world.officer)
    Process.objects.filter(pk=world.own_row.pk).update(responsible=original)
    third = publication.publish(world.authority, world.officer)
    first = RegistryVersion.objects.get(number=1)
    assert third.number == 3 and third.content_hash == first.content_hash
    assert third.previous_hash != third.content_hash


def test_a_second_exclusion_of_a_row_is_refused(world):
    process_service.exclude_process(world.own_row, "Первое основание", world.officer)
    with pytest.raises(process_service.StaleEditError):
        process_service.exclude_process(world.own_row, "Второе основание", world.officer)
    assert Process.objects.get(pk=world.own_row.pk).excluded_reason == "Первое основание"


def test_touchpoint_edit_page_refuses_a_stale_save(client, world):
    record = Touchpoint.objects.create(
        authority=world.authority, group=world.own_row.group, channel="phone", place="Линия"
    )
    client.force_login(world.official)
    url = reverse("segmentation:touchpoint_edit", args=[record.pk])
    opened = client.get(url).context["form"].initial["version"]
    data = {"authority": world.authority.pk, "group": world.own_row.group_id, "channel": "phone"}
    assert client.post(url, {**data, "place": "Первая", "version": opened}).status_code == 302
    stale = client.post(url, {**data, "place": "Вторая", "version": opened})
    assert stale.status_code == 409 and stale.context["form"]["place"].value() == "Первая"
    record.refresh_from_db()
    assert (record.place, record.updated_by) == ("Первая", world.official)

    # Archiving from a page shown before the save is refused as well.
    archive = reverse("segmentation:archive", args=["touchpoint", record.pk])
    client.post(archive, {"version": opened})
    record.refresh_from_db()
    assert not record.is_archived
    client.post(archive, {"version": record.version})
    record.refresh_from_db()
    assert record.is_archived


def test_campaign_closed_twice_tells_who_closed_it(client, world):
    campaign = campaign_service.open_campaign(
        world.coordinator,
        kind="one_off",
        due_date=timezone.localdate() + timedelta(days=30),
        authorities=[world.authority],
    )
    opened = campaign.version
    client.force_login(world.coordinator)
    url = reverse("registry:campaign_close", args=[campaign.pk])
    client.post(url, {"version": opened})
    answer = client.post(url, {"version": opened}, follow=True)
    assert "Кампанию уже закрыл(а)" in answer.content.decode()


def test_roadmap_item_status_form_of_an_older_version_is_refused(client, world):
    roadmap = Roadmap.objects.create(owner=world.authority, title="План")
    item = save_recorded(
        RoadmapItem(
            roadmap=roadmap,
            number="1.1.",
            text="Мероприятие",
            deadline_text="31.12.2030",
            deadline_kind=DeadlineKind.DATE,
            deadline_date=date(2030, 12, 31),
        )
    )
    opened = item.version
    set_status(item, ItemStatus.IN_PROGRESS, user=world.admin)
    client.force_login(world.officer)
    answer = client.post(
        reverse("roadmaps:item_status", args=[item.pk]),
        {"status": ItemStatus.CANCELLED, "version": opened},
    )
    assert answer.status_code == 409
    assert "Мероприятие изменил другой пользователь" in answer.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS


def test_admin_change_forms_refuse_a_stale_save(client, world):
    from portal.models import CalendarCorrection

    roadmap = Roadmap.objects.create(owner=world.authority, title="План")
    item = save_recorded(
        RoadmapItem(
            roadmap=roadmap,
            number="1.1.",
            text="Мероприятие",
            deadline_text="31.12.2030",
            deadline_kind=DeadlineKind.DATE,
            deadline_date=date(2030, 12, 31),
        )
    )
    client.force_login(world.admin)
    url = reverse("admin:roadmaps_roadmapitem_change", args=[item.pk])
    opened = client.get(url).context["adminform"].form.initial["opened_version"]
    data = {
        "roadmap": roadmap.pk,
        "number": item.number,
        "position": item.position,
        "footnotes": "",
        "deadline_text": item.deadline_text,
        "responsible_text": "",
        "document_type": "",
        "status": ItemStatus.PLANNED,
        "opened_version": opened,
        "responsibles-TOTAL_FORMS": "0",
        "responsibles-INITIAL_FORMS": "0",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
    }
    assert client.post(url, {**data, "text": "Первая правка"}).status_code == 302
    stale = client.post(url, {**data, "text": "Вторая правка"})
    assert stale.status_code == 200 and "изменил другой пользователь" in stale.content.decode()
    item.refresh_from_db()
    assert (item.text, item.version) == ("Первая правка", opened + 1)

    correction = CalendarCorrection.objects.create(
        date=date(2031, 1, 9), is_working_day=False, reason="Постановление"
    )
    url = reverse("admin:portal_calendarcorrection_change", args=[correction.pk])
    data = {"date": "2031-01-09", "opened_version": correction.version}
    assert client.post(url, {**data, "reason": "Первое"}).status_code == 302
    assert client.post(url, {**data, "reason": "Второе"}).status_code == 200
    correction.refresh_from_db()
    assert correction.reason == "Первое"


# A page's form that posts no version, or a malformed one, cannot show what it was opened
# on: every record type refuses it as stale and writes nothing; the current version passes.
NO_VERSIONS = [{}, {"version": ""}, {"version": "abc"}, {"version": "-1"}]


@pytest.mark.parametrize("posted", NO_VERSIONS)
def test_proposal_forms_without_a_version_are_refused(client, world, posted):
    proposal = draft(world)
    item = proposal.items.order_by("pk").first()
    client.force_login(world.official)
    details = reverse("registry:proposal_act", args=[proposal.pk, "details"])
    assert client.post(details, {"note": "Без версии", **posted}).status_code == 409
    remove = reverse("registry:item_act", args=[item.pk, "remove"])
    assert client.post(remove, posted).status_code == 409
    submit = reverse("registry:proposal_act", args=[proposal.pk, "submit"])
    assert client.post(submit, posted).status_code == 409
    proposal.refresh_from_db()
    item.refresh_from_db()
    assert (proposal.note, proposal.state, item.removed_at) == ("", ProposalState.DRAFT, None)
    assert client.post(submit, {"version": proposal.version}).status_code == 302

    client.force_login(world.officer)
    comment = reverse("registry:item_act", args=[item.pk, "comment"])
    assert client.post(comment, {"comment": "Замечание", **posted}).status_code == 409
    for act in ("approve", "return"):
        url = reverse("registry:proposal_act", args=[proposal.pk, act])
        assert client.post(url, {"comment": "Вернуть", **posted}).status_code == 409
    proposal.refresh_from_db()
    item.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED and item.review_comment == ""


@pytest.mark.parametrize("posted", NO_VERSIONS)
def test_record_forms_without_a_version_are_refused(client, world, posted):
    from segmentation.services import profiles
    from tests.registry.test_process_editing import form_data
    from tests.segmentation.test_pages import profile_post
    from tests.segmentation.test_segmentation import ATTRIBUTES, new_profile

    client.force_login(world.officer)
    # The registry row: its edit form and the restore of an earlier state.
    row = world.own_row
    edit = reverse("registry:process_edit", args=[row.pk])
    data = {k: v for k, v in form_data(world, identifier="1", responsible="Другой").items()}
    data.pop("version", None)
    assert client.post(edit, {**data, **posted}).status_code == 409
    state = row.history.earliest().history_id
    restore = reverse("registry:process_restore_state", args=[row.pk, state])
    client.post(restore, posted)
    assert Process.objects.get(pk=row.pk).version == row.version

    # The segment profile, a touchpoint (edit and archive).
    profile = profiles.save_profile(new_profile(world), ATTRIBUTES, [], [], world.officer)
    url = reverse("segmentation:profile_edit", args=[profile.pk])
    assert client.post(url, profile_post(world, ATTRIBUTES, name="Другое", **posted)).status_code
    profile.refresh_from_db()
    assert profile.name != "Другое" and profile.version == 1
    touchpoint = Touchpoint.objects.create(
        authority=world.authority, group=world.own_row.group, channel="phone", place="Линия"
    )
    url = reverse("segmentation:touchpoint_edit", args=[touchpoint.pk])
    fields = {"authority": world.authority.pk, "group": row.group_id, "channel": "phone"}
    assert client.post(url, {**fields, "place": "Другая", **posted}).status_code == 409
    client.post(reverse("segmentation:archive", args=["touchpoint", touchpoint.pk]), posted)
    touchpoint.refresh_from_db()
    assert (touchpoint.place, touchpoint.is_archived, touchpoint.version) == ("Линия", False, 1)

    # The campaign's closing and the roadmap item's status.
    campaign = campaign_service.open_campaign(
        world.coordinator,
        kind="one_off",
        due_date=timezone.localdate() + timedelta(days=30),
        authorities=[world.authority],
    )
    client.force_login(world.coordinator)
    client.post(reverse("registry:campaign_close", args=[campaign.pk]), posted)
    campaign.refresh_from_db()
    assert campaign.closed_at is None
    roadmap = Roadmap.objects.create(owner=world.authority, title="План")
    item = save_recorded(
        RoadmapItem(roadmap=roadmap, number="1.1.", text="Мероприятие", deadline_text="2030")
    )
    client.force_login(world.officer)
    status = reverse("roadmaps:item_status", args=[item.pk])
    assert client.post(status, {"status": ItemStatus.CANCELLED, **posted}).status_code == 409
    item.refresh_from_db()
    assert item.status != ItemStatus.CANCELLED


def test_rows_added_or_removed_from_another_tab_stop_the_submission(client, world):
    proposal = draft(world)
    seen = proposal.version  # the page of the proposal, opened in the first tab
    values = change_values(world, world.own_row, responsible="Из другой вкладки")
    proposal_service.add_item(proposal, world.official, ProposalAction.ADD, values=values)
    with pytest.raises(StaleEdit):
        proposal_service.submit(proposal, world.official, seen)
    proposal.refresh_from_db()
    seen = proposal.version
    item = proposal.items.order_by("-pk").first()
    proposal_service.remove_item(item, world.official, item.version)
    with pytest.raises(StaleEdit):
        proposal_service.submit(proposal, world.official, seen)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DRAFT
    submitted = proposal_service.submit(proposal, world.official, proposal.version)
    assert submitted.state == ProposalState.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_admin_reverts_a_roadmap_item_to_an_earlier_state(catalogue_after_flush, client, world):
    """The history's revert page saves under the row lock in a transaction of its own (it
    was a TransactionManagementError, a 500, on PostgreSQL), on the record's current
    version: a form opened before another change is refused."""
    roadmap = Roadmap.objects.create(owner=world.authority, title="План")
    item = save_recorded(
        RoadmapItem(roadmap=roadmap, number="1.1.", text="Первая редакция", deadline_text="2030")
    )
    first = item.history.latest().history_id
    item.text = "Вторая редакция"
    item = save_recorded(item)
    client.force_login(world.admin)
    url = reverse("admin:roadmaps_roadmapitem_simple_history", args=[item.pk, first])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert form.initial["opened_version"] == item.version  # not the earlier state's
    data = {
        "roadmap": roadmap.pk,
        "number": item.number,
        "position": item.position,
        "footnotes": "",
        "text": "Первая редакция",
        "deadline_text": item.deadline_text,
        "responsible_text": "",
        "document_type": "",
        "status": ItemStatus.PLANNED,
        "responsibles-TOTAL_FORMS": "0",
        "responsibles-INITIAL_FORMS": "0",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
    }
    stale = client.post(url, {**data, "opened_version": item.version - 1})
    assert stale.status_code == 200 and "изменил другой пользователь" in stale.content.decode()
    answer = client.post(url, {**data, "opened_version": item.version})
    assert answer.status_code == 302
    reverted = RoadmapItem.objects.get(pk=item.pk)
    assert (reverted.text, reverted.version) == ("Первая редакция", item.version + 1)


def test_an_archived_touchpoint_is_not_edited(client, world):
    record = Touchpoint.objects.create(
        authority=world.authority, group=world.own_row.group, channel="phone", place="Линия"
    )
    Touchpoint.objects.filter(pk=record.pk).update(is_archived=True)
    client.force_login(world.official)
    url = reverse("segmentation:touchpoint_edit", args=[record.pk])
    page = client.get(url, follow=True)
    assert "Запись в архиве и не изменяется" in page.content.decode()
    data = {"authority": world.authority.pk, "group": world.own_row.group_id, "channel": "phone"}
    answer = client.post(url, {**data, "place": "Другая", "version": record.version})
    assert answer.status_code == 400 and "Запись в архиве" in answer.content.decode()
    record.refresh_from_db()
    assert record.place == "Линия"
