"""portal.readahead: rows read by a thread of their own ahead of the caller outside a
transaction, in line inside one; the same items, errors raised in the caller, and a caller
that stops early stops the reader."""

import threading

import pytest
from django.db import connection, transaction

from portal import readahead
from portal.readahead import read_ahead

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def backend() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def numbers(n, seen):
    def rows():
        seen.append(backend())
        with connection.cursor() as cursor:
            cursor.execute("SELECT generate_series(1, %s)", [n])
            yield from (value for (value,) in cursor.fetchall())

    return rows


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_another_connection_reads_ahead_the_same_items(monkeypatch):
    monkeypatch.setattr(readahead, "BATCH", 7)
    seen = []
    assert list(read_ahead(numbers(100, seen), "default")) == list(range(1, 101))
    assert seen and seen[0] != backend()  # read by the thread's own connection


@pytest.mark.django_db(transaction=True)
def test_the_reader_reads_in_a_transaction_of_its_own_without_jit():
    """A server-side cursor then streams (outside a transaction Django declares it WITH
    HOLD, computed whole before the first row), and no seconds go to compiling the query."""
    seen = []

    def rows():
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            seen.append((connection.in_atomic_block, cursor.fetchone()[0]))
        yield 1

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        before = cursor.fetchone()[0]
    assert list(read_ahead(rows, "default")) == [1]
    assert seen == [(True, "off")]
    with connection.cursor() as cursor:  # the caller's connection keeps its setting
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == before


@pytest.mark.django_db
def test_inside_a_transaction_the_rows_are_read_in_line():
    seen = []
    with transaction.atomic():
        assert list(read_ahead(numbers(5, seen), "default")) == [1, 2, 3, 4, 5]
    assert seen == [backend()]


@pytest.mark.django_db(transaction=True)
def test_an_error_of_the_reader_is_raised_in_the_caller():
    def rows():
        yield 1
        raise ValueError("broken row")

    with pytest.raises(ValueError, match="broken row"):
        list(read_ahead(rows, "default"))


@pytest.mark.django_db(transaction=True)
def test_a_caller_that_stops_early_stops_the_reader(monkeypatch):
    monkeypatch.setattr(readahead, "BATCH", 1)
    before = threading.active_count()
    items = read_ahead(numbers(10_000, []), "default")
    assert next(items) == 1
    assert threading.active_count() == before + 1
    items.close()
    assert threading.active_count() == before
