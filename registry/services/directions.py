"""Appendix 1 of an edition's act (seed 004: order 246-р) read against an authority's units:
who answers a campaign for a direction of activity (registry.models.ActivityDirection)."""

from __future__ import annotations

import re

from django.utils import timezone

from registry.models import ActivityDirection, Organization, Process


def _words(text: str) -> str:
    """Case, ё/е, punctuation and line breaks of the scan do not count."""
    return " " + " ".join(re.findall(r"\w+", text.lower().replace("ё", "е"))) + " "


def responsible_units(direction: ActivityDirection, authority: Organization) -> list[Organization]:
    """The authority's units in force that the act makes responsible for the direction: the
    units it names (by full name, in any case), every unit, or the units whose registry
    rows are of the direction's group («ответственные за предоставление муниципальных
    услуг»)."""
    units = Organization.objects.units().filter(authority=authority)
    units = units.active_on(timezone.localdate()).order_by("full_name")
    if direction.rule == ActivityDirection.ALL:
        return list(units)
    if direction.rule == ActivityDirection.GROUP_ROWS:
        rows = Process.objects.filter(
            authority=authority, group=direction.group_id, is_excluded=False
        )
        return list(units.filter(pk__in=rows.values("unit_id")))
    text = _words(direction.responsible)
    return [u for u in units if _words(u.full_name) in text]


def directions_of(authorities) -> list[ActivityDirection]:
    """The directions of the authorities' editions (none for an edition without appendix 1)."""
    editions = {a.edition.pk for a in authorities}
    return list(
        ActivityDirection.objects.filter(edition__in=editions).select_related("edition", "group")
    )
