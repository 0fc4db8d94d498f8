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
        self._years: dict[int, list[int]] = {}

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
        """Working days after `start` up to and including `end` (negative when end < start).
        Counted from each year's running totals, built once per year: a report of 100,000
        measures asks this for each, day by day it was three quarters of the report's time."""
        if end < start:
            return -self.working_days_between(end, start)
        return self._through(end, start.year) - self._through(start, start.year)

    def _through(self, day: date, since_year: int) -> int:
        """Working days from 1 January of `since_year` through `day`."""
        before = sum(self._running_totals(year)[-1] for year in range(since_year, day.year))
        return before + self._running_totals(day.year)[day.timetuple().tm_yday - 1]

    def _running_totals(self, year: int) -> list[int]:
        """Working days of `year` through each of its days (index: the day of the year - 1)."""
        totals = self._years.get(year)
        if totals is None:
            first, total, totals = date(year, 1, 1), 0, []
            for n in range((date(year, 12, 31) - first).days + 1):
                total += self.is_working_day(first + timedelta(n))
                totals.append(total)
            self._years[year] = totals
        return totals


def _load_corrections() -> dict[date, bool]:
    from portal.models import CalendarCorrection

    return dict(CalendarCorrection.objects.values_list("date", "is_working_day"))
