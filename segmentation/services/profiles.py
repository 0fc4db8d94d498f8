"""Saving a segment profile with its table of attributes, all at once or not at all."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from portal.locking import UNCHECKED, claim
from portal.scoping import CHANGE, can
from segmentation.models import PROFILE_HISTORY, SegmentAttribute, SegmentProfile


def check_attributes(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Rows of the table "Признаки клиентского сегмента": a wholly empty row is an unused
    line of the form; a half-filled one is an error naming its number."""
    errors, kept = [], []
    for number, (attribute, value) in enumerate(rows, start=1):
        attribute, value = attribute.strip(), value.strip()
        if not attribute and not value:
            continue
        if not attribute:
            errors.append(f"Строка {number}: укажите признак сегментации для значения «{value}».")
        elif not value:
            errors.append(f"Строка {number}: укажите значение сегмента для признака «{attribute}».")
        kept.append((attribute, value))
    if errors:
        raise ValidationError(errors)
    if not kept:
        raise ValidationError("Укажите хотя бы один признак клиентского сегмента.")
    return kept


@transaction.atomic
def save_profile(
    profile: SegmentProfile, attributes, groups, processes, user, expected_version=UNCHECKED
) -> SegmentProfile:
    """The profile with its groups, services and attribute table in one transaction under the
    profile's version: a save of a profile changed since `expected_version` (the version the
    form was opened on) raises StaleEdit and writes nothing."""
    if not can(user, CHANGE, profile):
        raise PermissionDenied("Профили клиентских сегментов ведет сам орган власти.")
    rows = check_attributes(list(attributes))
    foreign = [p for p in processes if p.authority_id != profile.authority_id]
    if foreign:
        raise ValidationError(f"Услуга «{foreign[0]}» — строка реестра другого органа власти.")
    edition = profile.authority.edition
    foreign_groups = [g for g in groups if g.edition_id != edition.pk]
    if foreign_groups:
        raise ValidationError(
            f"Группа «{foreign_groups[0]}» — из другой редакции перечня, не «{edition}»."
        )
    if profile.pk is None:
        profile.created_by = user
    else:
        claim(profile, expected_version)
    profile.updated_by = user
    profile.full_clean()
    created = profile.pk is None
    # Saving and setting the two sets would record three states: record the one, after.
    profile.skip_history_when_saving = True
    try:
        profile.save()
        profile.groups.set(groups)
        profile.processes.set(processes)
    finally:
        del profile.skip_history_when_saving
    profile._history_user = user
    PROFILE_HISTORY.create_historical_record(profile, "+" if created else "~")
    # Every row the profile ever had, removed ones too: the number is unique per profile, and
    # a row removed before comes back when the table grows to its number again.
    existing = {a.number: a for a in SegmentAttribute.all_objects.filter(profile=profile)}
    for number, (attribute, value) in enumerate(rows, start=1):
        row = existing.pop(number, None) or SegmentAttribute(profile=profile, number=number)
        if (row.attribute, row.value, row.removed_at) != (attribute, value, None):
            row.attribute, row.value, row.removed_at = attribute, value, None
            row.save()
    # The table got shorter: the rows past its end are marked removed, never deleted (their
    # history records the removal as a change).
    now = timezone.now()
    for row in existing.values():
        if row.removed_at is None:
            row.removed_at = now
            row.save(update_fields=["removed_at"])
    return profile
