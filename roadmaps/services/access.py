"""Who sees and who edits which roadmap.

Reading:
- coordinators and administrators (`user.sees_all_authorities`) read every roadmap;
- an authority's users (its authorized officer and the officials of its units) read the
  roadmaps owned by their authority, and the plans of the region (or municipality) the
  authority belongs to — the regional plan its appendix is part of, and any typical plan the
  region approved — read only;
- anybody else reads nothing.

Editing (status, evidence): the authorized officer of the owning authority, and an
administrator. Coordinators read everything but do not edit an authority's plan; a plan owned
by a region is edited by an administrator only (through the admin, as before).

A user's own measures (`my_items`: "Мои мероприятия" and the roadmap tasks): an authorized
officer answers for every measure of his authority's plans and for the measures of the plans
he reads that name his authority or one of its units; an official for the measures he reads
that name his unit or a unit under it. A body reorganized into one of those counts as named.
Coordinators and administrators answer for none.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from roadmaps.models import ItemResponsible, Roadmap, RoadmapItem


def visible_roadmaps(user) -> QuerySet[Roadmap]:
    roadmaps = Roadmap.objects.select_related("owner", "legal_act", "parent")
    if not user.is_authenticated:
        return roadmaps.none()
    if user.sees_all_authorities:
        return roadmaps
    authority = user.authority
    if authority is None:
        return roadmaps.none()
    scope = Q(owner=authority)
    if authority.parent_id:
        scope |= Q(owner_id=authority.parent_id)
    return roadmaps.filter(scope)


def visible_items(user) -> QuerySet[RoadmapItem]:
    return RoadmapItem.objects.filter(roadmap__in=visible_roadmaps(user).values("pk"))


def may_edit(user, roadmap: Roadmap) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_administrator:
        return True
    return (
        user.is_authorized_officer
        and user.authority is not None
        and roadmap.owner_id == user.authority.pk
    )


def editable_roadmaps(user) -> QuerySet[Roadmap]:
    if not user.is_authenticated:
        return Roadmap.objects.none()
    if user.is_administrator:
        return Roadmap.objects.all()
    if user.is_authorized_officer and user.authority is not None:
        return Roadmap.objects.filter(owner=user.authority)
    return Roadmap.objects.none()


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
        Q(organization_id__in=bodies) | Q(organization__successor_id__in=bodies)
    )
    scope = Q(pk__in=named.values("item_id"))
    if user.is_authorized_officer:
        scope |= Q(roadmap__in=editable_roadmaps(user).values("pk"))
    # a typical plan is a template to copy, not a plan anybody carries out
    return visible_items(user).filter(scope, is_section=False, roadmap__is_template=False)
