""" "My tasks": what a user has to do and by when — the same list the portal shows and the
reminder e-mails send. Each app registers its sources and the kinds of task they yield
(register() and register_kind() in its AppConfig.ready()); a source is called with the user
and the day the terms are counted on and yields Tasks."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from portal.workdays import ProductionCalendar

# A task is "due soon" this many working days before its term: reminders start then.
SOON_WORKING_DAYS = 3

OVERDUE, SOON, LATER = "overdue", "soon", "later"
STATES = {OVERDUE: "просрочено", SOON: "срок скоро", LATER: "срок позже"}


@dataclass
class Task:
    title: str
    url: str
    due: date | None = None
    detail: str = ""
    kind: str = ""  # a key of KINDS: the group the task is listed under
    state: str = LATER  # set by tasks_for() from the production calendar

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today

    def due_soon(self, today: date, calendar: ProductionCalendar) -> bool:
        return self.due is not None and (
            self.due < today or calendar.working_days_between(today, self.due) <= SOON_WORKING_DAYS
        )


@dataclass
class TaskGroup:
    kind: str
    heading: str
    tasks: list[Task] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.tasks)

    @property
    def overdue_count(self) -> int:
        return sum(1 for task in self.tasks if task.state == OVERDUE)


TaskSource = Callable[..., Iterable[Task]]

# In the order of registration (INSTALLED_APPS): it breaks ties of equal terms.
TASK_SOURCES: list[TaskSource] = []
# kind -> the heading of its group, in the order the page lists the groups (registration).
KINDS: dict[str, str] = {}


def register(*sources: TaskSource) -> None:
    """Adds sources once (ready() may run again, e.g. in tests)."""
    for source in sources:
        if source not in TASK_SOURCES:
            TASK_SOURCES.append(source)


def register_kind(kind: str, heading: str) -> None:
    KINDS.setdefault(kind, heading)


def tasks_for(
    user, today: date | None = None, calendar: ProductionCalendar | None = None
) -> list[Task]:
    """Overdue first (oldest term first), then by term, then tasks without a term; each with
    its state counted in working days of the production calendar."""
    today = today or timezone.localdate()
    calendar = calendar or ProductionCalendar()
    tasks = [task for source in TASK_SOURCES for task in source(user, today)]
    for task in tasks:
        task.state = (
            OVERDUE if task.overdue(today) else SOON if task.due_soon(today, calendar) else LATER
        )
    return sorted(tasks, key=lambda t: (t.due is None, t.due or today))


def grouped(tasks: list[Task], kind: str = "", state: str = "") -> list[TaskGroup]:
    """The tasks by kind, in the order of KINDS, keeping the order of `tasks` (nearest term
    first) in each group; only the `kind` and `state` asked for when given. Groups without
    tasks are left out."""
    groups = {key: TaskGroup(key, heading) for key, heading in KINDS.items()}
    for task in tasks:
        if (kind and task.kind != kind) or (state and task.state != state):
            continue
        groups.setdefault(task.kind, TaskGroup(task.kind, task.kind)).tasks.append(task)
    return [group for group in groups.values() if group.tasks]


def most_urgent(tasks: list[Task], count: int = 3) -> list[Task]:
    """What the home page shows: the nearest terms, overdue first (tasks_for's order)."""
    return tasks[:count]


@dataclass(frozen=True)
class TaskCount:
    """The badge of «Мои задачи» in the bar: the open tasks, red when some are overdue."""

    open: int
    overdue: int

    @property
    def css(self) -> str:
        return "text-bg-danger" if self.overdue else "text-bg-light"

    @property
    def label(self) -> str:
        # Label, colon, number: no agreement needed (docs/architecture.md, counted phrases).
        text = f"открытых задач: {self.open}"
        return f"{text}, просрочено: {self.overdue}" if self.overdue else text


def _count_key(user) -> str:
    return f"portal:task-count:{user.pk}"


def remember_count(user, tasks: list[Task]) -> TaskCount:
    """The count of a list tasks_for() just built (the tasks page, the home page): the badge
    of the same page agrees with it, and the next pages read it from the cache."""
    count = TaskCount(len(tasks), sum(1 for task in tasks if task.state == OVERDUE))
    cache.set(_count_key(user), count, settings.TASK_COUNT_CACHE_SECONDS)
    return count


def count_for(user) -> TaskCount:
    """The badge on every signed-in page: tasks_for()'s own count (so it agrees with the
    page), kept per user for TASK_COUNT_CACHE_SECONDS: a page costs no query for it then,
    and tasks_for()'s fixed number of queries once in that time."""
    count = cache.get(_count_key(user))
    return count if count is not None else remember_count(user, tasks_for(user))
