"""Working-day deadlines on real edges of the Russian production calendar."""

from datetime import date

import pytest

from portal.models import CalendarCorrection
from portal.workdays import ProductionCalendar
from registry.services.deadlines import due_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar():
    return ProductionCalendar({})


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2024, 4, 27), True),  # Saturday worked instead of 29.04
        (date(2024, 4, 29), False),
        (date(2024, 4, 30), False),
        (date(2024, 5, 10), False),
        (date(2024, 12, 28), True),  # Saturday worked instead of 30.12
        (date(2024, 12, 30), False),
        (date(2024, 12, 31), False),
        (date(2025, 1, 8), False),
        (date(2025, 11, 1), True),
        (date(2025, 11, 3), False),
        (date(2026, 1, 9), False),
        (date(2026, 1, 12), True),
    ],
)
def test_transfers_of_days_off(calendar, day, working):
    assert calendar.is_working_day(day) is working


def test_may_holidays_2024(calendar):
    # Submitted on Friday 26.04.2024: 27.04 (1), 02.05 (2), 03.05 (3), 06-08.05 (4-6),
    # 13-16.05 (7-10).
    assert calendar.add_working_days(date(2024, 4, 26), 10) == date(2024, 5, 16)


def test_new_year_2025(calendar):
    # 28.12.2024 was a working Saturday (1); 29.12-08.01 off; 09-10.01 (2-3),
    # 13-17.01 (4-8), 20-21.01 (9-10).
    assert calendar.add_working_days(date(2024, 12, 27), 1) == date(2024, 12, 28)
    assert calendar.add_working_days(date(2024, 12, 27), 10) == date(2025, 1, 21)


def test_new_year_2026_and_a_term_that_starts_on_a_holiday(calendar):
    assert calendar.add_working_days(date(2026, 1, 1), 10) == date(2026, 1, 23)
    assert calendar.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 12)


def test_working_days_in_a_year(calendar):
    assert calendar.working_days_between(date(2023, 12, 31), date(2024, 12, 31)) == 248
    assert calendar.working_days_between(date(2024, 12, 31), date(2025, 12, 31)) == 247
    assert calendar.working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 247
    assert calendar.working_days_between(date(2026, 1, 23), date(2026, 1, 1)) == -10


def test_a_correction_entered_as_data_wins_over_the_package():
    CalendarCorrection.objects.create(
        date=date(2027, 5, 10), is_working_day=False, reason="Перенос выходного дня (пример)"
    )
    CalendarCorrection.objects.create(
        date=date(2027, 5, 15), is_working_day=True, reason="Рабочая суббота (пример)"
    )
    calendar = ProductionCalendar()
    assert not calendar.is_working_day(date(2027, 5, 10))
    assert calendar.is_working_day(date(2027, 5, 15))
    assert due_date(date(2027, 5, 7), 1) == date(2027, 5, 11)


def test_working_days_between_agrees_with_counting_day_by_day():
    """The running totals give what counting each day gives: within a month, over New Year,
    over several years, on the same day, backwards, and with corrections of the calendar."""
    from datetime import timedelta

    calendar = ProductionCalendar(
        corrections={date(2027, 5, 10): False, date(2027, 5, 15): True, date(2025, 1, 1): True}
    )

    def counted(start, end):
        days = (end - start).days
        return sum(calendar.is_working_day(start + timedelta(n)) for n in range(1, days + 1))

    pairs = [
        (date(2025, 2, 3), date(2025, 2, 28)),
        (date(2024, 12, 28), date(2025, 1, 13)),
        (date(2024, 12, 31), date(2025, 1, 1)),
        (date(2023, 6, 15), date(2027, 5, 20)),
        (date(2027, 5, 9), date(2027, 5, 16)),
        (date(2026, 3, 5), date(2026, 3, 5)),
        (date(2024, 2, 28), date(2024, 3, 1)),
    ]
    for start, end in pairs:
        assert calendar.working_days_between(start, end) == counted(start, end), (start, end)
        assert calendar.working_days_between(end, start) == -counted(start, end)
    assert calendar.working_days_between(date(2027, 5, 9), date(2027, 5, 16)) == 5
