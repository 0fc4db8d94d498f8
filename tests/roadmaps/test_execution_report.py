"""The quarterly execution report: every measure with its deadline, status, evidence and
lateness in working days by the production calendar; one plan's and every plan's a user
sees; a printable page and XLSX; another authority's plan is a 404."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from portal.models import CalendarCorrection
from roadmaps.models import ItemStatus
from roadmaps.services import items
from roadmaps.services.execution import HEADER, Quarter

from .conftest import make_act, make_item

pytestmark = pytest.mark.django_db

LATE = HEADER.index("Просрочка, рабочих дней")
DONE_ON = HEADER.index("Дата исполнения")
DOCUMENTS = HEADER.index("Подтверждающие документы")


def report_url(board, **query):
    url = reverse("roadmaps:roadmap_report", args=[board.appendix.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def sheet_rows(answer) -> dict[str, list]:
    """The XLSX's rows by the measure's number (the first cell)."""
    book = openpyxl.load_workbook(BytesIO(b"".join(answer.streaming_content)))
    rows = {}
    for values in book.worksheets[0].iter_rows(values_only=True):
        if values and values[0]:
            rows[str(values[0])] = list(values)
    return rows


def test_quarter_bounds():
    assert Quarter(2025, 1).first_day == date(2025, 1, 1)
    assert Quarter(2025, 1).last_day == date(2025, 3, 31)
    assert Quarter(2024, 4).last_day == date(2024, 12, 31)
    assert Quarter.parse("", date(2025, 8, 3)) == Quarter(2025, 3)


def test_lateness_is_counted_in_working_days_of_the_calendar(client, world, board):
    """1.1 ended on 30.01.2025 (Thu), the report is of 01.03.2025 (Sat, today): 31 January and
    the 20 working days of February 2025 = 21. A correction of the calendar counts too."""
    client.force_login(world.officer)
    rows = sheet_rows(client.get(report_url(board, quarter="2025-1", export="xlsx")))
    overdue = rows["1.1."]
    assert overdue[2] == board.overdue.deadline_text
    assert overdue[3] == "30.01.2025"
    assert overdue[5] == "запланировано, просрочено"
    assert overdue[LATE] == 21
    assert rows["1.3."][LATE] == 0  # due later: not late
    assert rows["1.4."][LATE] == ""  # no date: nothing to miss
    assert rows["1."][1] == "Организационные мероприятия"  # the section, as a heading row
    CalendarCorrection.objects.create(date=date(2025, 2, 3), is_working_day=False)
    rows = sheet_rows(client.get(report_url(board, quarter="2025-1", export="xlsx")))
    assert rows["1.1."][LATE] == 20


def test_a_done_measure_is_late_to_the_day_it_was_done_and_lists_its_evidence(client, world, board):
    item = make_item(
        board.appendix,
        "1.6.",
        deadline_text="19.02.2025",
        deadline_date=date(2025, 2, 19),
        parent=board.section,
    )
    items.add_evidence(item, user=world.officer, number="7-р", date=date(2025, 2, 21))
    act = make_act("9-рп", date(2025, 2, 21))  # done on Friday 21.02: 20 and 21 February
    items.set_status(item, ItemStatus.DONE, user=world.officer, act=act)
    client.force_login(world.officer)
    rows = sheet_rows(client.get(report_url(board, quarter="2025-1", export="xlsx")))
    assert rows["1.6."][DONE_ON] == "21.02.2025"
    assert rows["1.6."][LATE] == 2
    assert rows["1.6."][5] == "исполнено"
    assert rows["1.6."][DOCUMENTS].startswith(item.document_type[:40])
    assert "№ 7-р" in rows["1.6."][DOCUMENTS]


def test_the_quarter_past_is_reported_on_its_last_day(client, world, board):
    """Of the 4th quarter of 2024 (31.12.2024), 1.1 (30.01.2025) was not late yet."""
    client.force_login(world.officer)
    rows = sheet_rows(client.get(report_url(board, quarter="2024-4", export="xlsx")))
    assert rows["1.1."][LATE] == 0
    page = client.get(report_url(board, quarter="2024-4")).content.decode()
    assert "за 4 квартал 2024 года" in page
    assert "По состоянию на 31.12.2024" in page


def test_each_status_is_the_one_in_effect_on_the_reports_day(client, world, board):
    """1.6 was done by an act of 21.02.2025 and 1.1 cancelled by one of 25.02.2025: in the
    report of the 4th quarter of 2024 (31.12.2024) neither had happened — 1.6 is planned, with
    no day of execution, and 1.1 is planned, not yet late; in the 1st quarter of 2025 both are."""
    item = make_item(
        board.appendix,
        "1.6.",
        deadline_text="19.02.2025",
        deadline_date=date(2025, 2, 19),
        parent=board.section,
    )
    items.add_evidence(item, user=world.officer, number="7-р", date=date(2025, 2, 21))
    items.set_status(
        item, ItemStatus.DONE, user=world.officer, act=make_act("9-рп", date(2025, 2, 21))
    )
    items.set_status(
        board.overdue,
        ItemStatus.CANCELLED,
        user=world.officer,
        act=make_act("11-рп", date(2025, 2, 25)),
    )
    client.force_login(world.officer)
    before = sheet_rows(client.get(report_url(board, quarter="2024-4", export="xlsx")))
    assert (before["1.6."][5], before["1.6."][DONE_ON], before["1.6."][LATE]) == (
        "запланировано",
        "",
        0,
    )
    assert (before["1.1."][5], before["1.1."][LATE]) == ("запланировано", 0)
    page = client.get(report_url(board, quarter="2024-4")).content.decode()
    assert "исполнено: 1;" in page  # 1.5, saved done from the start; 1.6 not yet
    after = sheet_rows(client.get(report_url(board, quarter="2025-1", export="xlsx")))
    assert (after["1.6."][5], after["1.6."][DONE_ON], after["1.6."][LATE]) == (
        "исполнено",
        "21.02.2025",
        2,
    )
    assert (after["1.1."][5], after["1.1."][LATE]) == ("отменено", "")


def test_the_printable_page_shows_every_measure(client, world, board):
    client.force_login(world.officer)
    page = client.get(report_url(board, quarter="2025-1")).content.decode()
    assert "print-sheet" in page
    assert "Отчет об исполнении плана мероприятий за 1 квартал 2025 года" in page
    for item in (board.overdue, board.soon, board.later, board.no_date, board.done):
        assert f'<td class="pre-line">{item.number}</td>' in page
    # 1.1 open and 1.5 done (saved done on the real day, after its term): late both
    assert "Мероприятий: 5; исполнено: 1; с просрочкой: 2." in page
    assert '<option value="2025-1" selected>' in page


def test_another_authoritys_plan_is_a_404_and_all_plans_are_the_users_own(client, world, board):
    client.force_login(world.city_officer)
    assert client.get(report_url(board)).status_code == 404
    assert client.get(report_url(board, export="xlsx")).status_code == 404
    page = client.get(reverse("roadmaps:roadmap_report_all")).content.decode()
    assert "План Администрации города Омска" in page
    assert "План Главного управления" not in page
    client.force_login(world.coordinator)
    page = client.get(reverse("roadmaps:roadmap_report_all")).content.decode()
    assert "План Администрации города Омска" in page and "План Главного управления" in page


def test_a_bad_quarter_is_a_russian_400(client, world, board):
    client.force_login(world.officer)
    answer = client.get(report_url(board, quarter="2025-7"))
    assert answer.status_code == 400
    assert "ГГГГ-N" in answer.content.decode()


def test_queries_do_not_grow_with_measures(client, world, board, django_assert_max_num_queries):
    client.force_login(world.coordinator)
    url = reverse("roadmaps:roadmap_report_all") + "?export=xlsx"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(10):
        item = make_item(board.city, f"2.{n}.", parent=None)
        items.add_evidence(item, number=str(n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_large_report_is_a_job(client, world, board, settings):
    settings.EXPORT_INLINE_ROWS = 3
    settings.REPORT_PAGE_ROWS = 3
    client.force_login(world.coordinator)
    page = client.get(reverse("roadmaps:roadmap_report_all")).content.decode()
    assert 'data-testid="report-too-long"' in page
    answer = client.get(reverse("roadmaps:roadmap_report_all") + "?export=xlsx")
    assert answer.status_code == 302
    assert answer.url.startswith("/jobs/")


def test_the_job_writes_the_same_report_for_its_user(transactional_db, client, world, settings):
    """The worker is a process of its own (PostgreSQL): the quarter's last day, not a frozen
    today, is the report's day in both."""
    from portal.models import Job, JobState
    from tests.portal.workers import run_worker
    from tests.roadmaps.conftest import TODAY, Board

    board = Board(world, TODAY)
    url = reverse("roadmaps:roadmap_report_all") + "?quarter=2025-1&export=xlsx"
    client.force_login(world.city_officer)
    inline = sheet_rows(client.get(url))
    settings.EXPORT_INLINE_ROWS = 0
    answer = client.get(url)
    job = Job.objects.get()
    assert answer.url == reverse("portal:job_detail", args=[job.pk])
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    rows = sheet_rows(client.get(reverse("portal:job_file", args=[job.pk])))
    assert rows == inline
    assert rows["1.1."][1] == board.city_item.text  # the city's plan only: his rows
    assert "1.5." not in rows
    assert rows["1.1."][LATE] > 0


def test_an_act_entered_after_a_status_does_not_carry_it_back_to_the_acts_day(client, world, board):
    """1.6 was done on 10.01.2025; on 15.01.2025 an act of 20.12.2024 changed its wording. The
    act's saved state carries the status of the day it was typed in, but changed only the
    wording (services.history reads a state as what it changed): on 31.12.2024 the measure was
    planned, and it was done on 10.01.2025, not on the act's day."""
    item = make_item(
        board.appendix,
        "1.6.",
        act=make_act("1-рп", date(2024, 1, 10)),
        deadline_text="09.01.2025",
        deadline_date=date(2025, 1, 9),
        parent=board.section,
    )
    items.add_evidence(item, user=world.officer, number="7-р", date=date(2025, 1, 10))
    items.set_status(
        item, ItemStatus.DONE, user=world.officer, act=make_act("2-рп", date(2025, 1, 10))
    )
    item.refresh_from_db()
    items.amend_item(item, act=make_act("3-рп", date(2024, 12, 20)), text="Утвержден порядок")
    client.force_login(world.officer)
    before = sheet_rows(client.get(report_url(board, quarter="2024-4", export="xlsx")))
    assert (before["1.6."][5], before["1.6."][DONE_ON]) == ("запланировано", "")
    after = sheet_rows(client.get(report_url(board, quarter="2025-1", export="xlsx")))
    assert (after["1.6."][5], after["1.6."][DONE_ON], after["1.6."][LATE]) == (
        "исполнено",
        "10.01.2025",
        1,
    )
