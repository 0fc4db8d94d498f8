"""The measures a user answers for ("Мои мероприятия" and the roadmap tasks).

Who reads and who edits which roadmap is the models' `scoping` (portal.scoping): an
authority's users read its plans and the plans of its region, read only; the authorized
officer of the owning authority (and an administrator) edits them.

An authorized officer answers for every measure of his authority's plans and for the measures
of the plans he reads that name his authority or one of its units; an official for the
measures he reads that name his unit or a unit under it. A body reorganized into one of those
counts as named from the day its successor takes over (services.succession then moves the
plans and names for good). Coordinators and administrators answer for none.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.scoping import CHANGE, VIEW, restrict
from roadmaps.models import ItemResponsible, Roadmap, RoadmapItem


def my_items(user) -> QuerySet[RoadmapItem] | None:
    """The measures (no section rows, no typical plans) the user answers for; None when by his
    role he answers for none (coordinators, administrators, users without an authority or
    unit)."""
    if not user.is_authenticated or user.authority is None:
        return None
    if user.is_authorized_officer:
        bodies = user.authority.unit_ids()  # the authority and every unit under it
    elif user.is_official:
        bodies = user.unit_ids  # his unit and every unit under it
    else:
        return None
    named = ItemResponsible.objects.filter(
        Q(organization_id__in=bodies)
        | Q(
            organization__successor_id__in=bodies,
            organization__successor_since__lte=timezone.localdate(),
        )
    )
    scope = Q(pk__in=named.values("item_id"))
    if user.is_authorized_officer:
        scope |= Q(roadmap__in=restrict(Roadmap, user, CHANGE).values("pk"))
    # a typical plan is a template to copy, not a plan anybody carries out
    return restrict(RoadmapItem, user, VIEW).filter(
        scope, is_section=False, roadmap__is_template=False
    )
