"""A territory's own catalogue edition (issue 15 point 9): copied from a template edition,
then worded as the territory's act in «Справочники». Its authorities' forms, headers, pages
and exports follow it (Organization.edition)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from registry.models import (
    CatalogueEdition,
    Organization,
    ProcessGroup,
    ProcessKind,
    ReengineeringStatus,
    RegistryColumn,
    TypicalProcess,
)
from registry.models.organizations import ROOT_KINDS


def _copy_rows(model, rows, **changes):
    """Copies of the rows with the given fields changed, saved in one INSERT."""
    copies = []
    for row in rows:
        row.pk = None
        for name, value in changes.items():
            setattr(row, name, value(row) if callable(value) else value)
        copies.append(row)
    return model.objects.bulk_create(copies)


@transaction.atomic
def copy_edition(
    template: CatalogueEdition,
    territory: Organization,
    user,
    *,
    source: str,
    name: str = "",
    old_words: str = "",
    new_words: str = "",
) -> CatalogueEdition:
    """The territory's edition: the template's columns, groups, typical processes, statuses
    and kinds copied (codes kept, so files and plans name the same entries), with the act
    that approves it (`source`); `old_words` of the template («Омской области») read
    `new_words` («Самарской области») in every name and header. The rest of its wording is
    then edited in «Справочники»."""
    if not user.is_administrator:
        raise PermissionDenied("Редакции перечня для новых территорий создает администратор.")
    if territory.kind not in ROOT_KINDS:
        raise ValidationError(
            "Редакция перечня принадлежит субъекту или муниципальному образованию."
        )
    if CatalogueEdition.objects.filter(territory=territory).exists():
        raise ValidationError(f"У территории «{territory}» уже есть своя редакция перечня.")
    if not (source or "").strip():
        raise ValidationError("Укажите правовой акт, которым утвержден перечень территории.")
    if bool(old_words.strip()) != bool(new_words.strip()):
        raise ValidationError("Укажите и слова образца, и слова, которыми их заменить.")

    def reword(text: str) -> str:
        return text.replace(old_words.strip(), new_words.strip()) if old_words.strip() else text

    edition = CatalogueEdition.objects.create(
        code=_free_code(f"{template.code}-{slugify(territory.display_name) or territory.pk}"),
        level=territory.level,
        name=name or f"{template.name}: {territory.display_name}",
        source=source.strip(),
        registry_title=reword(template.registry_title),
        mandatory_note=template.mandatory_note,
        profile_direction=reword(template.profile_direction),
        territory=territory,
    )
    _copy_rows(
        RegistryColumn, template.columns.all(), edition=edition, header=lambda c: reword(c.header)
    )
    for model in (ReengineeringStatus, ProcessKind):
        _copy_rows(
            model,
            model.objects.filter(edition=template),
            edition=edition,
            name=lambda e: reword(e.name),
        )
    groups = list(ProcessGroup.objects.filter(edition=template).order_by("order"))
    old_ids = [g.pk for g in groups]
    new_groups = _copy_rows(
        ProcessGroup,
        groups,
        edition=edition,
        name=lambda g: reword(g.name),
        short_name=lambda g: reword(g.short_name),
    )
    new_by_old = {old: new.pk for old, new in zip(old_ids, new_groups, strict=True)}
    _copy_rows(
        TypicalProcess,
        TypicalProcess.objects.filter(group__edition=template),
        group_id=lambda t: new_by_old[t.group_id],
        name=lambda t: reword(t.name),
    )
    return edition


def _free_code(code: str) -> str:
    code, n = code[:45], 1
    candidate = code
    while CatalogueEdition.objects.filter(code=candidate).exists():
        n += 1
        candidate = f"{code}-{n}"
    return candidate
