"""The reader's own limits, beyond what the pre-scan refuses."""

import pytest

from portal.spreadsheets.reader import SpreadsheetError, read_spreadsheet
from tests.hostile_files import plain_rows


def test_the_memory_limit_ends_the_reader_at_once_and_says_so(settings, monkeypatch):
    # With RUST_BACKTRACE=1 the child hung printing a backtrace at the allocation failure
    # instead of aborting: the refusal came only from the clock, in other words.
    monkeypatch.setenv("RUST_BACKTRACE", "1")
    settings.SPREADSHEET_READER_MEMORY_BYTES = 150 * 1024 * 1024
    settings.SPREADSHEET_READER_SECONDS = 60
    with pytest.raises(SpreadsheetError, match="при чтении он занимает слишком много памяти"):
        read_spreadsheet(plain_rows(50_000), "реестр.xlsx", max_rows=50_000)


def test_the_text_returned_is_bounded(settings):
    settings.SPREADSHEET_MAX_TEXT_CHARS = 100_000
    with pytest.raises(SpreadsheetError, match="больше 100 000 знаков текста"):
        read_spreadsheet(plain_rows(1_000), "реестр.xlsx", max_rows=50_000)
    assert len(read_spreadsheet(plain_rows(10), "реестр.xlsx", max_rows=50_000)[0].grid) == 10


def test_a_text_table_is_held_to_the_same_limits(settings):
    from roadmaps.services.reader import rows_from_text

    settings.ROADMAP_IMPORT_MAX_ROWS = 100
    with pytest.raises(SpreadsheetError, match=r"В файле \(«план.txt»\) больше 100 строк"):
        rows_from_text(b"1.\tx\n" * 101, "план.txt")
    assert len(rows_from_text(b"1.\tx\n" * 100, "план.txt")) == 100
    with pytest.raises(SpreadsheetError, match="65 столбцов, допускается не более 64"):
        rows_from_text(("\t" * 64).encode(), "план.txt")
    (row,) = rows_from_text(("1.\t" + "я" * 40_000).encode(), "план.txt")
    assert row.long == {1: 40_000} and len(row.cells[1]) == 32_767
    settings.REGISTRY_IMPORT_MAX_BYTES = 1000
    with pytest.raises(SpreadsheetError, match="Файл слишком большой"):
        rows_from_text(b"x" * 1001, "план.txt")


def test_the_child_gets_no_secret_and_answers_json(monkeypatch):
    from portal.spreadsheets import reader

    monkeypatch.setenv("DJANGO_SECRET_KEY", "секрет")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@h/db")
    env = reader.child_environment()
    assert "DJANGO_SECRET_KEY" not in env and "DATABASE_URL" not in env
    assert env["RUST_BACKTRACE"] == "0"
    seen = {}
    real_popen = reader.subprocess.Popen

    def popen(*args, **kwargs):
        seen["env"] = kwargs["env"]
        return real_popen(*args, **kwargs)

    monkeypatch.setattr(reader.subprocess, "Popen", popen)
    (sheet,) = read_spreadsheet(plain_rows(3), "реестр.xlsx", max_rows=50_000)
    assert "DATABASE_URL" not in seen["env"]
    assert sheet.grid[2][0] == "Ячейка 1 строки 3: текст графы реестра"
