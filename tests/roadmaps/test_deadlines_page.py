"""The coordinator's deadlines board: order around a fixed today, filters, counts, XLSX, the
query count."""

import io
from datetime import timedelta

import openpyxl
from django.urls import reverse

from roadmaps.services.board import state_of
from roadmaps.services.board_export import HEADERS
from tests.roadmaps.conftest import make_item

URL = reverse("roadmaps:deadlines")


def shown(client, **params):
    page = client.get(URL, params)
    assert page.status_code == 200
    return page, list(page.context["page"].object_list)


def test_order_states_and_counts(client, world, board):
    client.force_login(world.coordinator)
    page, items = shown(client)
    assert items == board.order
    states = [state_of(row).value for row in page.context["page"].object_list]
    assert states == ["overdue", "overdue", "due_soon", "later", "later", "no_date", "done"]
    progress = {p.owner: p.counts for p in page.context["progress"]}
    assert progress[world.authority] == {
        "overdue": 1,
        "due_soon": 1,
        "later": 1,
        "no_date": 1,
        "done": 1,
    }
    assert progress[world.city_authority] == {"overdue": 1}
    assert progress[world.region] == {"later": 1}
    html = page.content.decode()
    assert "progress-stacked" in html
    # The reorganized ministry is shown with its successor.
    assert (
        "Министерство по делам молодежи, физической культуры и спорта Омской области "
        "(с 05.06.2024 — Министерство спорта Омской области)"
    ) in html
    # The section row is not a measure.
    assert board.section not in items


def test_around_today(client, world, board):
    """ "до" + 8 days: the last day is in 7 days — due soon with the default window, later with
    a window of 5 days; the day after the last day it is overdue."""
    client.force_login(world.coordinator)
    page, _ = shown(client, within=5)
    by_item = {row: state_of(row).value for row in page.context["page"].object_list}
    assert by_item[board.soon] == "later"
    page, _ = shown(client, within=7)
    by_item = {row: state_of(row).value for row in page.context["page"].object_list}
    assert by_item[board.soon] == "due_soon"


def test_filters(client, world, board):
    client.force_login(world.coordinator)
    assert shown(client, authority=world.city_authority.pk)[1] == [board.city_item]
    assert shown(client, section=board.section.pk)[1] == [
        board.overdue,
        board.soon,
        board.later,
        board.no_date,
        board.done,
    ]
    # A body and the reorganized body it succeeded.
    assert shown(client, responsible=board.minsport.pk)[1] == [board.soon]
    assert shown(client, responsible=world.unit.pk)[1] == [board.overdue]
    period = {
        "deadline_from": str(board.today - timedelta(days=7)),
        "deadline_to": str(board.today + timedelta(days=30)),
    }
    assert shown(client, **period)[1] == [board.city_item, board.soon]
    page, items = shown(client, state="overdue")
    assert items == [board.overdue, board.city_item]
    # The counts stay those of all states (the state filter narrows the list only).
    assert sum(p.total for p in page.context["progress"]) == 7


def test_responsible_choices_are_scoped(client, world, board):
    client.force_login(world.city_officer)
    page = client.get(URL)
    choices = list(page.context["filter"].form.fields["responsible"].queryset)
    assert choices == [world.city_unit]
    assert shown(client, authority=world.authority.pk)[0].context["filter"].errors


def sheet_rows(answer) -> list[tuple]:
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    assert book.sheetnames == ["Мероприятия"]  # one table, whatever the plans
    return list(book.active.iter_rows(values_only=True))


def test_xlsx_export_is_exactly_the_filtered_rows(client, world, board):
    board.overdue.text = '=HYPERLINK("http://x")'  # stays text
    board.overdue.footnotes = "3"
    board.overdue.save()
    client.force_login(world.coordinator)
    rows = sheet_rows(client.get(URL, {"authority": world.authority.pk, "export": "xlsx"}))
    assert rows[0] == HEADERS
    expected = [board.overdue, board.soon, board.later, board.no_date, board.done]
    assert [r[4] for r in rows[1:]] == [i.number for i in expected]
    overdue, soon, later, no_date, done = (dict(zip(HEADERS, r, strict=True)) for r in rows[1:])
    assert overdue["Срок"] == "Просрочено на 30 дней"
    assert overdue["Дней до срока"] == -30  # a number: the sheet sorts by it
    assert overdue["Мероприятие"] == '=HYPERLINK("http://x")[3]'
    assert overdue["Орган власти"] == world.authority.full_name
    assert overdue["Дорожная карта"] == str(board.appendix)
    assert overdue["Ответственный"] == world.unit.display_name
    assert overdue["Документов"] == 0
    # "до 09.03.2025": the last day is the day before
    assert soon["Срок"] == "Срок скоро, осталось 7 дней"
    assert soon["Срок реализации"] == board.soon.deadline_text
    assert soon["Последний день"] == "08.03.2025"
    assert soon["Ответственный"] == (
        "Министерство по делам молодежи, физической культуры и спорта Омской области "
        "(с 05.06.2024 — Министерство спорта Омской области)"
    )
    assert later["Срок"] == "В срок, осталось 400 дней"
    assert no_date["Срок"] == "Срок не указан"
    assert (no_date["Дней до срока"], no_date["Последний день"]) == ("", "")
    assert done["Срок"] == "Исполнено"
    assert done["Дней до срока"] == ""
    assert done["Исполнение"] == board.done.get_status_display()
    assert done["Документов"] == 1
    assert done["Вид документа"] == board.done.document_type


def test_xlsx_export_names_each_rows_plan(client, world, board):
    """Numbers repeat from plan to plan ("1.1." three times): each row names its plan."""
    client.force_login(world.coordinator)
    rows = sheet_rows(client.get(URL, {"export": "xlsx"}))
    assert [(r[2], r[4]) for r in rows[1:]] == [
        (item.roadmap.owner.full_name, item.number) for item in board.order
    ]
    assert [r[4] for r in rows[1:]].count("1.1.") == 3


def test_xlsx_export_of_one_state(client, world, board):
    client.force_login(world.coordinator)
    rows = sheet_rows(client.get(URL, {"state": "overdue", "export": "xlsx"}))
    assert [r[4] for r in rows[1:]] == [board.overdue.number, board.city_item.number]
    assert rows[2][0] == "Просрочено на 5 дней"


def test_query_count_does_not_grow_with_rows(client, world, board, django_assert_max_num_queries):
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(30) as few:
        client.get(URL)
    for n in range(40):
        item = make_item(board.city, f"2.{n + 1}.", deadline_text="31.12.2030")
        item.responsibles.create(organization=board.old_ministry)
        item.responsibles.create(name="АГ СО", position=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(URL)
    # 47 measures: a page of 25, the rest on the next one.
    assert len(page.context["page"].object_list) == 25
    assert page.context["page"].paginator.count == 47
    assert len(client.get(URL, {"page": 2}).context["page"].object_list) == 22


def test_progress_shows_the_most_overdue_authorities_first(client, world, board, monkeypatch):
    """With more plan owners than the board shows, the laggards come first and the page
    says how many there are."""
    monkeypatch.setattr("roadmaps.services.board.PROGRESS_LIMIT", 2)
    make_item(board.city, "1.2.", deadline_date=board.today - timedelta(days=1))
    client.force_login(world.coordinator)
    page = client.get(URL)
    owners = [p.owner for p in page.context["progress"]]
    # The city has 2 overdue, the main authority 1, the region none (left out).
    assert owners == [world.city_authority, world.authority]
    assert page.context["owners_total"] == 3
    assert 'data-testid="progress-limited"' in page.content.decode()
