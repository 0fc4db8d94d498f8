"""Finding organizations by the names people and documents use for them."""

from __future__ import annotations

from registry.models import Organization, normalize_text


def find_authority(reference: str) -> Organization:
    """An authority by id, short or full name, or alias; LookupError names the choices.

    Names are compared in Python: SQLite compares Cyrillic case-sensitively, and there are
    only as many authorities as a region has.
    """
    authorities = Organization.objects.authorities().prefetch_related("aliases")
    reference = reference.strip()
    if reference.isdecimal():
        found = authorities.filter(pk=int(reference)).first()
        if found:
            return found
    wanted = normalize_text(reference)
    matches = [
        org
        for org in authorities
        if wanted
        in {normalize_text(org.short_name), normalize_text(org.full_name)}
        | {normalize_text(alias.name) for alias in org.aliases.all()}
    ]
    if len(matches) == 1:
        return matches[0]
    known = "; ".join(f"{org.pk}: {org.display_name}" for org in authorities.order_by("full_name"))
    if not matches:
        raise LookupError(f"Орган власти «{reference}» не найден. Известные: {known}.")
    raise LookupError(
        f"Наименованию «{reference}» соответствуют несколько органов власти: "
        + "; ".join(f"{org.pk}: {org.full_name}" for org in matches)
    )
