"""Reading a page's charts back in tests: the json_script a chart is drawn from, the cells of
a table by its data-testid, and the rows of the figures' XLSX."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser

import openpyxl


def chart_data(html: str, key: str) -> dict:
    """The JSON charts.js draws the chart `key` from."""
    marker = f'<script id="chart-{key}-data" type="application/json">'
    start = html.index(marker) + len(marker)
    return json.loads(html[start : html.index("</script>", start)])


class _Cells(HTMLParser):
    def __init__(self, testid: str):
        super().__init__()
        self.testid, self.depth, self.rows, self.cell = testid, 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and (self.depth or dict(attrs).get("data-testid") == self.testid):
            self.depth += 1
        elif self.depth == 1 and tag == "tr":
            self.rows.append([])
        elif self.depth == 1 and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth == 1 and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_cells(html: str, testid: str) -> list[list[str]]:
    """The text of every cell of the table data-testid=`testid`, row by row (header first)."""
    parser = _Cells(testid)
    parser.feed(html)
    assert parser.rows, f"no table {testid!r}"
    return parser.rows


def xlsx_rows(response) -> list[tuple]:
    data = b"".join(response.streaming_content)
    return list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def as_text(rows) -> list[list[str]]:
    return [[str(v) for v in row] for row in rows]
