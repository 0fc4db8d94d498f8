"""A typical roadmap instantiated for an authority; authorities compared item by item."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from registry.models import Role
from roadmaps.models import Roadmap, RoadmapItem
from roadmaps.services.demo import load_seed_roadmaps
from roadmaps.services.templates import instantiate
from tests.conftest import make_org, make_user

pytestmark = pytest.mark.django_db

HR = "структурное подразделение органа, ответственное за кадровое обеспечение"  # seed 003


@pytest.fixture
def chelyabinsk(world):
    load_seed_roadmaps()
    template = Roadmap.objects.get(is_template=True)
    region = template.owner
    authority = make_org("authority", "Министерство культуры Челябинской области", region)
    unit = make_org("unit", "Отдел правовой работы Министерства культуры", authority)
    officer = make_user("chel_officer", Role.AUTHORIZED_OFFICER, authority)
    return template, authority, unit, officer


def test_items_are_copied_with_their_template_item_own_unit_and_dates(chelyabinsk):
    template, authority, unit, officer = chelyabinsk
    plan = instantiate(
        template, authority, user=officer, unit=unit, deadlines={"3.1.2.": "до 01.03.2027"}
    )
    items = list(plan.items.order_by("sort_key"))
    assert len(items) == template.items.count() == 92  # seed 003: 13 sections, 79 measures
    assert all(i.template_item.number == i.number for i in items)
    changed = plan.items.get(number="3.1.2.")
    assert changed.deadline_text == "до 01.03.2027" and str(changed.deadline_date) == "2027-03-01"
    assert changed.template_item.deadline_text != changed.deadline_text
    # "структурное подразделение органа" became the authority's own unit; the HR unit's
    # rows, given no unit of their own, stay as the typical plan writes them.
    named = plan.items.filter(responsibles__organization=unit).count()
    typical = template.items.filter(responsibles__name="структурное подразделение органа")
    assert named == typical.count() == 46
    hr = plan.items.get(number="2.1.").responsibles.get()
    assert (hr.organization, hr.name) == (None, HR)
    # Sections stay sections and measures keep their section.
    assert changed.parent.number == "3.1." and changed.parent.roadmap == plan


def test_refusals_write_nothing(chelyabinsk, world):
    template, authority, unit, officer = chelyabinsk
    with pytest.raises(PermissionDenied):
        instantiate(template, authority, user=world.officer)
    with pytest.raises(PermissionDenied):
        instantiate(template, authority, user=world.coordinator)
    with pytest.raises(ValidationError, match="Пункт 3.1.2."):
        instantiate(template, authority, user=officer, deadlines={"3.1.2.": "до 01.11.20213"})
    with pytest.raises(ValidationError, match="нет пунктов: 9.9."):
        instantiate(template, authority, user=officer, deadlines={"9.9.": "до 01.03.2027"})
    with pytest.raises(ValidationError, match="не входит"):
        instantiate(template, authority, user=officer, unit=world.unit)
    assert not Roadmap.objects.filter(owner=authority).exists()
    instantiate(template, authority, user=officer)
    with pytest.raises(ValidationError, match="уже есть план"):
        instantiate(template, authority, user=officer)


def test_coordinator_compares_authorities_on_the_same_item(client, chelyabinsk, world):
    template, authority, unit, officer = chelyabinsk
    other = make_org("authority", "Министерство спорта Челябинской области", template.owner)
    other_officer = make_user("chel_sport", Role.AUTHORIZED_OFFICER, other)
    instantiate(template, authority, user=officer, deadlines={"3.1.2.": "до 01.03.2027"})
    instantiate(template, other, user=other_officer)
    template_item = template.items.get(number="3.1.2.")
    client.force_login(world.coordinator)
    page = client.get(reverse("roadmaps:item_detail", args=[template_item.pk]))
    rows = page.context["instances"]
    assert [(r.authority, r.item.deadline_text) for r in rows] == [
        (authority, "до 01.03.2027"),
        (other, template_item.deadline_text),
    ]


def test_command(chelyabinsk, capsys):
    template, authority, unit, officer = chelyabinsk
    call_command(
        "instantiate_roadmap",
        str(template.pk),
        authority.full_name,
        "--unit",
        unit.full_name,
        "--deadline",
        "3.1.2.=до 01.03.2027",
        "--user",
        officer.username,
    )
    assert "пунктов: 92" in capsys.readouterr().out
    plan = Roadmap.objects.get(owner=authority)
    assert RoadmapItem.objects.filter(roadmap=plan, template_item__isnull=False).count() == 92


# --- the page ---


def page_url(template):
    return reverse("roadmaps:roadmap_instantiate", args=[template.pk])


def test_officer_makes_his_plan_from_the_typical_one_on_the_page(client, chelyabinsk):
    template, authority, unit, officer = chelyabinsk
    client.force_login(officer)
    detail = client.get(reverse("roadmaps:roadmap_detail", args=[template.pk]))
    assert "Создать план органа по этому типовому плану" in detail.content.decode()
    page = client.get(page_url(template))
    assert page.status_code == 200
    form = page.context["form"]
    assert len(form.measures) == 79
    data = {name: field.initial or "" for name, field in form.fields.items()}
    data["authority"] = authority.pk
    data["unit"] = unit.pk
    own = next(i for i in form.measures if i.number == "3.1.2.")
    data[f"deadline_{own.pk}"] = "до 01.03.2027"
    data.update({"act-kind": "order", "act-number": "77-р", "act-date": "2025-03-01"})
    response = client.post(page_url(template), data)
    assert response.status_code == 302
    plan = Roadmap.objects.get(template=template, owner=authority)
    assert response["Location"] == reverse("roadmaps:roadmap_detail", args=[plan.pk])
    assert plan.legal_act.number == "77-р"
    assert plan.items.get(number="3.1.2.").deadline_text == "до 01.03.2027"
    # the typical plan's own typo is carried over as written, not refused
    assert plan.items.get(number="3.3.2.").deadline_text == "до 01.11.20213"
    assert plan.items.filter(responsibles__organization=unit).exists()
    # one plan per authority: a second submit is shown the plan made
    again = client.post(page_url(template), data, follow=True)
    assert again.redirect_chain[-1][0] == reverse("roadmaps:roadmap_detail", args=[plan.pk])
    assert "уже есть план по этому типовому плану" in again.content.decode()
    assert Roadmap.objects.filter(template=template, owner=authority).count() == 1


def test_page_refuses_a_bad_deadline_naming_the_item(client, chelyabinsk):
    template, authority, unit, officer = chelyabinsk
    client.force_login(officer)
    form = client.get(page_url(template)).context["form"]
    data = {name: field.initial or "" for name, field in form.fields.items()}
    data["authority"] = authority.pk
    own = next(i for i in form.measures if i.number == "3.1.2.")
    data[f"deadline_{own.pk}"] = "31.02.2027"
    response = client.post(page_url(template), data)
    assert response.status_code == 400
    assert (
        "Пункт 3.1.2.: срок «31.02.2027» не распознан (нет такой даты). Укажите дату"
        in response.content.decode()
    )
    assert not Roadmap.objects.filter(owner=authority).exists()


def test_only_the_authoritys_officer_or_an_administrator_opens_the_page(client, chelyabinsk, world):
    template, authority, unit, officer = chelyabinsk
    client.force_login(world.coordinator)
    assert client.get(page_url(template)).status_code == 403
    client.force_login(world.officer)  # an Omsk officer does not see Chelyabinsk's plan
    assert client.get(page_url(template)).status_code == 404
    client.force_login(world.admin)
    page = client.get(page_url(template))
    assert page.status_code == 200
    assert list(page.context["form"].fields["authority"].queryset) == [authority]
    # someone else's authority cannot be posted by an officer
    client.force_login(officer)
    other = make_org("authority", "Министерство спорта Челябинской области", template.owner)
    form = client.get(page_url(template)).context["form"]
    data = {name: field.initial or "" for name, field in form.fields.items()}
    data["authority"] = other.pk
    assert client.post(page_url(template), data).status_code == 400
    assert not Roadmap.objects.filter(owner=other).exists()


def test_a_long_deadline_of_the_typical_plan_does_not_block_the_page(client, chelyabinsk):
    template, authority, unit, officer = chelyabinsk
    long_text = "ежегодно, " * 12
    RoadmapItem.objects.filter(roadmap=template, number="3.1.2.").update(deadline_text=long_text)
    client.force_login(officer)
    form = client.get(page_url(template)).context["form"]
    data = {name: field.initial or "" for name, field in form.fields.items()}
    data["authority"] = authority.pk
    assert client.post(page_url(template), data).status_code == 302
    plan = Roadmap.objects.get(template=template, owner=authority)
    assert plan.items.get(number="3.1.2.").deadline_text == long_text


def test_one_plan_per_authority_and_typical_plan_is_kept_by_the_database(chelyabinsk):
    from django.db import IntegrityError, transaction

    template, authority, unit, officer = chelyabinsk
    instantiate(template, authority, user=officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Roadmap.objects.create(owner=authority, title="Копия", template=template)


# --- registry bindings and the typical plan's other units (issue 15, point 2) ---


def test_the_copy_keeps_its_registry_bindings(chelyabinsk):
    """The typical plan is the region's and binds nothing; its authority's copy binds every
    "Проведен реинжиниринг 10% процессов …" measure (3.1.7 … 3.6.7 of seed 003) to its group."""
    from roadmaps.models import RegistryTarget

    template, authority, unit, officer = chelyabinsk
    assert not RegistryTarget.objects.filter(item__roadmap=template).exists()
    plan = instantiate(template, authority, user=officer, unit=unit)
    targets = RegistryTarget.objects.filter(item__roadmap=plan).select_related("item", "group")
    bound = {t.item.number: t for t in targets}
    assert sorted(bound) == ["3.1.7.", "3.2.7.", "3.3.7.", "3.4.7.", "3.5.7.", "3.6.7."]
    assert all(t.target_percent == 10 and t.status.code == "reengineered" for t in targets)
    assert len({t.group_id for t in targets}) == 6
    assert "обращени" in bound["3.4.7."].group.name.lower()


def test_hr_rows_go_to_the_authoritys_hr_unit(client, chelyabinsk):
    template, authority, unit, officer = chelyabinsk
    hr_unit = make_org("unit", "Отдел кадров Министерства культуры", authority)
    press = make_org("unit", "Пресс-служба Министерства культуры", authority)
    client.force_login(officer)
    form = client.get(page_url(template)).context["form"]
    assert form.addressees == [
        HR,
        "сотрудники, ответственные за взаимодействие со средствами массовой информации",
    ]
    data = {name: field.initial or "" for name, field in form.fields.items()}
    data.update(authority=authority.pk, unit=unit.pk, addressee_0=hr_unit.pk)
    data["addressee_1"] = press.pk
    assert client.post(page_url(template), data).status_code == 302
    plan = Roadmap.objects.get(template=template, owner=authority)

    def bodies(number):
        return [r.organization for r in plan.items.get(number=number).responsibles.all()]

    assert bodies("2.1.") == bodies("2.2.") == bodies("2.3.") == [hr_unit]
    assert bodies("1.4.") == [unit]
    assert bodies("3.5.1.") == [press]
    # the HR unit's official answers for the HR rows, not for the others
    from roadmaps.services.access import my_items

    official = make_user("chel_hr", Role.OFFICIAL, hr_unit)
    assert sorted(i.number for i in my_items(official)) == ["2.1.", "2.2.", "2.3."]


def test_a_unit_of_another_authority_is_refused_for_an_addressee(chelyabinsk, world):
    template, authority, unit, officer = chelyabinsk
    with pytest.raises(ValidationError, match="не входит"):
        instantiate(template, authority, user=officer, units={HR: world.unit})
    assert not Roadmap.objects.filter(owner=authority).exists()


def test_the_typical_items_rollup_over_the_authorities_plans(client, chelyabinsk, world):
    from roadmaps.services import collective

    template, authority, unit, officer = chelyabinsk
    other = make_org("authority", "Министерство спорта Челябинской области", template.owner)
    make_org("authority", "Министерство туризма Челябинской области", template.owner)
    instantiate(template, authority, user=officer)
    instantiate(template, other, user=make_user("chel_sport", Role.AUTHORIZED_OFFICER, other))
    typical = template.items.get(number="3.1.7.")
    rollup = collective.rollup(typical, world.coordinator)
    assert (rollup.total, rollup.done, rollup.pending) == (2, 0, 1)  # one has no plan yet
    client.force_login(officer)  # an authority sees its own copy only
    page = client.get(reverse("roadmaps:item_shares", args=[typical.pk]))
    assert [r.record.roadmap.owner for r in page.context["table"].rows] == [authority]


def test_command_gives_an_addressee_its_unit(chelyabinsk, capsys):
    template, authority, unit, officer = chelyabinsk
    hr_unit = make_org("unit", "Отдел кадров Министерства культуры", authority)
    call_command(
        "instantiate_roadmap",
        str(template.pk),
        authority.full_name,
        "--unit-for",
        f"{HR}=Отдел кадров Министерства культуры",
        "--user",
        officer.username,
    )
    plan = Roadmap.objects.get(owner=authority)
    assert plan.items.get(number="2.2.").responsibles.get().organization == hr_unit
