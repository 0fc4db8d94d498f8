"""Working days of the Russian production calendar: every due date in the portal counts them
here. The calendar is the maintained `holidays` package (holidays.RU knows the official
transfers of days off, checked for 2024-2026), plus CalendarCorrection rows for a year whose
transfers the package does not know yet. The terms themselves are the apps' rules."""

from __future__ import annotations

from datetime import date, timedelta

import holidays


class ProductionCalendar:
    def __init__(self, corrections: dict[date, bool] | None = None):
        self._calendar = holidays.RU()
        self._corrections = corrections if corrections is not None else _load_corrections()

    def is_working_day(self, day: date) -> bool:
        if day in self._corrections:
            return self._corrections[day]
        return self._calendar.is_working_day(day)

    def add_working_days(self, start: date, days: int) -> date:
        """The day on which "within `days` working days of `start`" ends: counting starts on
        the next day, so a term that starts on a holiday counts from the first working day."""
        day, left = start, days
        while left > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative when end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1 for n in range(1, (end - start).days + 1) if self.is_working_day(start + timedelta(n))
        )


def _load_corrections() -> dict[date, bool]:
    from portal.models import CalendarCorrection

    return dict(CalendarCorrection.objects.values_list("date", "is_working_day"))
