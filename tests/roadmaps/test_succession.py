"""A reorganized body's plan passes to its successor (issue 15, roadmap point 1; seed 000's
footnotes: «*С 5 июня 2024 года реализация мероприятий осуществляется Министерством спорта
Омской области.»)."""

import json
import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from registry.models import Organization, Role, User
from roadmaps.models import ItemResponsible, ItemStatus, Roadmap
from roadmaps.services import access, demo
from roadmaps.services.succession import apply_successions, heir, owners_before
from tests.conftest import make_org, make_user, with_version
from tests.roadmaps.conftest import make_item, make_roadmap

SEED_000 = demo.SEED_DIR / "omsk_329-rp_2024_appendix29.txt"  # seed 000, byte for byte
TAKEOVER = date(2024, 6, 5)  # the successor date of Министерство спорта (the board's)


class Plan:
    """Appendix № 5 of the reorganized ministry with two measures, one of them also named in
    the regional plan, and an officer on each side."""

    def __init__(self, board):
        self.board = board
        self.roadmap = make_roadmap(
            board.old_ministry,
            "План мероприятий Министерства по делам молодежи, физической культуры и спорта",
            parent=board.regional,
            appendix_number="5",
        )
        self.first = make_item(self.roadmap, "1.1.", responsible_text="Министерство")
        self.second = make_item(self.roadmap, "1.2.", responsible_text="Министерство")
        ItemResponsible.objects.create(item=self.first, organization=board.old_ministry)
        # a measure of the regional plan naming the old ministry
        self.regional = make_item(board.regional, "2.6.", responsible_text="Министерство")
        self.named = ItemResponsible.objects.create(
            item=self.regional, organization=board.old_ministry
        )
        self.old_officer = make_user("old_officer", Role.AUTHORIZED_OFFICER, board.old_ministry)
        self.new_officer = make_user("sport_officer", Role.AUTHORIZED_OFFICER, board.minsport)


@pytest.fixture
def plan(board):
    return Plan(board)


def mine(user):
    return set(access.my_items(user))


def test_before_the_date_nothing_moves(client, plan):
    assert apply_successions(date(2024, 6, 4)) == []
    plan.roadmap.refresh_from_db()
    assert plan.roadmap.owner == plan.board.old_ministry
    assert plan.named.organization == plan.board.old_ministry
    # the predecessor's officer keeps the plan, the successor's has none of it
    client.force_login(plan.new_officer)
    detail = reverse("roadmaps:item_detail", args=[plan.first.pk])
    assert client.get(detail).status_code == 404
    client.force_login(plan.old_officer)
    assert 'data-testid="status-form"' in client.get(detail).content.decode()


def test_from_the_date_the_successor_owns_sees_and_amends_them(client, plan, today):
    [transfer] = apply_successions(today)
    assert (transfer.predecessor, transfer.successor) == (
        plan.board.old_ministry,
        plan.board.minsport,
    )
    # the board's 1.2. names the old ministry too
    assert transfer.roadmaps == [plan.roadmap] and transfer.responsibles == 3
    plan.roadmap.refresh_from_db()
    assert plan.roadmap.owner == plan.board.minsport
    plan.named.refresh_from_db()
    assert plan.named.organization == plan.board.minsport

    # «Мои мероприятия» and the deadline board of the successor's officer
    assert mine(plan.new_officer) == {plan.first, plan.second, plan.regional}
    client.force_login(plan.new_officer)
    page = client.get(reverse("roadmaps:mine")).content.decode()
    assert reverse("roadmaps:item_detail", args=[plan.second.pk]) in page
    rows = client.get(reverse("roadmaps:deadlines")).context["page"].object_list
    assert {plan.first, plan.second} <= set(rows)
    # he amends them: the status form and its change
    detail = reverse("roadmaps:item_detail", args=[plan.second.pk])
    assert 'data-testid="status-form"' in client.get(detail).content.decode()
    answer = client.post(
        reverse("roadmaps:item_status", args=[plan.second.pk]),
        with_version(plan.second, status="in_progress"),
    )
    assert answer.status_code == 302
    plan.second.refresh_from_db()
    assert plan.second.status == ItemStatus.IN_PROGRESS
    assert client.get(reverse("roadmaps:roadmap_amend", args=[plan.roadmap.pk])).status_code == 200

    # the predecessor's officer no longer reaches them
    client.force_login(plan.old_officer)
    assert client.get(detail).status_code == 404
    answer = client.post(
        reverse("roadmaps:item_status", args=[plan.first.pk]),
        with_version(plan.first, status="in_progress"),
    )
    assert answer.status_code == 404
    assert mine(plan.old_officer) == set()


def test_history_keeps_the_owner_before(client, plan, today):
    apply_successions(today)
    plan.roadmap.refresh_from_db()
    first, latest = plan.roadmap.history.order_by("history_date", "history_id")
    assert first.owner_id == plan.board.old_ministry.pk
    assert latest.owner_id == plan.board.minsport.pk
    assert "с 05.06.2024" in latest.history_change_reason
    assert owners_before(plan.roadmap) == [plan.board.old_ministry]
    assert [r.organization_id for r in plan.named.history.order_by("history_id")] == [
        plan.board.old_ministry.pk,
        plan.board.minsport.pk,
    ]
    client.force_login(plan.new_officer)
    page = client.get(reverse("roadmaps:roadmap_detail", args=[plan.roadmap.pk])).content.decode()
    assert (
        "Прежде план вел: Министерство по делам молодежи, физической культуры и спорта "
        "Омской области (правопреемник — с 05.06.2024)"
    ) in page


def test_a_plan_without_history_keeps_its_owner_before_too(plan, today):
    """A plan written by a bulk write has no history: its state is recorded before it moves."""
    plan.roadmap.history.all().delete()
    apply_successions(today)
    plan.roadmap.refresh_from_db()
    assert owners_before(plan.roadmap) == [plan.board.old_ministry]


def test_the_command_is_idempotent(plan, today):
    out = StringIO()
    call_command("apply_successions", "--date", "2025-03-01", "--dry-run", stdout=out)
    assert "Будет передано: Министерство по делам молодежи" in out.getvalue()
    plan.roadmap.refresh_from_db()
    assert plan.roadmap.owner == plan.board.old_ministry  # a dry run moves nothing
    call_command("apply_successions", "--date", "2025-03-01", stdout=out)
    assert "Передано: Министерство по делам молодежи" in out.getvalue()
    assert "Планов: 1, ответственных в мероприятиях: 3." in out.getvalue()
    records = plan.roadmap.history.count()
    again = StringIO()
    call_command("apply_successions", "--date", "2025-03-01", stdout=again)
    assert "Передавать нечего" in again.getvalue()
    assert plan.roadmap.history.count() == records
    assert apply_successions(today) == []


def test_a_bad_date_is_a_russian_refusal(plan):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Дата «05.06.2024» не распознана"):
        call_command("apply_successions", "--date", "05.06.2024", stdout=StringIO())


def test_a_chain_of_successions_reaches_the_body_in_charge_on_the_day(world):
    first = make_org("authority", "Министерство А", world.region)
    second = make_org("authority", "Министерство Б", world.region)
    third = make_org("authority", "Министерство В", world.region)
    first.successor, first.successor_since = second, date(2024, 1, 1)
    second.successor, second.successor_since = third, date(2025, 1, 1)
    first.save()
    second.save()
    roadmap = make_roadmap(first, "План министерства А")
    assert heir(first, date(2023, 12, 31)) == first
    assert heir(first, date(2024, 6, 1)) == second
    assert heir(first, date(2025, 6, 1)) == third
    apply_successions(date(2024, 6, 1))
    roadmap.refresh_from_db()
    assert roadmap.owner == second
    apply_successions(date(2025, 6, 1))
    roadmap.refresh_from_db()
    assert roadmap.owner == third
    assert owners_before(roadmap) == [second, first]


# The data: seed 000's footnotes ---------------------------------------------------------------

MONTHS = {"апреля": 4, "мая": 5, "июня": 6}


def test_the_demo_successions_are_the_footnotes_of_seed_000():
    """Each predecessor plan of the manifest carries its footnote word for word, and the
    owner's successor date is the footnote's date."""
    seed = SEED_000.read_text(encoding="utf-8")
    data = json.loads(demo.MANIFEST.read_text(encoding="utf-8"))
    orgs = {o["key"]: o for o in data["organizations"]}
    footnoted = [r for r in data["roadmaps"] if r.get("footnote")]
    assert {r["appendix_number"] for r in footnoted} == {"5", "9", "10", "17", "26"}
    for roadmap in footnoted:
        assert f'"{roadmap["footnote"]}";' in seed
        assert f'в приложении № {roadmap["appendix_number"]} "{roadmap["title"]}"' in seed
        day, month, year = re.match(r"\*С (\d+) (\w+) (\d{4}) года", roadmap["footnote"]).groups()
        owner = orgs[roadmap["owner"]]
        assert owner["successor_since"] == date(int(year), MONTHS[month], int(day)).isoformat()
        # the body the footnote names (in the instrumental case) is the owner's successor
        named = roadmap["footnote"].rstrip(".").split("осуществляется ", 1)[1]
        assert stems(named) == stems(orgs[owner["successor"]]["full_name"])
        assert stems(named) != stems(owner["full_name"])


def stems(name: str) -> list[str]:
    """The words without their case endings: «Министерством» and «Министерство» agree."""
    return [word[:5] for word in name.split()]


@pytest.mark.django_db
def test_seed_demo_gives_officer_sport_the_plan_of_his_predecessor(client, settings):
    """officer_sport of Министерство спорта Омской области: appendix № 5 (the reorganized
    ministry's plan) is his, with the predecessor in its history; appendix № 29 is the plan of
    Главное управление молодежной политики (seed 000) and stays with its own officer."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    officer = User.objects.get(username="officer_sport")
    assert officer.organization.full_name == "Министерство спорта Омской области"
    predecessor = Organization.objects.get(
        full_name="Министерство по делам молодежи, физической культуры и спорта Омской области"
    )
    appendix5 = Roadmap.objects.get(appendix_number="5")
    assert appendix5.owner == officer.organization
    assert owners_before(appendix5) == [predecessor]
    client.force_login(officer)
    page = client.get(reverse("roadmaps:roadmap_detail", args=[appendix5.pk])).content.decode()
    assert "Внести изменения актом" in page
    assert "Прежде план вел: Министерство по делам молодежи" in page
    listed = client.get(reverse("roadmaps:roadmap_list")).content.decode()
    assert reverse("roadmaps:roadmap_detail", args=[appendix5.pk]) in listed
    # the predecessor's other plans went to their own successors, not to him
    for number in ("9", "10", "17", "26"):
        other = Roadmap.objects.get(appendix_number=number)
        assert other.owner.predecessors.exists() and other.owner != officer.organization
        assert client.get(reverse("roadmaps:roadmap_detail", args=[other.pk])).status_code == 404
    # his measures are those of his plans; appendix 29's are not inherited by anybody
    appendix29 = Roadmap.objects.get(appendix_number="29")
    assert appendix29.owner.full_name == "Главное управление молодежной политики Омской области"
    assert set(access.my_items(officer)) == set(appendix5.items.filter(is_section=False))
    assert not access.my_items(officer).filter(roadmap=appendix29).exists()
    gump_officer = User.objects.get(username="officer")
    assert access.my_items(gump_officer).filter(roadmap=appendix29).count() > 40
    # seeding again moves nothing and adds no plan
    plans = Roadmap.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Roadmap.objects.count() == plans
    assert apply_successions() == []


def test_a_share_plan_of_a_plan_the_successor_shares_too_is_refused_in_russian(plan, today):
    """One share plan per authority and plan: when both bodies hold one of the same regional
    plan, the predecessor's is not moved (it would break the constraint) and the refusal says
    why in Russian; everything else moves, and the refusal is repeated until resolved."""
    board = plan.board
    collective = make_item(board.regional, "3.5.", text="Во всех ОИВ СО утверждены реестры")
    theirs = make_roadmap(board.old_ministry, "Доли министерства", collective_of=board.regional)
    ours = make_roadmap(board.minsport, "Доли Минспорта", collective_of=board.regional)
    make_item(theirs, "3.5.", share_of=collective)
    make_item(ours, "3.5.", share_of=collective)
    [transfer] = apply_successions(today)
    assert transfer.roadmaps == [plan.roadmap]
    theirs.refresh_from_db()
    assert theirs.owner == board.old_ministry
    assert transfer.refused == [
        f"План «{theirs}» не передан правопреемнику «{board.minsport.full_name}»: у него уже "
        f"есть план долей в мероприятиях плана «{board.regional}», а такой план у органа "
        "власти один. Перенесите доли в план правопреемника (администратор) и запустите "
        "передачу снова."
    ]
    out = StringIO()
    call_command("apply_successions", "--date", "2025-03-01", stdout=out, stderr=out)
    assert f"План «{theirs}» не передан правопреемнику" in out.getvalue()
    assert "Traceback" not in out.getvalue()


def test_a_share_plan_moves_when_the_successor_has_none(plan, today):
    board = plan.board
    theirs = make_roadmap(board.old_ministry, "Доли министерства", collective_of=board.regional)
    [transfer] = apply_successions(today)
    assert theirs in transfer.roadmaps and transfer.refused == []
    theirs.refresh_from_db()
    assert theirs.owner == board.minsport
