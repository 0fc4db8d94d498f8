"""The list of roadmaps and a roadmap as its document shows it, also on a past day."""

from datetime import timedelta

from django.urls import reverse

from roadmaps.services.items import amend_item
from tests.roadmaps.conftest import make_act


def test_list_is_scoped(client, world, board):
    client.force_login(world.officer)
    page = client.get(reverse("roadmaps:roadmap_list"))
    assert set(page.context["object_list"]) == {board.regional, board.appendix}
    assert "План Администрации города Омска" not in page.content.decode()


def test_detail_shows_sections_states_and_successors(client, world, board):
    client.force_login(world.coordinator)
    page = client.get(reverse("roadmaps:roadmap_detail", args=[board.appendix.pk]))
    html = page.content.decode()
    assert "Организационные мероприятия" in html
    assert "(с 05.06.2024 — Министерство спорта Омской области)" in html
    states = {r["item"].number: r["state"] for r in page.context["rows"] if r["state"]}
    assert states["1.1."] == "overdue"
    assert states["1.5."] == "done"
    assert "row-overdue" in html
    assert "12-р" in html  # the evidence of 1.5
    assert not page.context["can_edit"]


def test_as_it_stood_on_a_day_and_changes_since(client, world, board):
    loaded = board.later.history.earliest().effective_date  # the day the plan was entered
    act = make_act("50-рп", loaded + timedelta(days=20))
    amend_item(board.later, act=act, text="Утвержден порядок в новой редакции")
    client.force_login(world.officer)
    url = reverse("roadmaps:roadmap_detail", args=[board.appendix.pk])
    before = client.get(url, {"on": str(loaded + timedelta(days=19))})
    texts = {r["item"].number: r["item"].text for r in before.context["rows"]}
    assert texts["1.3."] != "Утвержден порядок в новой редакции"
    after = client.get(url, {"on": str(act.date), "since": str(loaded + timedelta(days=19))})
    rows = {r["item"].number: r for r in after.context["rows"]}
    assert rows["1.3."]["item"].text == "Утвержден порядок в новой редакции"
    assert rows["1.3."]["change"].fields == ["text"]
    assert "изменено: мероприятие; распоряжение от" in after.content.decode()
    assert after.context["can_edit"]
