"""The roadmaps' menu and how plans and measures appear in breadcrumbs (portal.navigation)."""

from django.urls import reverse

from portal.navigation import Link, Menu, register_crumb, register_menu
from roadmaps.models import Roadmap, RoadmapItem


def has_authority(user) -> bool:
    return user.authority is not None


ROADMAPS = Menu(
    "Дорожные карты",
    (
        Link(
            "Сроки мероприятий",
            "roadmaps:deadlines",
            pages=("roadmaps:calendar*",),
        ),
        Link("Мои мероприятия", "roadmaps:mine", has_authority),
        Link(
            "Дорожные карты",
            "roadmaps:roadmap_list",
            pages=("roadmaps:roadmap_*", "roadmaps:item_*", "roadmaps:evidence_*"),
        ),
    ),
    order=20,
)


def register() -> None:
    register_menu(ROADMAPS)
    register_crumb(
        Roadmap,
        title=str,
        url=lambda r: reverse("roadmaps:roadmap_detail", args=[r.pk]),
        # an authority's share plan sits under the region's plan its measures come from
        parent=lambda r: r.parent or r.collective_of,
    )
    register_crumb(
        RoadmapItem,
        title=lambda i: f"Мероприятие {i.number}",
        url=lambda i: reverse("roadmaps:item_detail", args=[i.pk]),
        parent=lambda i: i.roadmap,
    )
