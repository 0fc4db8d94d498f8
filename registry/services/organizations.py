"""Finding organizations by the names people and documents use for them."""

from __future__ import annotations

from registry.models import Organization, normalize_text


def organizations_named(reference: str, organizations) -> list[Organization]:
    """The organizations of the queryset that `reference` names: an id, a short or full name
    or an alias, compared without case and ё.

    Names are compared in Python: SQLite compares Cyrillic case-sensitively, and there are
    only as many organizations as a region has.
    """
    organizations = organizations.prefetch_related("aliases")
    reference = reference.strip()
    if reference.isdecimal():
        found = organizations.filter(pk=int(reference)).first()
        if found:
            return [found]
    wanted = normalize_text(reference)
    return [
        org
        for org in organizations
        if wanted
        in {normalize_text(org.short_name), normalize_text(org.full_name)}
        | {normalize_text(alias.name) for alias in org.aliases.all()}
    ]


def find_authority(reference: str) -> Organization:
    """An authority by id, short or full name, or alias; LookupError names the choices."""
    authorities = Organization.objects.authorities()
    matches = organizations_named(reference, authorities)
    if len(matches) == 1:
        return matches[0]
    reference = reference.strip()
    known = "; ".join(f"{org.pk}: {org.display_name}" for org in authorities.order_by("full_name"))
    if not matches:
        raise LookupError(f"Орган власти «{reference}» не найден. Известные: {known}.")
    raise LookupError(
        f"Наименованию «{reference}» соответствуют несколько органов власти: "
        + "; ".join(f"{org.pk}: {org.full_name}" for org in matches)
    )
