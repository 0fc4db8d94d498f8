"""Measures through the API: deadlines and evidence metadata; the status with its evidence
through roadmaps.services.items («Исполнено» needs the plan's document), in the history
with the token's user, a stale version refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from roadmaps.choices import ItemStatus
from roadmaps.models import Evidence
from tests.roadmaps.conftest import make_item, make_roadmap
from tests.roadmaps.test_evidence_files import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(world):
    return make_item(make_roadmap(world.authority))


def status_url(item):
    return f"/api/measures/{item.pk}/status/"


def test_measure_shows_its_deadline_and_evidence(world, as_user, item):
    Evidence.objects.create(item=item, document_type=item.document_type, number="5-р")
    body = as_user(world.official).get(f"/api/measures/{item.pk}/").json()
    assert body["deadline_date"] == "2025-01-31" and body["last_day"] == "2025-01-31"
    assert body["deadline_state"] in {"overdue", "done", "soon", "later", "no_deadline"}
    [evidence] = body["evidence"]
    assert evidence["number"] == "5-р" and evidence["file_url"] is None
    listed = as_user(world.official).get("/api/measures/", {"roadmap": item.roadmap_id}).json()
    assert [m["id"] for m in listed["results"]] == [item.pk]


def test_done_needs_evidence_and_takes_it_in_the_same_call(world, as_user, item):
    officer = as_user(world.officer)
    refused = officer.post(
        status_url(item), {"status": ItemStatus.DONE, "version": item.version}, format="json"
    )
    assert refused.status_code == 400
    assert "подтверждающего документа" in refused.json()["status"][0]
    done = officer.post(
        status_url(item),
        {
            "status": ItemStatus.DONE,
            "version": item.version,
            "evidence": {"number": "12-р", "date": "2025-01-20", "title": "Об утверждении"},
        },
        format="json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == ItemStatus.DONE
    evidence = Evidence.objects.get(item=item)
    assert evidence.added_by == world.officer and evidence.document_type == item.document_type
    record = item.history.first()
    assert record.history_user == world.officer and record.status == ItemStatus.DONE


def test_evidence_file_by_multipart(world, as_user, item):
    response = as_user(world.officer).post(
        status_url(item),
        {
            "status": ItemStatus.DONE,
            "version": item.version,
            "file": SimpleUploadedFile("распоряжение.pdf", pdf()),
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    [evidence] = response.json()["evidence"]
    assert evidence["file_name"] == "распоряжение.pdf"
    assert evidence["content_type"] == "application/pdf"
    assert evidence["file_url"].endswith(f"/roadmaps/evidence/{evidence['id']}/file/")


def test_stale_status_is_409_and_writes_nothing(world, as_user, item):
    officer = as_user(world.officer)
    first = officer.post(
        status_url(item), {"status": ItemStatus.IN_PROGRESS, "version": item.version}
    )
    assert first.status_code == 200
    stale = officer.post(
        status_url(item),
        {"status": ItemStatus.DONE, "version": item.version, "evidence": {"number": "1"}},
        format="json",
    )
    assert stale.status_code == 409
    assert stale.json()["version"] == item.version + 1
    assert not Evidence.objects.filter(item=item).exists()  # rolled back with the status
