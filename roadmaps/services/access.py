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
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from roadmaps.models import Roadmap, RoadmapItem


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
