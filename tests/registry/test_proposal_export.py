"""The proposals list as XLSX: the rows the filtered list shows, in its columns; a draft stays
its author's, another authority's proposals are never in the file."""

import io

import openpyxl
import pytest
from django.urls import reverse

from registry.models import Proposal, ProposalState
from registry.services import proposals as svc
from tests.registry.test_proposal_pages import propose_new_row

pytestmark = pytest.mark.django_db
URL = reverse("registry:proposal_list")


def sheet_rows(response):
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


def test_export_has_the_filtered_proposals_only(client, world):
    propose_new_row(client, world, function_name="Первая функция")
    submitted = svc.submit(Proposal.objects.get(), world.official)
    propose_new_row(client, world, function_name="Вторая функция")  # a new draft
    client.force_login(world.official)
    rows = sheet_rows(client.get(URL, {"export": "xlsx"}))
    assert rows[0][:3] == ("№", "Орган власти", "Подразделение")
    assert {r[0] for r in rows[1:]} == {p.pk for p in Proposal.objects.all()}
    only = sheet_rows(client.get(URL, {"export": "xlsx", "state": ProposalState.SUBMITTED}))
    assert [r[0] for r in only[1:]] == [submitted.pk]
    client.force_login(world.officer)  # the draft is its author's
    assert [r[0] for r in sheet_rows(client.get(URL, {"export": "xlsx"}))[1:]] == [
        submitted.pk  # a number in the sheet (portal.xlsx.write_table)
    ]
    client.force_login(world.city_officer)
    assert sheet_rows(client.get(URL, {"export": "xlsx"}))[1:] == []
    page = client.get(URL).content.decode()
    assert 'data-testid="export-xlsx"' in page
