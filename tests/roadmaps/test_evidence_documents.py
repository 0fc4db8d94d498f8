"""A measure whose plan names several documents (seed 000's 3.1.1 names two): each needs its
own evidence, the measure's page lists which are there, and evidence recorded for the whole
cell before (one record) still closes it."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from roadmaps.models import Evidence, ItemStatus
from roadmaps.models.items import split_documents
from roadmaps.services import items

from .test_evidence_files import media_root, pdf  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

ORDER = (
    "Распоряжение об утверждении порядка ведения перечня точек взаимодействия с клиентом в "
    "рамках предоставления услуг (сервисов)"
)
REPORT = (
    "Отчет о формировании перечня точек взаимодействия с клиентом в рамках предоставления "
    "услуг (сервисов)"
)


def test_cells_naming_several_documents_are_split_as_the_seeds_write_them():
    assert split_documents(f"{ORDER} {REPORT}") == [ORDER, REPORT]  # seed 000, 3.1.1
    samara = (  # seed 002, 6.1: "; отчет"
        "Приказ (распоряжение) об утверждении порядка ведения перечня точек взаимодействия с "
        "внутренним клиентом; отчет о формировании перечня точек взаимодействия с внутренним "
        "клиентом"
    )
    assert split_documents(samara) == [
        "Приказ (распоряжение) об утверждении порядка ведения перечня точек взаимодействия с "
        "внутренним клиентом",
        "Отчет о формировании перечня точек взаимодействия с внутренним клиентом",
    ]
    one = "Отчеты ОИВ СО об утверждении планов оптимизации государственных услуг"
    assert split_documents(one) == [one]
    assert split_documents("") == []


@pytest.fixture
def measure(omsk):
    item = omsk.items.get(number="3.1.1.")
    assert item.document_type == f"{ORDER} {REPORT}"
    return item


def test_each_named_document_is_needed_to_close_the_measure(world, measure):
    items.add_evidence(measure, user=world.officer, document_type=ORDER, number="15-р")
    with pytest.raises(ValidationError) as refused:
        items.set_status(measure, ItemStatus.DONE, user=world.officer)
    message = refused.value.message_dict["status"][0]
    assert f"без подтверждающего документа вида «{REPORT}»" in message
    assert ORDER not in message
    items.add_evidence(measure, user=world.officer, document_type=REPORT, title="Отчет")
    items.set_status(measure, ItemStatus.DONE, user=world.officer)
    measure.refresh_from_db()
    assert measure.status == ItemStatus.DONE
    assert measure.evidence.count() == 2


def test_without_any_both_documents_are_named(measure):
    assert measure.missing_documents() == [ORDER, REPORT]
    assert f"«{ORDER}», «{REPORT}»" in measure.done_refusal()


def test_evidence_of_the_whole_cell_recorded_before_still_closes_it(world, measure):
    Evidence.objects.create(item=measure, document_type=measure.document_type, number="3-р")
    assert measure.missing_documents() == []
    items.set_status(measure, ItemStatus.DONE, user=world.officer)


def test_page_lists_the_named_documents_and_takes_a_file_for_each(
    client,
    world,
    measure,
    media_root,  # noqa: F811 - the fixture
):
    client.force_login(world.officer)
    page_url = reverse("roadmaps:item_detail", args=[measure.pk])
    page = client.get(page_url).content.decode()
    assert 'data-testid="named-documents"' in page
    assert f'<option value="{REPORT}">' in page  # offered by name
    field = re.search(r'<input[^>]*name="document_type"[^>]*>', page).group()
    assert f'value="{ORDER}"' in field  # the form starts with the first missing one
    for kind, name in ((ORDER, "Распоряжение.pdf"), (REPORT, "Отчет.pdf")):
        answer = client.post(
            reverse("roadmaps:item_evidence", args=[measure.pk]),
            {"document_type": kind, "file": SimpleUploadedFile(name, pdf())},
        )
        assert answer.status_code == 302
    files = list(measure.evidence.order_by("pk").values_list("document_type", "file_name"))
    assert files == [(ORDER, "Распоряжение.pdf"), (REPORT, "Отчет.pdf")]
    page = client.get(page_url).content.decode()
    assert page.count('<span class="text-success">есть</span>') == 2
    for evidence in measure.evidence.all():
        assert reverse("roadmaps:evidence_file", args=[evidence.pk]) in page
