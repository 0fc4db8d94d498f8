"""bench/load_test.py's two halves that decide its verdict: the forms its users post are the
page's own (so an accepted edit really is accepted), and its check of the database finds an
edit the server said it accepted but did not keep."""

from django.urls import reverse
from django.utils import timezone

from bench.load_test import check_officer_edits, check_official_edits
from bench.page_forms import find_form, messages, replaced
from registry.models import Process, ProposalItem


def post_as_browser(client, url, fields):
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return client.post(url, data, follow=True)


def edit(client, row, marker):
    url = reverse("registry:process_edit", args=[row.pk])
    form = find_form(client.get(url).content.decode(), form_id="process-form")
    return post_as_browser(client, url, replaced(form["fields"], "responsible", marker))


def test_an_officials_row_form_as_read_goes_into_his_proposal(world, client):
    client.force_login(world.official)
    response = edit(client, world.own_row, "Нагрузочный тест: правка 1")
    assert "Строка добавлена в предложение" in messages(response.content.decode())
    item = ProposalItem.objects.get(process=world.own_row)
    entry = {"kind": "official edit", "outcome": "accepted", "row": world.own_row.pk}
    kept = {**entry, "proposal": item.proposal_id, "marker": "Нагрузочный тест: правка 1"}
    assert check_official_edits([kept])["lost"] == 0
    # The server said "accepted", but the proposal holds something else: lost.
    claimed = {**kept, "marker": "Нагрузочный тест: правка 2"}
    assert check_official_edits([claimed])["lost"] == 1


def test_a_later_edit_of_the_same_row_replaces_it_in_the_proposal(world, client):
    client.force_login(world.official)
    edit(client, world.own_row, "первая")
    edit(client, world.own_row, "вторая")
    proposal = ProposalItem.objects.get(process=world.own_row).proposal_id
    base = {"kind": "official edit", "outcome": "accepted", "row": world.own_row.pk}
    journal = [{**base, "proposal": proposal, "marker": m} for m in ("первая", "вторая")]
    result = check_official_edits(journal)
    assert (result["replaced by the same official"], result["lost"]) == (1, 0)


def test_an_officers_edit_is_found_in_the_history_and_a_stale_one_refused(world, client):
    since = timezone.now()
    client.force_login(world.officer)
    url = reverse("registry:process_edit", args=[world.own_row.pk])
    stale_form = find_form(client.get(url).content.decode(), form_id="process-form")
    response = edit(client, world.own_row, "правка уполномоченного")
    assert "Изменения процесса" in messages(response.content.decode())
    again = post_as_browser(client, url, replaced(stale_form["fields"], "responsible", "поздняя"))
    assert again.status_code == 409
    history = Process.history.model.objects.filter(history_date__gte=since)
    entry = {"kind": "officer edit", "outcome": "accepted", "row": world.own_row.pk}
    assert check_officer_edits([{**entry, "marker": "правка уполномоченного"}], history) == {
        "sent": 1,
        "accepted": 1,
        "refused": 0,
        "history states": 1,
        "lost": 0,
    }
    assert check_officer_edits([{**entry, "marker": "поздняя"}], history)["lost"] == 1
