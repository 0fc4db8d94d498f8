"""portal.charts: a chart's table, its XLSX link and what it refuses."""

import pytest
from django.test import RequestFactory

from portal.charts import Chart, Series, figures_download, with_download
from portal.params import BadParameter


def chart(**extra):
    return Chart(
        key="states",
        title="Исполнение",
        category="Раздел",
        labels=["1.", "2."],
        series=[Series("исполнено", [1, 0]), Series("просрочено", [2, 3])],
        **extra,
    )


def test_a_stacked_chart_tables_its_parts_and_their_total():
    drawn = chart()
    assert drawn.header() == ["Раздел", "исполнено", "просрочено", "Всего"]
    assert drawn.rows() == [["1.", 1, 2, 3], ["2.", 0, 3, 3]]
    side_by_side = chart(stacked=False)
    assert side_by_side.header() == ["Раздел", "исполнено", "просрочено"]
    assert side_by_side.data()["series"][1] == {"label": "просрочено", "values": [2, 3], "css": ""}


def test_a_series_needs_a_value_per_label_and_a_known_kind():
    with pytest.raises(ValueError, match="a value per label"):
        Chart("k", "t", "c", ["a", "b"], [Series("s", [1])])
    with pytest.raises(ValueError, match="kind"):
        Chart("k", "t", "c", ["a"], [Series("s", [1])], kind="pie3d")


def test_the_xlsx_link_keeps_the_pages_query_but_not_its_page_or_export():
    request = RequestFactory().get("/x/", {"authority": "5", "page": "2", "export": "xlsx"})
    (drawn,) = with_download(request, chart())
    assert drawn.download_query == "authority=5&figures=states"
    with pytest.raises(BadParameter, match="Есть: states"):
        figures_download(RequestFactory().get("/x/", {"figures": "other"}), [drawn])


def test_the_figures_xlsx_holds_numbers_excel_can_sum(tmp_path):
    import openpyxl

    from portal.xlsx import write_table

    drawn = chart()
    path = str(tmp_path / "figures.xlsx")
    write_table(path, drawn.title, drawn.header(), drawn.rows())
    sheet = openpyxl.load_workbook(path).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Раздел", "исполнено", "просрочено", "Всего"],
        ["1.", 1, 2, 3],
        ["2.", 0, 3, 3],
    ]
    assert sheet["B2"].data_type == "n" and sheet["A2"].data_type == "s"
