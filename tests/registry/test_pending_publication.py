"""The publication task's figures (registry.services.pending_publication) agree with the
publish page's preview, and cost the same number of queries for 3 rows as for 300."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.models import Process
from registry.services import publication
from registry.services.pending_publication import pending_publication
from tests.conftest import make_link, make_process

pytestmark = pytest.mark.django_db


def preview_says(authority):
    """(changed_at, due, changes) of the publish page's preview, None if it refuses."""
    preview = publication.publication_preview(authority)
    if preview.status.due is None or preview.refused:
        return None
    return preview.status.changed_at, preview.status.due, preview.changes


def pending_says(authority):
    pending = pending_publication(authority)
    return None if pending is None else (pending.changed_at, pending.due, pending.changes)


def agree(authority):
    said = pending_says(authority)
    assert said == preview_says(authority)
    return said


def save(row, **values):
    for name, value in values.items():
        setattr(row, name, value)
    row.save()  # a history state, as every service writes one


def test_before_the_first_version_and_after_it(world):
    assert agree(world.authority)[2] == ""  # never published: a task without a comparison
    publication.publish(world.authority, world.officer)
    assert agree(world.authority) is None  # nothing changed since


def test_changes_are_counted_as_the_preview_counts_them(world):
    publication.publish(world.authority, world.officer)
    save(world.own_row, function_name="Другая функция")
    save(world.other_unit_row, is_excluded=True)
    make_process(world.authority, world.unit, "3", typical_code="4.6")
    assert agree(world.authority)[2] == "добавлено 1, изменено 1, исключено 1"


def test_a_change_undone_or_outside_the_form_is_no_task(world):
    publication.publish(world.authority, world.officer)
    before = world.own_row.function_name
    save(world.own_row, function_name="Другая функция")
    save(world.own_row, function_name=before)
    assert agree(world.authority) is None
    save(
        world.own_row, is_interdepartmental=not world.own_row.is_interdepartmental
    )  # not one of the 14
    assert agree(world.authority) is None


def test_a_new_identifier_and_the_rows_that_name_it(world):
    make_link(world.own_row, world.other_unit_row)
    publication.publish(world.authority, world.officer)
    # Row 2's new identifier is named in row 1's column 12 too: row 1 changes with it.
    save(world.other_unit_row, identifier="20")
    assert agree(world.authority)[2] == "добавлено 1, изменено 1, исключено 1"
    # Two rows swapping identifiers: both changed, nothing added or excluded.
    publication.publish(world.authority, world.officer)
    save(world.other_unit_row, identifier="tmp")
    save(world.own_row, identifier="20")
    save(world.other_unit_row, identifier="1")
    assert agree(world.authority)[2] == "изменено 2"


def queries(authority):
    with CaptureQueriesContext(connection) as captured:
        said = pending_says(authority)
    assert said is not None
    return len(captured.captured_queries), said


def test_a_fixed_number_of_queries_whatever_the_size_of_the_registry(world):
    publication.publish(world.authority, world.officer)
    save(world.own_row, function_name="Другая функция")
    small = queries(world.authority)
    rows = [
        make_process(world.authority, world.unit, str(n), typical_code="4.6") for n in range(3, 303)
    ]
    for row in rows[:100]:
        make_link(row, world.own_row)
    publication.publish(world.authority, world.officer)
    save(world.own_row, function_name="Третья функция")
    save(rows[-1], responsible="Петров П. П.")
    large = queries(world.authority)
    assert small[0] == large[0] <= 13  # savepoints of the test transaction included
    assert large[1][2] == "изменено 2" == agree(world.authority)[2]
    assert Process.objects.filter(authority=world.authority).count() == 302
