"""portal.pagejobs: the page a list's or a report's job builds again in the task worker is
the asking user's page as it is when the job runs: his filters, his scope now."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from portal.pagejobs import page_params, rebuilt_page
from registry.models import User
from registry.views.processes import ProcessListView
from tests.roadmaps.conftest import make_item, make_roadmap

LIST = "registry.views.processes.ProcessListView"
REPORT = "roadmaps.views.reports.RoadmapReportView"


def job_of(user):
    """What the worker hands the job: its user read again from the database."""
    return SimpleNamespace(user=User.objects.get(pk=user.pk))


def listed(page) -> set:
    page.filterset = page.get_filterset()
    return set(page.get_object_list())


def test_the_page_asked_is_rebuilt_with_its_user_path_and_filters(world):
    path = reverse("registry:process_list")
    asked = RequestFactory().get(path, {"authority": world.authority.pk, "sort": "identifier"})
    asked.user = world.coordinator
    page = ProcessListView()
    page.setup(asked)

    params = page_params(page)
    rebuilt = rebuilt_page(job_of(world.coordinator), **params)

    assert params["view"] == LIST
    assert type(rebuilt) is ProcessListView
    assert rebuilt.request.user == world.coordinator
    assert (rebuilt.request.method, rebuilt.request.path) == ("GET", path)
    assert rebuilt.request.GET.dict() == {
        "authority": str(world.authority.pk),
        "sort": "identifier",
    }
    assert listed(rebuilt) == {world.own_row, world.other_unit_row}  # not the city's row


def test_the_job_reads_with_the_scope_the_user_has_when_it_runs(world):
    path = reverse("registry:process_list")
    assert listed(rebuilt_page(job_of(world.officer), view=LIST, path=path, query="")) == {
        world.own_row,
        world.other_unit_row,
    }
    world.officer.organization = world.city_authority  # moved after he asked
    world.officer.save()
    assert listed(rebuilt_page(job_of(world.officer), view=LIST, path=path, query="")) == {
        world.city_row
    }
    world.officer.is_active = False
    world.officer.save()
    assert listed(rebuilt_page(job_of(world.officer), view=LIST, path=path, query="")) == set()


def test_a_pages_own_arguments_come_back_and_a_record_out_of_reach_is_a_404(world):
    roadmap = make_roadmap(world.city_authority)
    make_item(roadmap)
    params = {"view": REPORT, "path": f"/roadmaps/{roadmap.pk}/report/", "query": ""}
    kwargs = {"pk": roadmap.pk}

    page = rebuilt_page(job_of(world.city_officer), **params, kwargs=kwargs)
    assert page.kwargs == kwargs
    assert page.report_size() == 1

    with pytest.raises(Http404):  # what his page answers: another authority's plan
        rebuilt_page(job_of(world.officer), **params, kwargs=kwargs).report_size()
