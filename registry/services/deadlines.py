"""The registry's terms in working days (the counting is portal.workdays)."""

from __future__ import annotations

from datetime import date

from portal.workdays import ProductionCalendar

# Items 25, 26, 27-28 of the Procedure (seed 001): ten working days each.
REPORT_DAYS = 10
REVIEW_DAYS = 10
PUBLICATION_DAYS = 10


def due_date(start: date, days: int = REVIEW_DAYS) -> date:
    return ProductionCalendar().add_working_days(start, days)
