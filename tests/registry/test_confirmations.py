"""Irreversible actions say what they will do before they do it, are disabled with the
reason when there is nothing to do, and the server refuses that case on its own."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from portal import tasks
from registry.models import (
    Campaign,
    CampaignKind,
    Process,
    ProposalAction,
    ProposalItem,
    ProposalState,
    RegistryVersion,
    Role,
)
from registry.services import campaigns, proposals, publication
from tests.conftest import make_org, make_process, make_user, with_version

pytestmark = pytest.mark.django_db

STRINGS = r"строк[аи]?"  # the Russian plural comes from the catalog when there is one


def versions_page(client, user, authority):
    client.force_login(user)
    return client.get(reverse("registry:versions"), {"authority": authority.pk})


def test_the_first_publication_says_how_many_rows(client, world):
    confirm = versions_page(client, world.officer, world.authority).context["confirm"]
    assert not confirm.refused
    assert re.match(rf"Будет опубликована версия 1: 2 {STRINGS}\. ", confirm.text)


def test_a_later_publication_counts_added_changed_excluded(client, world):
    publication.publish(world.authority, world.officer)
    row = Process.objects.get(pk=world.own_row.pk)
    row.responsible = "Новый ответственный"
    row.save()
    make_process(world.authority, world.unit, "3")
    excluded = Process.objects.get(pk=world.other_unit_row.pk)
    excluded.is_excluded = True
    excluded.save()
    response = versions_page(client, world.officer, world.authority)
    text = response.context["confirm"].text
    assert re.match(
        rf"Будет опубликована версия 2: 2 {STRINGS}, добавлено 1, изменено 1, исключено 1\.",
        text,
    )
    html = response.content.decode()
    assert 'data-bs-toggle="modal"' in html and text in html
    assert 'data-testid="publish-refused"' not in html
    # The officer's task says the same.
    (task,) = [t for t in tasks.tasks_for(world.officer) if t.kind == "publication"]
    assert "изменения не опубликованы (с версии 1: добавлено 1, изменено 1, исключено 1)" in (
        task.detail
    )


def test_nothing_changed_disables_publishing_with_the_reason_and_the_server_refuses(client, world):
    publication.publish(world.authority, world.officer)
    html = versions_page(client, world.officer, world.authority).content.decode()
    assert 'data-testid="publish-refused"' in html
    assert "Изменений после последней публикации нет — публиковать нечего." in html
    assert re.search(r"<button[^>]*disabled[^>]*>Опубликовать текущую версию", html)
    # A hand-made POST (or a second tab) meets the same answer.
    response = client.post(reverse("registry:publish"), {"authority": world.authority.pk})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [publication.NOTHING_CHANGED]
    assert RegistryVersion.objects.count() == 1


def test_an_empty_registry_is_not_published(client, world):
    authority = make_org("authority", "Новый орган власти", world.region, short_name="Новый")
    officer = make_user("new_officer", Role.AUTHORIZED_OFFICER, authority)
    confirm = versions_page(client, officer, authority).context["confirm"]
    assert confirm.refused == publication.EMPTY_REGISTRY
    with pytest.raises(publication.NothingToPublish, match="нет ни одной строки"):
        publication.publish(authority, officer)


def test_a_registry_of_excluded_rows_only_is_refused_and_makes_no_task(client, world):
    """Never published, every row excluded: the button says why, as publish() would, and the
    officer is not given a task he cannot do."""
    Process.objects.filter(authority=world.authority).update(is_excluded=True)
    confirm = versions_page(client, world.officer, world.authority).context["confirm"]
    assert confirm.refused == publication.EMPTY_REGISTRY
    assert not [t for t in tasks.tasks_for(world.officer) if t.kind == "publication"]
    with pytest.raises(publication.NothingToPublish, match="нет ни одной строки"):
        publication.publish(world.authority, world.officer)


def test_the_publish_confirmation_page_without_scripts(client, world):
    client.force_login(world.officer)
    response = client.get(reverse("registry:publish"), {"authority": world.authority.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Будет опубликована версия 1" in html
    assert f'action="{reverse("registry:publish")}"' in html
    assert not RegistryVersion.objects.exists()  # asking is not publishing
    client.force_login(world.official)
    assert client.get(reverse("registry:publish")).status_code == 403


def submitted(world, *rows):
    proposal = proposals.open_draft(world.official)
    for row in rows:
        proposals.add_item(
            proposal, world.official, ProposalAction.EXCLUDE, row, exclude_reason="Передано"
        )
    return proposals.submit(proposal, world.official)


def proposal_page(client, user, proposal):
    client.force_login(user)
    return client.get(reverse("registry:proposal_detail", args=[proposal.pk]))


def test_approval_says_how_many_changes_enter_the_registry(client, world):
    proposal = submitted(world, world.own_row)
    context = proposal_page(client, world.officer, proposal).context
    approve, back = context["approve_confirm"], context["return_confirm"]
    assert re.match(
        rf"Предложение № {proposal.pk} будет одобрено: 1 изменение войдет в реестр "
        r"\(исключений строк — 1\)\.",
        approve.text,
    )
    assert not approve.refused
    assert back.text.startswith(f"Предложение № {proposal.pk} будет возвращено на доработку")
    assert back.comment == "Что доработать (обязательно)"


def test_a_proposal_without_rows_cannot_be_approved(client, world):
    proposal = submitted(world, world.own_row)
    ProposalItem.objects.filter(proposal=proposal).update(removed_at=timezone.now())
    html = proposal_page(client, world.officer, proposal).content.decode()
    assert proposals.NOTHING_TO_APPROVE in html
    assert re.search(r"<button[^>]*disabled[^>]*>Одобрить и внести в реестр", html)
    url = reverse("registry:proposal_act", args=[proposal.pk, "approve"])
    response = client.post(url, with_version(proposal))
    assert proposals.NOTHING_TO_APPROVE in [str(m) for m in get_messages(response.wsgi_request)]
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED


def test_decision_pages_without_scripts(client, world):
    proposal = submitted(world, world.own_row)
    client.force_login(world.officer)
    approve = client.get(reverse("registry:proposal_act", args=[proposal.pk, "approve"]))
    assert "1 изменени" in approve.content.decode()
    back = client.get(reverse("registry:proposal_act", args=[proposal.pk, "return"]))
    assert 'name="comment"' in back.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED  # asking decides nothing
    assert (
        client.get(reverse("registry:proposal_act", args=[proposal.pk, "submit"])).status_code
        == 405
    )
    client.force_login(world.official)  # the author does not review his own
    assert (
        client.get(reverse("registry:proposal_act", args=[proposal.pk, "approve"])).status_code
        == 403
    )
    proposals.approve(proposal, world.officer)
    client.force_login(world.officer)
    done = client.get(reverse("registry:proposal_act", args=[proposal.pk, "approve"]))
    assert "решение уже принято" in done.content.decode()


def open_campaign(world):
    return campaigns.open_campaign(
        world.coordinator,
        kind=CampaignKind.ONE_OFF,
        due_date=timezone.localdate() + timedelta(days=5),
        authorities=[world.authority],
    )


def test_closing_a_campaign_says_who_has_not_answered(client, world):
    campaign = open_campaign(world)
    client.force_login(world.coordinator)
    page = client.get(reverse("registry:campaign_detail", args=[campaign.pk]))
    confirm = page.context["close_confirm"]
    assert confirm.text.startswith(f"Кампания «{campaign.title}» будет закрыта")
    assert re.search(r"Нет ответа: 2 подразделени[еяй]\.$", confirm.text)
    no_js = client.get(reverse("registry:campaign_close", args=[campaign.pk]))
    assert confirm.text in no_js.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).closed_at is None
    campaigns.close_campaign(campaign, world.coordinator)
    page = client.get(reverse("registry:campaign_detail", args=[campaign.pk]))
    assert page.context["close_confirm"].refused.startswith("Кампания закрыта")
    assert re.search(r"<button[^>]*disabled[^>]*>Закрыть кампанию", page.content.decode())
    client.force_login(world.official)
    assert client.get(reverse("registry:campaign_close", args=[campaign.pk])).status_code == 403


def test_the_exclusion_page_says_what_excluding_does(client, world):
    client.force_login(world.officer)
    url = reverse("registry:process_exclude", args=[world.own_row.pk])
    assert "будет исключена из реестра" in client.get(url).content.decode()
    client.force_login(world.official)
    assert "войдет в новое предложение" in client.get(url).content.decode()


def exclude_confirm(client, user, row):
    client.force_login(user)
    response = client.get(reverse("registry:process_detail", args=[row.pk]))
    assert response.status_code == 200
    return response.context["exclude_confirm"], response.content.decode()


def test_the_officer_is_told_which_row_goes_and_that_it_stays_in_history(client, world):
    row = world.own_row
    confirm, html = exclude_confirm(client, world.officer, row)
    assert (
        not confirm.refused and confirm.title == f"Исключить процесс {row.identifier} из реестра?"
    )
    assert confirm.text.startswith(f"Строка {row.identifier} «{row.name}» (Главное управление)")
    assert "не войдет в следующую опубликованную версию" in confirm.text
    assert "в ее истории останутся основание, дата и кто исключил" in confirm.text
    # The modal asks for the reason; without scripts its trigger is the exclusion page.
    assert 'data-testid="exclude-modal"' in html and 'name="reason"' in html
    page = client.get(confirm.page).content.decode()
    assert confirm.text in page
    client.post(confirm.action, {"reason": "Функция передана"})
    row.refresh_from_db()
    assert row.is_excluded and Process.objects.filter(pk=row.pk).exists()
    # Nothing left to do: the row's page offers to restore it, the exclusion is refused.
    response = client.post(confirm.action, {"reason": "Еще раз"}, follow=True)
    assert "уже исключен" in response.content.decode()
    assert row.history.filter(history_change_reason__startswith="Исключен").count() == 1


def test_the_official_is_told_which_proposal_and_is_refused_a_second_time(client, world):
    row = world.own_row
    confirm, html = exclude_confirm(client, world.official, row)
    assert confirm.button == "Предложить исключение"
    assert f"Исключение строки {row.identifier} «{row.name}» войдет в новое предложение" in (
        confirm.text
    )
    assert "пока вы не направите предложение на проверку" in confirm.text
    assert "останутся основание и номер предложения" in confirm.text
    # A draft with a change of the row: the exclusion replaces it, in that draft.
    draft = proposals.propose_row(world.official, {"responsible": "Другой"}, process=row)
    confirm, _ = exclude_confirm(client, world.official, row)
    assert f"войдет в ваше предложение № {draft.proposal_id} (черновик) вместо предложенного" in (
        confirm.text
    )
    client.post(confirm.action, {"reason": "Функция передана"})
    row.refresh_from_db()
    assert not row.is_excluded  # until the officer approves
    item = ProposalItem.objects.get(proposal=draft.proposal_id, process=row)
    assert item.action == ProposalAction.EXCLUDE
    # Already proposed: the button is disabled with the reason, a second post is refused.
    confirm, html = exclude_confirm(client, world.official, row)
    assert confirm.refused == (
        f"Исключение строки {row.identifier} уже есть в предложении № {draft.proposal_id} "
        "(черновик): направьте его на проверку."
    )
    assert 'data-testid="exclude-disabled"' in html and confirm.refused in html
    response = client.post(confirm.action, {"reason": "Еще раз"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [confirm.refused]
    assert ProposalItem.objects.filter(process=row).count() == 1
    proposals.submit(item.proposal, world.official)
    confirm, _ = exclude_confirm(client, world.official, row)
    assert confirm.refused.endswith("(на проверке): дождитесь решения по нему.")
    with pytest.raises(proposals.ProposalError):
        proposals.propose_exclusion(world.official, row, "В обход страницы")
