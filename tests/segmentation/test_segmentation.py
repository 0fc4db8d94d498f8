"""Segment profiles as the form of appendix № 2, touchpoints, assessments and coverage."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from portal.scoping import restrict
from registry.models import ProcessGroup
from segmentation.models import (
    Channel,
    ClientKind,
    SatisfactionAssessment,
    SegmentProfile,
    Touchpoint,
)
from segmentation.services import coverage, profiles

pytestmark = pytest.mark.django_db

ATTRIBUTES = [
    ("Возраст", "14–35 лет"),
    ("Место проживания", "Омская область"),
    ("Статус", "участник молодежного общественного объединения"),
]


def new_profile(world, **extra):
    fields = {
        "authority": world.authority,
        "direction": "Реализация молодежной политики",
        "name": "Молодые люди — инициаторы проектов",
        "client_kind": ClientKind.EXTERNAL,
        "path_features": "Узнают о грантах из социальных сетей; подают заявку в электронном виде",
        "channels": "Сайт органа власти; мессенджеры",
    }
    return SegmentProfile(**{**fields, **extra})


def test_profile_keeps_every_field_of_the_form_and_the_attribute_table(world):
    group = world.own_row.group
    profile = profiles.save_profile(
        new_profile(world), ATTRIBUTES, [group], [world.own_row], world.official
    )
    profile.refresh_from_db()
    assert [(a.number, a.attribute, a.value) for a in profile.attributes.all()] == [
        (1, "Возраст", "14–35 лет"),
        (2, "Место проживания", "Омская область"),
        (3, "Статус", "участник молодежного общественного объединения"),
    ]
    assert profile.direction == "Реализация молодежной политики"
    assert profile.get_client_kind_display() == "внешний клиент"
    assert list(profile.processes.all()) == [world.own_row]
    # Edit: the table gets shorter and one value changes; history keeps the old rows.
    profiles.save_profile(
        profile, [("Возраст", "18–35 лет"), ("", "")], [group], [], world.official
    )
    assert [(a.attribute, a.value) for a in profile.attributes.all()] == [("Возраст", "18–35 лет")]
    # Nothing is deleted: the two rows stay, marked removed, and their history has no "-"
    # state but a change that records the removal.
    model = profile.attributes.model
    assert model.history.filter(history_type="-").count() == 0
    removed = model.all_objects.filter(profile=profile, removed_at__isnull=False)
    assert sorted(removed.values_list("number", flat=True)) == [2, 3]
    assert model.history.filter(history_type="~", removed_at__isnull=False).count() == 2
    # The page, the list, the form and the file show the table as it is now.
    listed = type(profile).objects.prefetch_related("attributes").get(pk=profile.pk)
    assert len(listed.attributes.all()) == 1
    # Growing again brings row 2 back (the number is unique per profile).
    profiles.save_profile(
        profile, [("Возраст", "18–35 лет"), ("Пол", "любой")], [group], [], world.official
    )
    assert [(a.number, a.value) for a in profile.attributes.all()] == [
        (1, "18–35 лет"),
        (2, "любой"),
    ]


def test_half_filled_attribute_rows_are_named(world):
    with pytest.raises(ValidationError) as refused:
        profiles.save_profile(
            new_profile(world), [("Возраст", ""), ("", "Омская область")], [], [], world.official
        )
    assert refused.value.messages == [
        "Строка 1: укажите значение сегмента для признака «Возраст».",
        "Строка 2: укажите признак сегментации для значения «Омская область».",
    ]
    assert not SegmentProfile.objects.exists()  # nothing half-written


def test_an_authority_keeps_only_its_own_profiles(world):
    with pytest.raises(PermissionDenied):
        profiles.save_profile(new_profile(world), ATTRIBUTES, [], [], world.city_officer)
    with pytest.raises(PermissionDenied):
        profiles.save_profile(new_profile(world), ATTRIBUTES, [], [], world.coordinator)
    with pytest.raises(ValidationError, match="другого органа власти"):
        profiles.save_profile(new_profile(world), ATTRIBUTES, [], [world.city_row], world.officer)
    saved = profiles.save_profile(new_profile(world), ATTRIBUTES, [], [], world.officer)
    assert set(restrict(SegmentProfile, world.coordinator)) == {saved}
    assert set(restrict(SegmentProfile, world.official)) == {saved}
    assert not restrict(SegmentProfile, world.city_officer).exists()


def test_touchpoint_and_assessment_need_a_group_or_service_of_their_authority(world):
    point = Touchpoint(authority=world.authority, channel=Channel.PHONE, place="Приемная")
    with pytest.raises(ValidationError, match="группу процессов или услугу"):
        point.full_clean()
    point.process = world.city_row
    with pytest.raises(ValidationError, match="другого органа власти"):
        point.full_clean()
    with pytest.raises(IntegrityError):
        SatisfactionAssessment.objects.create(
            authority=world.authority,
            group=world.own_row.group,
            period_start=date(2025, 6, 30),
            period_end=date(2025, 1, 1),
            method="анкетирование",
            sample_size=10,
            result="—",
        )


def test_coverage_names_the_services_without_profile_touchpoints_or_assessment(world):
    group4 = world.own_row.group
    assert world.other_unit_row.group == group4
    # A profile for row 1 only; touchpoints for the whole group; no assessment at all.
    profiles.save_profile(new_profile(world), ATTRIBUTES, [], [world.own_row], world.officer)
    Touchpoint.objects.create(
        authority=world.authority, group=group4, channel=Channel.WEBSITE, place="Сайт"
    )
    archived = SatisfactionAssessment.objects.create(  # archived: does not count
        authority=world.authority,
        process=world.own_row,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
        method="анкетирование",
        sample_size=30,
        result="—",
    )
    archived.is_archived = True
    archived.save()
    SatisfactionAssessment.objects.create(
        authority=world.city_authority,
        group=world.city_row.group,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 6, 30),
        method="анкетирование",
        sample_size=120,
        result="Удовлетворены 87 %",
    )
    rows = {entry.group.code: entry for entry in coverage.authority_coverage(world.authority)}
    entry = rows["4"]
    assert entry.services == [world.own_row, world.other_unit_row]
    assert entry.missing["profile"] == [world.other_unit_row]
    assert entry.missing["touchpoints"] == []
    assert entry.missing["assessment"] == [world.own_row, world.other_unit_row]
    assert entry.covered("profile") == 1 and entry.percent("profile") == 50
    assert not entry.complete
    assert rows["6"].services == [] and rows["6"].complete
    assert set(rows) == set(
        ProcessGroup.objects.filter(edition__level="regional").values_list("code", flat=True)
    )


def test_coverage_on_the_demo_data(settings):
    from django.core.management import call_command

    from registry.models import Organization, Process

    settings.DEBUG = True
    call_command("seed_demo")
    authority = Organization.objects.get(
        full_name="Главное управление молодежной политики Омской области"
    )
    entries = {e.group.code: e for e in coverage.authority_coverage(authority)}
    support = entries["2"]  # the demo keeps profile, touchpoint and assessment for group 2
    assert support.services == list(
        Process.objects.filter(authority=authority, group__code="2", is_excluded=False).order_by(
            "identifier_number", "identifier"
        )
    )
    assert support.services and support.complete
    assert [p.name for p in support.profiles] == [
        "Молодежные общественные объединения — получатели субсидий"
    ]
    others = [e for code, e in entries.items() if code != "2" and e.services]
    assert others and all(e.missing["profile"] == e.services for e in others)
