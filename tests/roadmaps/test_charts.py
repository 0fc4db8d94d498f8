"""A roadmap page opens with «исполнено X из Y, просрочено Z» and its chart by section; the
deadlines board charts its authorities and plans. What is drawn (json_script), the table
beside it and the figures' XLSX are the counts of the database."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from roadmaps.models import ItemStatus
from roadmaps.services import history
from roadmaps.services.board import progress_on, section_progress, state_counts
from tests.charts import as_text, chart_data, table_cells, xlsx_rows
from tests.conftest import count_tasks_first
from tests.roadmaps.conftest import Board, make_act, make_item

STATES = ["исполнено", "в срок", "срок не указан", "срок скоро", "просрочено"]


def detail(roadmap):
    return reverse("roadmaps:roadmap_detail", args=[roadmap.pk])


def test_a_plan_opens_with_its_summary_and_chart(client, world, board):
    # the appendix: 1.1 overdue, 1.2 due soon, 1.3 later, 1.4 no date, 1.5 done; and one
    # cancelled and one outside any section
    make_item(board.appendix, "1.6.", status=ItemStatus.CANCELLED, parent=board.section)
    make_item(board.appendix, "2.1.", deadline_date=board.today.replace(year=2024))
    client.force_login(world.officer)
    page = client.get(detail(board.appendix))
    summary = page.context["summary"]
    assert (summary.done, summary.total, summary.overdue, summary.cancelled) == (1, 6, 2, 1)
    html = page.content.decode()
    assert "Исполнено 1 из 6, просрочено 2" in html
    assert html.index('data-testid="plan-summary"') < html.index('data-testid="roadmap-items"')
    data = chart_data(html, "sections")
    assert data["labels"] == ["1. Организационные мероприятия", "Вне разделов"]
    assert [s["label"] for s in data["series"]] == STATES
    assert [s["values"] for s in data["series"]] == [[1, 0], [1, 0], [1, 0], [1, 0], [1, 1]]
    rows = table_cells(html, "chart-table-sections")
    assert rows[0] == ["Раздел", *STATES, "Мероприятий"]
    assert rows[1][1:] == ["1", "1", "1", "1", "1", "5"] and rows[2][-1] == "1"
    assert as_text(xlsx_rows(client.get(detail(board.appendix), {"figures": "sections"}))) == rows


def test_the_summary_costs_the_same_queries_for_more_measures(client, world, board):
    client.force_login(world.officer)
    count_tasks_first(world.officer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(detail(board.appendix)).status_code == 200
        return len(captured)

    before = queries()
    for n in range(6, 16):
        make_item(board.appendix, f"1.{n}.", parent=board.section)
    assert queries() == before
    assert client.get(detail(board.appendix)).context["summary"].total == 15


def test_the_board_charts_authorities_and_plans(client, world, board):
    client.force_login(world.coordinator)
    url = reverse("roadmaps:deadlines")
    page = client.get(url)
    html = page.content.decode()
    authorities = chart_data(html, "authorities")
    assert authorities["labels"] == [p.owner.display_name for p in page.context["progress"]]
    per_label = zip(*(s["values"] for s in authorities["series"]), strict=True)
    drawn = dict(zip(authorities["labels"], per_label, strict=True))
    assert drawn[world.authority.display_name] == (1, 1, 1, 1, 1)
    assert drawn[world.city_authority.display_name] == (0, 0, 0, 0, 1)
    sheet = as_text(xlsx_rows(client.get(url, {"figures": "authorities"})))
    assert sheet[0] == ["Орган власти (чей план)", *STATES, "Мероприятий"]
    assert [world.authority.display_name, "1", "1", "1", "1", "1", "5"] in sheet
    plans = chart_data(html, "plans")
    assert set(plans["labels"]) == {str(board.appendix), str(board.regional), str(board.city)}
    rows = table_cells(html, "chart-table-plans")
    assert [str(board.city), "0", "0", "0", "0", "1", "1"] in rows
    assert as_text(xlsx_rows(client.get(url, {"figures": "plans"}))) == rows


def live_board(world) -> Board:
    """The Board around the real today: the days its history takes effect on (not frozen)."""
    return Board(world, timezone.localdate())


def test_a_plan_on_a_day_gives_its_summary_and_chart_of_that_day(client, world):
    board = live_board(world)
    # 2.1 comes by an act of a month later: not in the plan that stood on day + 20, when 1.2
    # («до» day + 8) was already overdue too
    act = make_act("50-рп", board.today + timedelta(days=30))
    make_item(board.appendix, "2.1.", act=act, deadline_date=board.today + timedelta(days=40))
    client.force_login(world.officer)
    now = client.get(detail(board.appendix))
    assert "Исполнено 1 из 6, просрочено 1" in now.content.decode()
    on = board.today + timedelta(days=20)
    page = client.get(detail(board.appendix), {"on": on.isoformat()})
    html = page.content.decode()
    assert "Исполнено 1 из 5, просрочено 2" in html
    assert f"На {on:%d.%m.%Y}, по плану в редакции того дня" in html
    data = chart_data(html, "sections")
    assert data["labels"] == ["1. Организационные мероприятия"]  # no 2.1 outside sections yet
    assert [s["values"] for s in data["series"]] == [[1], [1], [1], [0], [2]]
    rows = table_cells(html, "chart-table-sections")
    assert rows[1][1:] == ["1", "1", "1", "0", "2", "5"]
    # the figures' XLSX of that day, from the chart's own link
    figures = client.get(f"{detail(board.appendix)}?{page.context['chart'].download_query}")
    assert as_text(xlsx_rows(figures)) == rows


def test_the_plan_on_today_counts_as_the_database_does(world):
    board = live_board(world)
    make_item(board.appendix, "2.1.", status=ItemStatus.CANCELLED)
    make_item(board.appendix, "2.2.", deadline_date=board.today - timedelta(days=1))
    states = history.items_on(board.appendix, board.today)
    summary, sections = progress_on(states, board.today)
    assert summary.states == state_counts(board.appendix.items.all(), board.today)
    assert sections == section_progress(board.appendix, board.today)
    assert [s.label for s in sections] == ["1. Организационные мероприятия", "Вне разделов"]
