"""The registry rows' stored sort keys (Process STORED_SORT_KEYS): the life situation's name
and the catalogue order of each row's group, typical process, status and kind, copied into
the row so that the list sorted by columns 2, 6, 7, 9 or 13 walks one index (issue 13). A
row's own keys are set by Process.prepare_for_save() on every write; an entry renamed or
reordered (the admin, a catalogue loaded into a filled registry) brings its rows along here."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models, transaction

from registry.models import Process
from registry.models.processes import STORED_SORT_KEYS


def _keys_of(entry: models.Model) -> list[tuple[str, str, str]]:
    """(sort key, relation, attribute) of the rows that refer to this kind of entry."""
    return [
        (key, relation, attribute)
        for key, (relation, attribute) in STORED_SORT_KEYS.items()
        if Process._meta.get_field(relation).related_model is type(entry)
    ]


@transaction.atomic
def entries_changed(entries: Iterable[models.Model]) -> int:
    """Gives the rows of these entries their entries' current name or order; other models
    and unsaved entries are ignored. Not a change of a row: no version, no history. Returns
    the rows brought along."""
    changed = 0
    for entry in entries:
        if entry.pk is None:
            continue  # a blank inline form of the admin
        for key, relation, attribute in _keys_of(entry):
            value = getattr(entry, attribute)
            changed += (
                Process.objects.filter(**{relation: entry})
                .exclude(**{key: value})
                .update(**{key: value})
            )
    return changed
