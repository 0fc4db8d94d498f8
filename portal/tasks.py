""" "My tasks": what a user has to do and by when — the same list the portal shows and the
reminder e-mails send. Each app registers its sources (register() in its AppConfig.ready());
a source is called with the user and the day the terms are counted on and yields Tasks."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from portal.workdays import ProductionCalendar

# A task is "due soon" this many working days before its term: reminders start then.
SOON_WORKING_DAYS = 3


@dataclass
class Task:
    title: str
    url: str
    due: date | None = None
    detail: str = ""

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today

    def due_soon(self, today: date, calendar: ProductionCalendar) -> bool:
        return self.due is not None and (
            self.due < today or calendar.working_days_between(today, self.due) <= SOON_WORKING_DAYS
        )


TaskSource = Callable[..., Iterable[Task]]

# In the order of registration (INSTALLED_APPS): it breaks ties of equal terms.
TASK_SOURCES: list[TaskSource] = []


def register(*sources: TaskSource) -> None:
    """Adds sources once (ready() may run again, e.g. in tests)."""
    for source in sources:
        if source not in TASK_SOURCES:
            TASK_SOURCES.append(source)


def tasks_for(user, today: date | None = None) -> list[Task]:
    """Overdue first (oldest term first), then by term, then tasks without a term."""
    today = today or timezone.localdate()
    tasks = [task for source in TASK_SOURCES for task in source(user, today)]
    return sorted(tasks, key=lambda t: (t.due is None, t.due or today))
