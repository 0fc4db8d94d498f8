"""One cell of a roadmap is at most 32 767 characters (Excel's limit): the amendment form, a
new edition's file and the import name the column and the line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portal.cells import CELL_MAX_CHARS
from roadmaps.models import RoadmapItem

from .conftest import OMSK
from .test_amend_page import rows_data, url

pytestmark = pytest.mark.django_db
LONG = "а" * (CELL_MAX_CHARS + 1)


def test_the_amendment_form_names_the_column(client, world, omsk):
    client.force_login(world.officer)
    data = {**rows_data(omsk, {"1.4.": {"text": LONG}}), "action": "preview"}
    response = client.post(url(omsk), data)
    assert response.status_code == 400
    assert "Графа «Мероприятие»: не более 32 767 знаков" in response.content.decode()


def test_the_amendment_file_and_the_import_name_the_column_and_line(client, world, omsk, tmp_path):
    lines = OMSK.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, start=1) if line.startswith("1.4.\t"))
    lines[number - 1] = lines[number - 1].replace("\t", "\t" + LONG, 1)
    edition = tmp_path / "редакция.txt"
    edition.write_text("\n".join(lines), encoding="utf-8")
    client.force_login(world.officer)
    with edition.open("rb") as fh:
        page = client.post(url(omsk), {**rows_data(omsk), "action": "load", "edition": fh})
    assert page.status_code == 400
    assert f"Графа 2 строки {number}: не более 32 767 знаков" in page.content.decode()
    items = RoadmapItem.objects.count()
    with pytest.raises(CommandError, match="ничего не записано"):
        call_command(
            "import_roadmap", str(edition), "--owner", "Главное управление", stdout=StringIO()
        )
    assert RoadmapItem.objects.count() == items
