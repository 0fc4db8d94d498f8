"""The segmentation menu and how its records appear in breadcrumbs (portal.navigation).
Names as in the form of a client segment profile (329-рп, appendix 2)."""

from django.urls import reverse

from portal.navigation import Link, Menu, register_crumb, register_menu
from segmentation.models import SatisfactionAssessment, SegmentProfile, Survey, Touchpoint

SEGMENTATION = Menu(
    "Сегментация",
    (
        Link(
            "Профили клиентских сегментов",
            "segmentation:profile_list",
            pages=("segmentation:profile_*", "segmentation:archive"),
        ),
        Link(
            "Точки взаимодействия",
            "segmentation:touchpoint_list",
            pages=("segmentation:touchpoint_*",),
        ),
        Link(
            "Оценки удовлетворенности",
            "segmentation:assessment_list",
            pages=("segmentation:assessment_*",),
        ),
        Link("Анкеты", "segmentation:survey_list", pages=("segmentation:survey_*",)),
        Link(
            "Охват услуг сегментацией",
            "segmentation:coverage",
            pages=("segmentation:coverage*",),
        ),
    ),
    order=30,
)


def register() -> None:
    register_menu(SEGMENTATION)
    register_crumb(
        SegmentProfile,
        title=lambda p: p.name,
        url=lambda p: reverse("segmentation:profile_detail", args=[p.pk]),
    )
    register_crumb(
        Touchpoint, title=str, url=lambda t: reverse("segmentation:touchpoint_edit", args=[t.pk])
    )
    register_crumb(
        SatisfactionAssessment,
        title=str,
        url=lambda a: reverse("segmentation:assessment_edit", args=[a.pk]),
    )
    register_crumb(
        Survey, title=str, url=lambda s: reverse("segmentation:survey_detail", args=[s.pk])
    )
