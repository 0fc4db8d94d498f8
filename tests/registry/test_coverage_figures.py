"""The national catalogue coverage: stored figures per authority computed by a job, the page
that sums the ones the user sees, says when they were computed and queues a recomputation
when they are stale; one authority's page read live."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.models import Job, JobState
from portal.scoping import restrict
from registry.jobs import CATALOGUE_FIGURES
from registry.models import CatalogueFigures
from registry.services import campaigns as svc
from registry.services.figures import recompute_catalogue
from tests.conftest import World, make_authorities, make_org
from tests.portal.workers import run_worker

pytestmark = pytest.mark.django_db

URL = reverse("registry:coverage")


def xlsx_rows(response) -> list[tuple]:
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def test_stored_figures_are_what_each_authoritys_own_coverage_gives(world):
    more = make_authorities(world.region, 3, rows=3)
    assert recompute_catalogue() == 5
    for authority in [world.authority, world.city_authority, *more]:
        figures = CatalogueFigures.objects.get(authority=authority)
        live = svc.catalogue_coverage(authority)
        groups = svc.status_distribution(authority)
        assert (figures.typicals_covered, figures.typicals_total) == (
            live.typical_covered,
            live.typical_total,
        )
        assert figures.groups_total - figures.groups_covered == len(live.missing_groups)
        assert figures.rows == sum(g.total for g in groups)
        assert figures.rows == authority.processes.filter(is_excluded=False).count()
    assert CatalogueFigures.objects.get(authority=more[0]).reengineered == 1  # the 6.4 row
    recompute_catalogue()  # again: the same rows, updated in place
    assert CatalogueFigures.objects.count() == 5


def test_a_row_without_a_group_counts_in_the_authoritys_rows(world):
    from registry.models import Process

    ungrouped = Process.objects.filter(authority=world.authority, is_excluded=False).first()
    Process.objects.filter(pk=ungrouped.pk).update(
        group=None, typical_process=None, is_non_typical=True
    )
    recompute_catalogue()
    figures = CatalogueFigures.objects.get(authority=world.authority)
    assert figures.rows == world.authority.processes.filter(is_excluded=False).count()


def test_missing_figures_queue_one_recomputation_and_say_so(client, world):
    client.force_login(world.coordinator)
    page = client.get(URL)
    assert page.status_code == 200
    job = Job.objects.get(kind=CATALOGUE_FIGURES)
    assert (job.state, job.user) == (JobState.QUEUED, world.coordinator)
    body = page.content.decode()
    assert "Сведения еще не рассчитаны" in body and "Пересчет поставлен в очередь" in body
    again = client.get(URL).content.decode()
    assert Job.objects.filter(kind=CATALOGUE_FIGURES).count() == 1  # at most one at a time
    assert "Идет пересчет" in again and 'data-testid="recompute"' not in again


def test_fresh_figures_show_when_computed_and_stale_ones_are_recomputed(client, world, settings):
    recompute_catalogue()
    client.force_login(world.coordinator)
    page = client.get(URL)
    computed = timezone.localtime(CatalogueFigures.objects.first().computed_at)
    assert f"Рассчитано {computed:%d.%m.%Y} в {computed:%H:%M}" in page.content.decode()
    assert not Job.objects.exists()
    assert page.context["table"].paginator.count == 2
    CatalogueFigures.objects.update(
        computed_at=timezone.now() - timedelta(minutes=settings.FIGURES_STALE_MINUTES + 1)
    )
    assert "поставлен в очередь" in client.get(URL).content.decode()
    assert Job.objects.filter(kind=CATALOGUE_FIGURES).count() == 1
    make_org("authority", "Новое министерство", world.region)  # an authority with no figures
    Job.objects.update(state=JobState.DONE)
    recompute_catalogue()
    CatalogueFigures.objects.filter(authority__full_name="Новое министерство").delete()
    body = client.get(URL).content.decode()
    assert "Для органов власти (1) сведений еще нет" in body
    assert Job.objects.filter(kind=CATALOGUE_FIGURES, state=JobState.QUEUED).count() == 1


def test_totals_filters_and_export_give_what_is_listed(client, world):
    make_authorities(world.region, 2, rows=3)
    recompute_catalogue()
    client.force_login(world.coordinator)
    page = client.get(URL, {"region": world.region.pk})
    assert page.context["totals"]["authorities"] == 3  # the city is another root
    assert page.context["totals"]["rows"] == 2 + 3 + 3
    rows = xlsx_rows(client.get(URL, {"region": world.region.pk, "export": "xlsx"}))
    assert rows[0][0] == "Орган власти"
    names = {r[0] for r in rows[1:]}
    assert world.authority.full_name in names and world.city_authority.full_name not in names
    assert len(names) == 3
    named = client.get(URL, {"q": "Омска"}).context["table"]
    assert [r.record.authority for r in named.page.object_list] == [world.city_authority]


def test_an_officer_sees_his_own_authority_live_and_only_its_figures(client, world):
    recompute_catalogue()
    client.force_login(world.city_officer)
    page = client.get(URL)
    assert [c.authority for c in page.context["coverage"]] == [world.city_authority]
    assert "national" in page.context and not page.context["national"]
    assert not Job.objects.exists()  # one authority's page is read live
    assert set(restrict(CatalogueFigures, world.city_officer)) == {
        CatalogueFigures.objects.get(authority=world.city_authority)
    }
    assert client.post(reverse("registry:coverage_recompute")).status_code == 403


def test_a_coordinator_opens_one_authority_and_asks_for_a_recomputation(client, world):
    recompute_catalogue()
    client.force_login(world.coordinator)
    page = client.get(URL, {"authority": world.authority.pk})
    assert [c.authority for c in page.context["coverage"]] == [world.authority]
    assert 'data-testid="recompute"' in client.get(URL).content.decode()
    response = client.post(reverse("registry:coverage_recompute"), follow=True)
    assert Job.objects.get(kind=CATALOGUE_FIGURES).user == world.coordinator
    assert "Пересчет поставлен в очередь" in response.content.decode()
    client.post(reverse("registry:coverage_recompute"))
    assert Job.objects.filter(kind=CATALOGUE_FIGURES).count() == 1


def test_page_queries_do_not_grow_with_authorities(client, world):
    recompute_catalogue()
    client.force_login(world.coordinator)
    client.get(URL)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(URL)
        return len(ctx.captured_queries), page.context["table"].paginator.count

    with_two, listed = queries()
    make_authorities(world.region, 4)
    recompute_catalogue()
    assert queries() == (with_two, 6) and listed == 2


@pytest.mark.django_db(transaction=True)
def test_the_queued_job_computes_the_figures_the_page_then_shows(client):
    world = World()
    client.force_login(world.coordinator)
    client.get(URL)
    run_worker()
    job = Job.objects.get(kind=CATALOGUE_FIGURES)
    assert job.state == JobState.DONE, job.message
    assert (job.done, job.total) == (2, 2)
    page = client.get(URL)
    assert page.context["table"].paginator.count == 2
    assert "Рассчитано" in page.content.decode()
    assert Job.objects.filter(kind=CATALOGUE_FIGURES).count() == 1


def test_an_organization_no_longer_an_authority_is_neither_listed_nor_summed(client, world):
    from registry.models import Organization, OrganizationKind

    (former,) = make_authorities(world.region, 1, rows=3)
    recompute_catalogue()
    Organization.objects.filter(pk=former.pk).update(kind=OrganizationKind.UNIT)
    client.force_login(world.coordinator)
    page = client.get(URL, {"region": world.region.pk})
    assert former.full_name not in page.content.decode()
    assert page.context["totals"]["authorities"] == 1 and page.context["totals"]["rows"] == 2
    assert not page.context["freshness"].stale  # its old row does not hide a missing one
