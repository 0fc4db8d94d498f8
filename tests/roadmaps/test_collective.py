"""Collective measures (issue 15, point 2): seed 002's measures addressed to «ОИВ СО» split
into one task per authority, rolled up for the coordinator; each authority sees its own share."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from registry.models import Organization, Role
from roadmaps.models import ItemStatus, Roadmap, RoadmapItem
from roadmaps.services import access, collective
from roadmaps.services import items as item_service
from roadmaps.services.demo import load_collective_demo, load_seed_roadmaps
from roadmaps.services.tasks import roadmap_tasks
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SAMARA_AUTHORITIES = 9  # fixtures/roadmaps/roadmaps.json: the bodies seed 002 names


class Samara:
    def __init__(self, world):
        load_seed_roadmaps()
        self.plan = Roadmap.objects.get(owner__full_name="Самарская область")
        self.measure = self.plan.items.get(number="3.5.")
        named = Organization.objects.authorities().filter(parent=self.plan.owner)
        self.mtzm, self.msdsp, self.mo = (
            named.get(short_name=name) for name in ("МТЗМ СО", "МСДСП СО", "МО СО")
        )
        self.mtzm_officer = make_user("mtzm_officer", Role.AUTHORIZED_OFFICER, self.mtzm)
        self.mo_officer = make_user("mo_officer", Role.AUTHORIZED_OFFICER, self.mo)
        self.coordinator = world.coordinator

    def split(self):
        return collective.split_measure(
            self.measure, [self.mtzm, self.msdsp, self.mo], user=self.coordinator
        )


@pytest.fixture
def samara(world, today):
    return Samara(world)


def test_the_seeds_measures_addressed_to_every_executive_body(samara):
    assert samara.measure.text == "Во всех ОИВ СО утверждены реестры процессов"
    assert collective.addressee(samara.measure) == "ОИВ СО"
    hr = samara.plan.items.get(number="5.1.")
    assert collective.addressee(hr) == "ОИВ СО, имеющие собственную кадровую службу"
    # 1.4 names them by the words the abbreviation stands for
    assert collective.addressee(samara.plan.items.get(number="1.4.")) == (
        "органы исполнительной власти Самарской области"
    )
    # «АГ СО» alone is one authority, not a collective addressee
    assert collective.addressee(samara.plan.items.get(number="1.1.")) == ""
    assert collective.candidates(samara.measure).count() == SAMARA_AUTHORITIES


def test_split_gives_each_authority_its_own_task(samara):
    shares = samara.split()
    assert [s.roadmap.owner for s in shares] == [samara.mtzm, samara.msdsp, samara.mo]
    for share in shares:
        assert share.share_of == samara.measure
        assert share.text == "Во всех ОИВ СО утверждены реестры процессов"
        assert share.deadline_text == "22.12.2023"
        assert share.document_type == "Отчет об утверждении реестров процессов"
        assert share.status == ItemStatus.PLANNED
        assert [r.organization for r in share.responsibles.all()] == [share.roadmap.owner]
        assert share.roadmap.collective_of == samara.plan
        assert share.parent.text == "Координация внедрения клиентоцентричности в ОИВ СО"
        assert share.history.get().history_change_reason == (
            f"Доля органа власти в мероприятии 3.5. плана «{samara.plan}»"
        )
    # the measure itself is as it was, and the authorities left get theirs later
    samara.measure.refresh_from_db()
    assert samara.measure.status == ItemStatus.PLANNED
    assert collective.candidates(samara.measure).count() == SAMARA_AUTHORITIES - 3
    more = collective.split_measure(
        samara.plan.items.get(number="3.7."), [samara.mtzm], user=samara.coordinator
    )
    assert more[0].roadmap == shares[0].roadmap  # one share plan per authority and plan


def test_split_refusals(samara, world):
    with pytest.raises(PermissionDenied):
        collective.split_measure(samara.measure, [samara.mtzm], user=samara.mtzm_officer)
    with pytest.raises(ValidationError, match="вне региона плана"):
        collective.split_measure(samara.measure, [world.authority], user=world.admin)
    share = samara.split()[0]
    with pytest.raises(ValidationError, match="уже есть"):
        collective.split_measure(samara.measure, [samara.mtzm], user=samara.coordinator)
    with pytest.raises(ValidationError, match="уже доля"):
        collective.split_measure(share, [samara.mo], user=samara.coordinator)
    typical = Roadmap.objects.get(is_template=True).items.get(number="3.1.2.")
    with pytest.raises(ValidationError, match="типового плана"):
        collective.split_measure(typical, [samara.mo], user=world.admin)
    assert RoadmapItem.objects.filter(share_of__isnull=False).count() == 3


def progress(samara, act=None):
    """МТЗМ СО done with its act, МСДСП СО in progress, МО СО not started: 22.12.2023 is
    past on TODAY, so the two are late. `act`: the act the statuses were set by."""
    done, started, planned = samara.split()
    item_service.add_evidence(done, number="112-р", title="Об утверждении реестра процессов")
    item_service.set_status(done, ItemStatus.DONE, act=act)
    item_service.set_status(started, ItemStatus.IN_PROGRESS, act=act)
    return done, started, planned


def test_rollup_for_the_coordinator(samara, today):
    done, started, planned = progress(samara)
    rollup = collective.rollup(samara.measure, samara.coordinator, today)
    assert (rollup.done, rollup.total, rollup.summary.overdue) == (1, 3, 2)
    assert {o.short_name for o in rollup.late} == {"МСДСП СО", "МО СО"}
    assert rollup.pending == SAMARA_AUTHORITIES - 3
    # a measure nobody shares has no roll-up
    assert collective.rollup(samara.plan.items.get(number="3.7."), samara.coordinator) is None


def test_rollup_page_and_its_xlsx(client, samara):
    progress(samara)
    client.force_login(samara.coordinator)
    url = reverse("roadmaps:item_shares", args=[samara.measure.pk])
    page = client.get(url)
    text = page.content.decode()
    assert "Исполнили 1 из 3, просрочено 2" in text
    assert "Просрочили: " in text
    rows = [r.record for r in page.context["table"].rows]
    assert [r.roadmap.owner.short_name for r in rows[:2]] == ["МСДСП СО", "МО СО"] or [
        r.roadmap.owner.short_name for r in rows[:2]
    ] == ["МО СО", "МСДСП СО"]  # both late since the same day: the plan decides
    assert rows[2].roadmap.owner == samara.mtzm
    xlsx = b"".join(client.get(url, {"export": "xlsx"}).streaming_content)
    sheet = load_workbook(BytesIO(xlsx)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in values if r and r[0] == "Орган власти")
    body = values[values.index(header) + 1 :]
    assert len(body) == 3
    mtzm = next(r for r in body if r[0] == "МТЗМ СО")
    assert "112-р" in mtzm[header.index("Подтверждающие документы")]
    assert mtzm[header.index("Исполнение")] == "исполнено"
    # the measure's own page says it too
    detail = client.get(reverse("roadmaps:item_detail", args=[samara.measure.pk])).content
    assert "Исполнение органами власти: исполнили 1 из 3, просрочено 2." in detail.decode()


def test_each_authority_sees_and_reports_only_its_own_share(client, samara, today):
    done, started, planned = progress(samara)
    officer = samara.mo_officer
    # his share, beside the measures of Samara's plan that name «МО СО» itself (2.1 …)
    mine = access.my_items(officer)
    assert list(mine.filter(share_of__isnull=False)) == [planned]
    urls = [t.url for t in roadmap_tasks(officer, today)]
    assert reverse("roadmaps:item_detail", args=[planned.pk]) in urls
    assert reverse("roadmaps:item_detail", args=[started.pk]) not in urls
    client.force_login(officer)
    listed = [r.record for r in client.get(reverse("roadmaps:mine")).context["table"].rows]
    assert planned in listed and started not in listed and done not in listed
    board = client.get(reverse("roadmaps:deadlines")).context["table"]
    assert planned in [r.record for r in board.rows]
    assert done not in [r.record for r in board.rows]
    # another authority's share, its evidence and its file do not exist for him
    assert client.get(reverse("roadmaps:item_detail", args=[done.pk])).status_code == 404
    evidence = done.evidence.get()
    assert client.get(reverse("roadmaps:evidence_file", args=[evidence.pk])).status_code == 404
    assert client.post(
        reverse("roadmaps:item_status", args=[done.pk]), {"status": "planned"}
    ).status_code == (404)
    # the roll-up shows him his own row only, and he splits nothing
    shares = client.get(reverse("roadmaps:item_shares", args=[samara.measure.pk]))
    assert [r.record for r in shares.context["table"].rows] == [planned]
    assert "МТЗМ СО" not in shares.content.decode()
    assert client.get(reverse("roadmaps:item_split", args=[samara.measure.pk])).status_code == 403
    # he reports his share like any measure of his plans
    page = client.get(reverse("roadmaps:item_detail", args=[planned.pk]))
    assert page.context["can_edit"] and 'data-testid="share-of"' in page.content.decode()


def test_coordinator_splits_on_the_page(client, samara, world):
    url = reverse("roadmaps:item_split", args=[samara.measure.pk])
    client.force_login(samara.coordinator)
    detail = client.get(reverse("roadmaps:item_detail", args=[samara.measure.pk]))
    assert "распределить по органам власти" in detail.content.decode()
    form = client.get(url).context["form"]
    assert len(form.fields["authorities"].queryset) == SAMARA_AUTHORITIES
    assert len(form.initial["authorities"]) == SAMARA_AUTHORITIES  # «все ОИВ СО»
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert "Выберите органы власти" in refused.content.decode()
    response = client.post(url, {"authorities": [samara.mtzm.pk, samara.mo.pk]})
    assert response.status_code == 302
    assert response["Location"] == reverse("roadmaps:item_shares", args=[samara.measure.pk])
    assert samara.measure.shares.count() == 2
    client.force_login(world.officer)  # Omsk's officer does not read Samara's plan
    assert client.get(url).status_code == 404


def test_demo_collective_measure(samara, world):
    shares = load_collective_demo(world.coordinator)
    states = {s.roadmap.owner.short_name: s.status for s in shares}
    assert states == {
        "МТЗМ СО": ItemStatus.DONE,
        "МСДСП СО": ItemStatus.IN_PROGRESS,
        "МО СО": ItemStatus.PLANNED,
    }
    assert load_collective_demo(world.coordinator) == shares  # a second run adds nothing


def test_an_act_amending_the_measure_reaches_its_shares(samara, today):
    from datetime import date

    from roadmaps.services import amendments
    from tests.roadmaps.conftest import make_act
    from tests.roadmaps.test_amendments import edit_of

    done, started, planned = progress(samara)
    text = "Во всех ОИВ СО утверждены и опубликованы реестры процессов"
    plan = amendments.plan_amendment(
        samara.plan, [edit_of(samara.measure, text=text, deadline_text="31.03.2025")]
    )
    act = make_act("15-р", date(2025, 2, 1))
    amendments.apply_amendment(plan, act, today=today)
    for share in (done, started, planned):
        share.refresh_from_db()
        assert share.text == text
        assert share.history.first().legal_act == act
    assert (planned.deadline_text, planned.status) == ("31.03.2025", ItemStatus.PLANNED)
    assert done.status == ItemStatus.DONE  # its evidence stays what closed it
    # dropped by a later act: the open shares are dropped with it, the done one stays done
    samara.measure.refresh_from_db()
    plan = amendments.plan_amendment(samara.plan, [edit_of(samara.measure, cancel=True)])
    amendments.apply_amendment(plan, make_act("16-р", date(2025, 2, 20)), today=today)
    statuses = [s.status for s in samara.measure.shares.order_by("roadmap_id")]
    assert statuses == [ItemStatus.DONE, ItemStatus.CANCELLED, ItemStatus.CANCELLED]


def _board_total(client):
    counts = client.get(reverse("roadmaps:deadlines")).context["counts"]
    return sum(count for _, count, _ in counts)


def test_the_board_counts_a_split_measure_once_by_its_shares(client, samara, today):
    """A coordinator's totals: a split measure is done by its shares, so the board counts the
    shares and not the measure too; a typical plan's items are nobody's task."""
    client.force_login(samara.coordinator)
    before = _board_total(client)
    done, started, planned = progress(samara)
    assert _board_total(client) == before - 1 + 3
    page = client.get(reverse("roadmaps:deadlines"), {"per_page": 500})
    listed = {r.record.pk for r in page.context["table"].rows}
    assert samara.measure.pk not in listed
    assert {done.pk, started.pk, planned.pk} <= listed
    typical = RoadmapItem.objects.filter(roadmap__is_template=True, is_section=False)
    assert typical.exists() and not listed & set(typical.values_list("pk", flat=True))
    summary = page.context["view"].summary
    assert sum(count for _, count in summary.counts) == len(listed)


def test_the_execution_report_reads_a_split_measure_by_its_shares(samara, today):
    """The region's plan's row of a split measure is its roll-up, not a late measure of its
    own: the authorities' sections carry the lateness (counted once)."""
    from datetime import date

    from roadmaps.services.execution import Quarter, execution_report
    from tests.roadmaps.conftest import make_act

    # the report is of TODAY: the statuses set by then (a state saved without an act takes
    # effect on the real day it is saved)
    progress(samara, act=make_act("7-р", date(2025, 2, 10)))
    report = execution_report(samara.plan.items.all(), Quarter.of(today), "Отчет", today)
    [section] = report.sections
    row = next(r for r in section.rows if r[0] == "3.5.")
    assert row[5] == "распределено по органам власти: исполнили 1 из 3"
    assert row[8] == ""
    shares = RoadmapItem.objects.filter(share_of=samara.measure)
    shared = execution_report(shares, Quarter.of(today), "Отчет", today)
    late = [r[8] for s in shared.sections for r in s.rows if not r[1].startswith("Координация")]
    assert len([n for n in late if n != "" and n > 0]) >= 2  # МСДСП СО and МО СО at least


def test_the_execution_report_reads_the_shares_as_of_its_day(samara, today):
    """МТЗМ СО's share was done by an act of 10.02.2025: in the report of the 4th quarter of
    2024 its own row is not done, and neither does the measure's roll-up count it."""
    from datetime import date

    from roadmaps.services.execution import Quarter, execution_report
    from tests.roadmaps.conftest import make_act

    done, _, _ = samara.split()
    item_service.add_evidence(done, number="112-р", title="Об утверждении реестра процессов")
    item_service.set_status(done, ItemStatus.DONE, act=make_act("7-р", date(2025, 2, 10)))
    report = execution_report(samara.plan.items.all(), Quarter(2024, 4), "Отчет", today)
    row = next(r for r in report.sections[0].rows if r[0] == "3.5.")
    assert row[5] == "распределено по органам власти: исполнили 0 из 3"
    later = execution_report(samara.plan.items.all(), Quarter(2025, 1), "Отчет", today)
    row = next(r for r in later.sections[0].rows if r[0] == "3.5.")
    assert row[5] == "распределено по органам власти: исполнили 1 из 3"
