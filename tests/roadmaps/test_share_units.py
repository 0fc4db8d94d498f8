"""An authority's share of a collective measure handed to its own units («Ответственные
подразделения»): the officer names them, their officials answer for the share; another
authority's unit, an official of the unit and another authority's users are refused."""

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from registry.models import Role
from roadmaps.models import ItemResponsible
from roadmaps.services import access, collective
from roadmaps.services.tasks import roadmap_tasks
from tests.conftest import make_org, make_user, with_version
from tests.roadmaps.test_collective import Samara

pytestmark = pytest.mark.django_db


class Units:
    """Samara's measure 3.5 split among МТЗМ СО, МСДСП СО and МО СО; МТЗМ СО has three units
    with an official each (the registry's under a department with its own), МО СО one."""

    def __init__(self, world):
        self.samara = samara = Samara(world)
        self.mtzm, self.msdsp, self.mo = self.shares = samara.split()
        authority = samara.mtzm
        self.department = make_org("unit", "Управление цифровизации МТЗМ СО", authority)
        self.registry = make_org("unit", "Отдел реестров МТЗМ СО", self.department, short_name="ОР")
        self.staff = make_org("unit", "Отдел кадров МТЗМ СО", authority, short_name="ОК")
        self.press = make_org("unit", "Пресс-служба МТЗМ СО", authority, short_name="ПС")
        self.mo_unit = make_org("unit", "Отдел образования МО СО", samara.mo, short_name="ОО")
        self.officer = samara.mtzm_officer
        self.registry_official = make_user("reg_official", Role.OFFICIAL, self.registry)
        self.staff_official = make_user("staff_official", Role.OFFICIAL, self.staff)
        self.press_official = make_user("press_official", Role.OFFICIAL, self.press)
        self.head_official = make_user("head_official", Role.OFFICIAL, self.department)
        self.url = reverse("roadmaps:item_units", args=[self.mtzm.pk])

    def named(self, share=None) -> set:
        share = share or self.mtzm
        return {r.organization for r in collective.named_units(share)}


@pytest.fixture
def u(world, today):
    return Units(world)


def test_officer_names_two_units_and_their_officials_answer_for_the_share(client, u, today):
    client.force_login(u.officer)
    opened = client.get(u.url)
    form = opened.context["form"]
    assert 'type="checkbox" name="units"' in opened.content.decode()
    assert "Отдел реестров МТЗМ СО" in opened.content.decode()
    offered = {pk for pk, _ in form.fields["units"].widget.choices}
    assert offered == {u.department.pk, u.registry.pk, u.staff.pk, u.press.pk}  # not МО СО's
    before = u.mtzm.history.count()
    response = client.post(u.url, with_version(u.mtzm, units=[u.registry.pk, u.staff.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("roadmaps:item_detail", args=[u.mtzm.pk])
    assert u.named() == {u.registry, u.staff}
    own = client.get(reverse("roadmaps:item_detail", args=[u.mtzm.pk]))
    assert own.context["may_assign_units"] and 'data-testid="assign-units"' in own.content.decode()
    # the authority stays the share's responsible body beside its units
    assert u.mtzm.responsibles.filter(organization=u.samara.mtzm).exists()
    # recorded as the share's change: who, when, which units; no act
    assert u.mtzm.history.count() == before + 1
    record = u.mtzm.history.first()
    assert record.history_change_reason == "Ответственные подразделения: ОК; ОР"
    assert record.history_user == u.officer and record.legal_act is None
    assert record.effective_date == timezone.localdate(record.history_date)  # the day saved
    # the units' officials have it in «Мои мероприятия» and «Мои задачи» (overdue since 2023)
    for official in (u.registry_official, u.staff_official):
        assert u.mtzm in access.my_items(official)
        tasks = [t.url for t in roadmap_tasks(official, today)]
        assert reverse("roadmaps:item_detail", args=[u.mtzm.pk]) in tasks
        client.force_login(official)
        listed = [r.record for r in client.get(reverse("roadmaps:mine")).context["table"].rows]
        assert u.mtzm in listed
    # so does the department's official, the registry's unit being under his (my_items' rule)
    assert u.mtzm in access.my_items(u.head_official)
    # an official of another unit of the same authority does not
    assert u.mtzm not in access.my_items(u.press_official)
    assert not [t for t in roadmap_tasks(u.press_official, today) if str(u.mtzm.pk) in t.url]
    # the share's page names the units and its history says it
    page = client.get(reverse("roadmaps:item_detail", args=[u.mtzm.pk])).content.decode()
    assert "Ответственные подразделения" in page
    assert "ОР" in page and "ОК" in page
    assert "Ответственные подразделения: ОК; ОР" in page


def test_officer_changes_and_clears_the_units(u):
    collective.assign_units(u.mtzm, [u.registry, u.staff], user=u.officer)
    assert collective.assign_units(u.mtzm, [u.staff, u.registry], user=u.officer) is False
    collective.assign_units(u.mtzm, [u.press], user=u.officer)
    assert u.named() == {u.press}
    assert u.mtzm not in access.my_items(u.registry_official)
    assert u.mtzm in access.my_items(u.press_official)
    collective.assign_units(u.mtzm, [], user=u.officer)
    assert u.named() == set()
    assert u.mtzm not in access.my_items(u.press_official)
    assert u.mtzm in access.my_items(u.officer)  # the officer answers for it again
    reasons = list(u.mtzm.history.values_list("history_change_reason", flat=True)[:3])
    assert reasons == [
        "Ответственные подразделения: не назначены",
        "Ответственные подразделения: ПС",
        "Ответственные подразделения: ОК; ОР",
    ]
    # the links replaced are kept in their history, with who removed them
    removed = ItemResponsible.history.filter(item_id=u.mtzm.pk, history_type="-")
    assert {r.organization_id for r in removed} == {u.registry.pk, u.staff.pk, u.press.pk}
    assert {r.history_user for r in removed} == {u.officer}


def test_another_authoritys_unit_is_refused(client, u):
    with pytest.raises(ValidationError) as refused:
        collective.assign_units(u.mtzm, [u.registry, u.mo_unit], user=u.officer)
    message = refused.value.messages[0]
    assert "только действующие подразделения органа власти «МТЗМ СО»" in message
    assert "ОО" in message
    client.force_login(u.officer)
    response = client.post(u.url, with_version(u.mtzm, units=[u.registry.pk, u.mo_unit.pk]))
    assert response.status_code == 400
    assert "только действующие подразделения органа власти «МТЗМ СО»" in response.content.decode()
    assert u.named() == set()
    # a unit closed before today is not offered and not accepted either
    u.press.valid_to = date(2024, 12, 31)
    u.press.save()
    with pytest.raises(ValidationError, match="только действующие"):
        collective.assign_units(u.mtzm, [u.press], user=u.officer)


def test_an_official_of_the_unit_sees_the_share_but_cannot_reassign_it(client, u):
    collective.assign_units(u.mtzm, [u.registry], user=u.officer)
    history = u.mtzm.history.count()
    client.force_login(u.registry_official)
    page = client.get(reverse("roadmaps:item_detail", args=[u.mtzm.pk]))
    assert page.status_code == 200
    assert not page.context["can_edit"] and not page.context["may_assign_units"]
    assert 'data-testid="assign-units"' not in page.content.decode()
    assert client.get(u.url).status_code == 403
    response = client.post(u.url, with_version(u.mtzm, units=[u.registry.pk, u.staff.pk]))
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        collective.assign_units(u.mtzm, [u.staff], user=u.registry_official)
    assert u.named() == {u.registry}
    assert u.mtzm.history.count() == history
    # the coordinator reads every share and distributes none of them inside an authority
    client.force_login(u.samara.coordinator)
    assert client.post(u.url, with_version(u.mtzm, units=[u.staff.pk])).status_code == 403
    assert u.named() == {u.registry}


def test_another_authority_cannot_open_the_form(client, u, world):
    for user in (world.city_officer, u.samara.mo_officer):
        client.force_login(user)
        assert client.get(u.url).status_code == 404
        assert client.post(u.url, with_version(u.mtzm, units=[u.registry.pk])).status_code == 404
        assert client.get(reverse("roadmaps:item_detail", args=[u.mtzm.pk])).status_code == 404
    assert u.named() == set()


def test_only_a_share_is_distributed_inside_an_authority(client, u, world):
    with pytest.raises(ValidationError, match="назначаются доле органа власти"):
        collective.assign_units(u.samara.measure, [u.registry], user=world.admin)
    client.force_login(world.admin)
    response = client.get(reverse("roadmaps:item_units", args=[u.samara.measure.pk]))
    assert response.status_code == 302  # back to the measure with the refusal


def test_a_stale_form_is_refused(client, u):
    client.force_login(u.officer)
    opened = with_version(u.mtzm, units=[u.registry.pk])
    collective.assign_units(u.mtzm, [u.staff], user=u.officer)
    assert client.post(u.url, opened).status_code == 409
    assert u.named() == {u.staff}


def test_an_act_amending_the_measure_keeps_the_units(u, today):
    from roadmaps.services import amendments
    from tests.roadmaps.conftest import make_act
    from tests.roadmaps.test_amendments import edit_of

    collective.assign_units(u.mtzm, [u.registry, u.staff], user=u.officer)
    measure = u.samara.measure
    text = "Во всех ОИВ СО утверждены и опубликованы реестры процессов"
    plan = amendments.plan_amendment(
        u.samara.plan,
        [edit_of(measure, text=text, deadline_text="31.03.2025", responsible_text="ОИВ СО")],
    )
    amendments.apply_amendment(plan, make_act("15-р", date(2025, 2, 1)), today=today)
    u.mtzm.refresh_from_db()
    assert (u.mtzm.text, u.mtzm.deadline_text) == (text, "31.03.2025")
    assert u.named() == {u.registry, u.staff}
    assert u.mtzm in access.my_items(u.registry_official)


def test_the_rollup_shows_each_authoritys_units(client, u):
    collective.assign_units(u.mtzm, [u.registry, u.staff], user=u.officer)
    client.force_login(u.samara.coordinator)
    url = reverse("roadmaps:item_shares", args=[u.samara.measure.pk])
    page = client.get(url)
    table = page.context["table"]
    units = {r.record.roadmap.owner.short_name: r.get_cell_value("units") for r in table.rows}
    assert units == {"МТЗМ СО": "ОК; ОР", "МСДСП СО": "", "МО СО": ""}
    assert "Ответственные подразделения" in page.content.decode()
    xlsx = b"".join(client.get(url, {"export": "xlsx"}).streaming_content)
    values = [[c.value for c in row] for row in load_workbook(BytesIO(xlsx)).active.iter_rows()]
    header = next(r for r in values if r and r[0] == "Орган власти")
    mtzm = next(r for r in values if r and r[0] == "МТЗМ СО")
    assert mtzm[header.index("Ответственные подразделения")] == "ОК; ОР"


def test_the_rollups_queries_do_not_grow_with_shares_and_units(
    client, u, django_assert_max_num_queries
):
    collective.assign_units(u.mtzm, [u.registry], user=u.officer)
    client.force_login(u.samara.coordinator)
    url = reverse("roadmaps:item_shares", args=[u.samara.measure.pk])
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    collective.assign_units(u.mtzm, [u.registry, u.staff, u.press], user=u.officer)
    mo_units = [make_org("unit", f"Отдел № {n} МО СО", u.samara.mo) for n in range(3)]
    collective.assign_units(u.mo, [u.mo_unit, *mo_units], user=u.samara.mo_officer)
    collective.split_measure(
        u.samara.measure, collective.candidates(u.samara.measure), user=u.samara.coordinator
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert len(page.context["table"].rows) == 9
