"""Demo segmentation of the demo regional authority (skipped when it has any profile)."""

from __future__ import annotations

from datetime import date

from registry.models import Organization, ProcessGroup, User
from segmentation.models import (
    Channel,
    ClientKind,
    SatisfactionAssessment,
    SegmentProfile,
    Touchpoint,
)
from segmentation.services.profiles import save_profile


def load_demo_segmentation(officer: User) -> SegmentProfile | None:
    authority: Organization = officer.organization
    if SegmentProfile.objects.filter(authority=authority).exists():
        return None
    support = ProcessGroup.objects.get(edition=authority.edition, code="2")
    profile = save_profile(
        SegmentProfile(
            authority=authority,
            direction="Поддержка молодежных общественных инициатив",
            name="Молодежные общественные объединения — получатели субсидий",
            client_kind=ClientKind.EXTERNAL,
            path_features="Узнают о конкурсе из социальных сетей и с сайта; готовят заявку "
            "несколько недель; чаще всего ошибаются в смете проекта.",
            channels="Сайт органа власти; мессенджеры; консультации по телефону",
        ),
        [
            ("Организационно-правовая форма", "некоммерческая организация"),
            ("Возраст участников", "14–35 лет"),
            ("Опыт получения субсидий", "впервые"),
        ],
        [support],
        [],
        officer,
    )
    Touchpoint.objects.create(
        authority=authority,
        group=support,
        channel=Channel.WEBSITE,
        place="Раздел «Конкурсы» сайта Главного управления",
        created_by=officer,
    )
    SatisfactionAssessment.objects.create(
        authority=authority,
        group=support,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
        method="анкетирование получателей субсидий",
        sample_size=48,
        result="Удовлетворены качеством консультаций 81 %",
        satisfied_share=81,
        problems="Сложная форма сметы проекта",
        actions="Подготовлен образец заполнения сметы",
        created_by=officer,
    )
    return profile
