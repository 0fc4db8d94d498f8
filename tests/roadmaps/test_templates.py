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
    # "структурное подразделение органа" became the authority's own unit.
    named = plan.items.filter(responsibles__organization=unit).count()
    typical = template.items.filter(
        responsibles__name__istartswith="структурное подразделение органа"
    ).count()
    assert named == typical > 0
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
