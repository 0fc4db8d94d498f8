"""What the officer records about a published version after publishing it: where and when its
file was put on the official website (items 27-28 of the Procedure) and the act approving it
(item 5). Entries are only added: a correction is a new entry, earlier ones are its history."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.documents import check_document, clean_name
from registry.models import RegistryVersion, VersionApproval, VersionPlacement


def check_placed_on(version: RegistryVersion, placed_on: date) -> None:
    """Not before the version was published, not in the future (Russian messages)."""
    published = timezone.localdate(version.published_at)
    if placed_on < published:
        raise ValidationError(
            {
                "placed_on": f"Дата размещения не может быть раньше публикации версии "
                f"({published:%d.%m.%Y})."
            }
        )
    if placed_on > timezone.localdate():
        raise ValidationError({"placed_on": "Дата размещения не может быть в будущем."})


@transaction.atomic
def record_placement(version: RegistryVersion, url: str, placed_on: date, user):
    check_placed_on(version, placed_on)
    placement = VersionPlacement(version=version, url=url, placed_on=placed_on, recorded_by=user)
    placement.full_clean()
    placement.save()
    return placement


@transaction.atomic
def record_approval(
    version: RegistryVersion, act_kind: str, act_number: str, act_date: date, user, file=None
):
    if act_date > timezone.localdate():
        raise ValidationError({"act_date": "Дата акта не может быть в будущем."})
    approval = VersionApproval(
        version=version,
        act_kind=act_kind.strip(),
        act_number=act_number.strip(),
        act_date=act_date,
        recorded_by=user,
    )
    if file is not None:
        try:
            kind = check_document(file, label="Файл акта")
        except ValidationError as refused:
            raise ValidationError({"file": refused.messages}) from None
        approval.file = file
        approval.file_name = clean_name(file.name)
        approval.content_type = kind.content_type
    approval.full_clean()
    approval.save()
    return approval


def current(version: RegistryVersion) -> tuple[VersionPlacement | None, VersionApproval | None]:
    """The latest placement and approval of a version (the ones in force)."""
    return version.placements.first(), version.approvals.first()
