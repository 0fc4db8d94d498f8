"""The production calendar and the task registry belong to the kernel; the apps plug in."""

from datetime import date

from portal import tasks
from portal.models import CalendarCorrection
from portal.workdays import ProductionCalendar


def test_the_calendar_correction_is_the_kernels_on_registrys_old_table():
    meta = CalendarCorrection._meta
    assert (meta.app_label, meta.db_table) == ("portal", "registry_calendarcorrection")


def test_every_app_registers_its_task_sources_once_in_app_order():
    from registry.services.tasks import SOURCES
    from roadmaps.services.tasks import roadmap_tasks

    assert [*SOURCES, roadmap_tasks] == tasks.TASK_SOURCES
    tasks.register(roadmap_tasks, *SOURCES)
    assert [*SOURCES, roadmap_tasks] == tasks.TASK_SOURCES


def test_tasks_for_merges_the_sources_by_term(monkeypatch):
    today = date(2026, 3, 2)
    late = tasks.Task("поздно", "/a", date(2026, 3, 20))
    early = tasks.Task("рано", "/b", date(2026, 2, 27))
    undated = tasks.Task("без срока", "/c")
    monkeypatch.setattr(
        tasks, "TASK_SOURCES", [lambda user, day: [late, undated], lambda user, day: [early]]
    )
    calendar = ProductionCalendar(corrections={})
    listed = tasks.tasks_for(None, today, calendar)
    assert [t.title for t in listed] == ["рано", "поздно", "без срока"]
    assert [t.state for t in listed] == [tasks.OVERDUE, tasks.LATER, tasks.LATER]
    assert early.overdue(today) and early.due_soon(today, calendar)
    assert not late.due_soon(today, calendar) and not undated.due_soon(today, calendar)
