"""Saving and archiving touchpoints and satisfaction assessments (and archiving profiles):
every change of an existing record is checked against the version its form was opened on."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from portal.locking import UNCHECKED, claim
from portal.scoping import CHANGE, can

ARCHIVED = "Запись в архиве и не изменяется: сначала восстановите ее из архива."


@transaction.atomic
def save_record(record, user, expected_version=UNCHECKED):
    """A new record, or an edited one unless it changed since `expected_version` (StaleEdit)."""
    if not can(user, CHANGE, record):
        raise PermissionDenied("Запись другого органа власти.")
    if record.pk is None:
        record.created_by = user
    else:
        if record.is_archived:
            raise ValidationError(ARCHIVED)
        claim(record, expected_version)
    record.updated_by = user
    record.full_clean(exclude=["created_by"])  # records loaded by the system have none
    record.save()
    return record


@transaction.atomic
def set_archived(record, archived: bool, user, expected_version=UNCHECKED):
    """Archiving instead of deleting. A page's version is checked like an edit's (none is
    stale); archiving moves the version, so an edit form opened before is refused."""
    if not can(user, CHANGE, record):
        raise PermissionDenied("Запись другого органа власти.")
    claim(record, expected_version)
    record.is_archived = archived
    record.updated_by = user
    record.save(update_fields=["is_archived", "updated_by", "updated_at", "version"])
    return record
