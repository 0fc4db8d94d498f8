"""The one reader of spreadsheets (XLSX, XLS) for every upload and command.

The container is checked here (size, type, password, declared unpacked size), then the child
process of `worker.py` parses it under memory, CPU and wall-time limits and returns at most
`SPREADSHEET_MAX_TEXT_CHARS` of text, each cell cut to `CELL_MAX_CHARS` (the cut cells are
listed, so the caller can name them). Every failure is a `SpreadsheetError` whose message is
one Russian sentence naming the file and what to do; no library text reaches a person.
"""

from __future__ import annotations

import io
import json
import logging
import os
import selectors
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from portal.archives import ArchiveRefused, open_zip
from portal.cells import CELL_MAX_CHARS, number
from portal.spreadsheets.worker import ARCHIVE_CODES, NO_RATIO, too_compressed

PROJECT_ROOT = Path(__file__).resolve().parents[2]
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# An encrypted XLSX is an OLE container with these streams instead of a zip archive.
ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
MB = 1024 * 1024
MAX_MERGED_RANGES = 10_000
logger = logging.getLogger(__name__)


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read; the message says why and what to do, in Russian."""


@dataclass
class Sheet:
    name: str
    grid: list[list[str]]  # rows as the sheet numbers them from 0; trailing empty cells cut
    typed: list[tuple[int, int]] = field(default_factory=list)  # fractions and dates
    long: list[tuple[int, int, int]] = field(default_factory=list)  # (row, col, full length)
    merged: list = field(default_factory=list)


def limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _where(file_name: str | None) -> str:
    return f" («{file_name}»)" if file_name else ""


def read_file(path: str | os.PathLike) -> bytes:
    """A file given to a command, its size checked before it is read (a 10 GB file named by
    mistake is not read into memory); a missing or unreadable path is a Russian sentence."""
    path = Path(path)
    where = _where(path.name)
    max_bytes = limit("REGISTRY_IMPORT_MAX_BYTES", 20 * MB)
    try:
        size = os.stat(path).st_size
        if not path.is_file():
            raise SpreadsheetError(f"Это не файл{where}: укажите путь к таблице.")
        if size > max_bytes:
            raise SpreadsheetError(
                f"Файл слишком большой{where}: {size / MB:.1f} МБ, "
                f"допускается не более {max_bytes / MB:.0f} МБ."
            )
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    except FileNotFoundError as error:
        raise SpreadsheetError(f"Файл {path} не найден.") from error
    except OSError as error:
        raise SpreadsheetError(
            f"Файл не читается{where}: нет доступа или это не обычный файл. Проверьте путь и "
            "права на файл."
        ) from error
    if len(data) > max_bytes:  # it grew while being read
        raise SpreadsheetError(
            f"Файл слишком большой{where}: допускается не более {max_bytes / MB:.0f} МБ."
        )
    return data


def within_upload_limit(upload):
    """An uploaded spreadsheet no larger than REGISTRY_IMPORT_MAX_BYTES, or a form error
    (before the upload is read into memory)."""
    from django.core.exceptions import ValidationError

    max_bytes = limit("REGISTRY_IMPORT_MAX_BYTES", 20 * MB)
    if upload.size > max_bytes:
        raise ValidationError(
            f"Файл слишком большой: {upload.size / MB:.1f} МБ, "
            f"допускается не более {max_bytes / MB:.0f} МБ."
        )
    return upload


def check_container(data: bytes, file_name: str | None = None) -> None:
    """Size, format, password and declared zip size, before any library opens the file."""
    where = _where(file_name)
    max_bytes = limit("REGISTRY_IMPORT_MAX_BYTES", 20 * MB)
    if not data:
        raise SpreadsheetError(f"Файл пустой{where}.")
    if len(data) > max_bytes:
        raise SpreadsheetError(
            f"Файл слишком большой{where}: {len(data) / MB:.1f} МБ, "
            f"допускается не более {max_bytes / MB:.0f} МБ."
        )
    if data.startswith(OLE_MAGIC):
        if any(marker in data for marker in ENCRYPTED_MARKERS):
            raise SpreadsheetError(
                f"Файл защищен паролем{where}. Снимите пароль в табличном редакторе и "
                "загрузите снова."
            )
        return  # legacy XLS
    if not data.startswith(ZIP_MAGIC):
        raise SpreadsheetError(_message("other_format", where, {}))
    max_unpacked = limit("REGISTRY_IMPORT_MAX_UNPACKED_BYTES", 200 * MB)
    try:
        # The end record first (400 000 entries cost 160 MB and 5 s to list), then the
        # directory; every error zipfile raises is a refusal, never a server error.
        with open_zip(io.BytesIO(data), max_ratio=NO_RATIO) as archive:
            members = archive.infolist()
    except ArchiveRefused as refused:
        raise SpreadsheetError(_message(ARCHIVE_CODES[refused.code], where, {})) from refused
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_unpacked or too_compressed(unpacked, len(data)):  # the one ratio rule
        raise SpreadsheetError(
            f"Файл отклонен{where}: в распакованном виде он занимает {unpacked / MB:.0f} МБ — "
            "так выглядит «zip-бомба», а не таблица."
        )
    names = {member.filename for member in members}
    check_xlsx_names(names, where)


def check_xlsx_names(names: set[str], where: str) -> None:
    """An XLSX has a content-types part and a workbook; ODS and XLSB are ZIP archives too."""
    if "mimetype" in names or "xl/workbook.bin" in names:
        raise SpreadsheetError(_message("other_format", where, {}))
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise SpreadsheetError(_message("not_xlsx_zip", where, {}))


def _message(code: str, where: str, answer: dict, max_rows: int = 0, max_columns: int = 0):
    """The child's answer code as one Russian sentence."""
    resave = (
        "Откройте файл в табличном редакторе, сохраните его заново в формате XLSX и "
        "загрузите снова."
    )
    if code == "other_format":
        return (
            f"Файл не является электронной таблицей XLSX или XLS{where}. "
            "Сохраните таблицу в формате XLSX и загрузите снова."
        )
    if code == "entries":
        return (
            f"Файл отклонен{where}: в архиве XLSX слишком много частей или слишком большое "
            f"оглавление — так устроены файлы, раздувающие память, а не таблицы. {resave}"
        )
    if code == "cells":
        return (
            f"Файл отклонен{where}: его листы вместе объявляют больше "
            f"{number(answer.get('cells', 0))} ячеек (лист «{answer.get('sheet', '')}» и "
            "предыдущие). Удалите лишние листы, строки и столбцы или скопируйте таблицу на "
            "новый лист и сохраните файл заново."
        )
    if code == "merged":
        return (
            f"Файл отклонен{where}: на листе «{answer.get('sheet', '')}» "
            f"{number(answer.get('ranges', 0))} объединенных диапазонов ячеек или они "
            "перекрываются далеко за пределами листа. Снимите объединение ячеек и сохраните "
            "файл заново."
        )
    if code == "corrupt_zip":
        return f"Файл XLSX поврежден: архив не читается{where}. {resave}"
    if code == "not_xlsx_zip":
        return f"Файл не является таблицей XLSX (это другой ZIP-архив){where}."
    if code == "password":
        return (
            f"Файл защищен паролем{where}. Снимите пароль в табличном редакторе и загрузите снова."
        )
    if code == "unpacked":
        max_unpacked = limit("REGISTRY_IMPORT_MAX_UNPACKED_BYTES", 200 * MB)
        return (
            f"Файл отклонен{where}: в распакованном виде он занимает больше "
            f"{max_unpacked / MB:.0f} МБ — так выглядит «zip-бомба», а не таблица."
        )
    if code == "dtd":
        return (
            f"Файл поврежден{where}: в нем есть объявления сущностей XML, которых в таблицах "
            f"не бывает (так устроены файлы, раздувающие память). {resave}"
        )
    if code == "declared":
        sheet = f" «{answer['sheet']}»" if answer.get("sheet") else " таблицы"
        return (
            f"Лист{sheet}{where} слишком большой: в нем есть ячейки до {answer['cell']} "
            f"(строка {number(answer['rows'])}, столбец {number(answer['columns'])}), "
            f"а допускается не более {number(max_rows)} строк и {number(max_columns)} столбцов "
            "(такой лист при чтении занимает слишком много памяти). Удалите лишние строки и "
            "столбцы или скопируйте таблицу на новый лист и сохраните файл заново."
        )
    if code == "text":
        budget = limit("SPREADSHEET_MAX_TEXT_CHARS", 50_000_000)
        return (
            f"В таблице{where} больше {number(budget)} знаков текста — столько не бывает в "
            "реестре или плане. Проверьте, что выбран нужный файл, или разделите таблицу "
            "на несколько файлов."
        )
    if code == "memory":
        return (
            f"Файл отклонен{where}: при чтении он занимает слишком много памяти (листы "
            "объявляют ячейки далеко за пределами таблицы). Скопируйте таблицу на новый лист "
            "и сохраните файл заново."
        )
    if code == "timeout":
        seconds = limit("SPREADSHEET_READER_SECONDS", 20)
        return (
            f"Файл читается слишком долго{where} (больше {seconds} с). Проверьте, что выбран "
            "нужный файл, или разделите таблицу на несколько файлов."
        )
    return f"Файл поврежден или не является таблицей XLSX или XLS{where}: он не читается. {resave}"


def read_spreadsheet(
    data: bytes,
    file_name: str | None = None,
    *,
    max_rows: int,
    max_columns: int = 64,
    row_allowance: int = 0,
    fill_merged: bool = False,
) -> list[Sheet]:
    """Every sheet of the file, read in the limited child process.

    `max_rows` is the limit the message names; `row_allowance` more rows are let through for
    title rows above the table (the caller counts its own rows). With `fill_merged` a merged
    cell's value is copied to every empty cell of its range, in the child."""
    where = _where(file_name)
    check_container(data, file_name)
    limits = {
        "max_rows": max_rows + row_allowance,
        "max_columns": max_columns,
        "max_cell": CELL_MAX_CHARS,
        "max_text": limit("SPREADSHEET_MAX_TEXT_CHARS", 50_000_000),
        "max_unpacked": limit("REGISTRY_IMPORT_MAX_UNPACKED_BYTES", 200 * MB),
        "memory": limit("SPREADSHEET_READER_MEMORY_BYTES", 1024 * MB),
        "seconds": limit("SPREADSHEET_READER_SECONDS", 20),
        "max_cells": limit("SPREADSHEET_MAX_CELLS", 4_000_000),
        "max_merged": MAX_MERGED_RANGES,
        "fill_merged": fill_merged,
    }
    started = time.monotonic()
    answer = _run_child(data, limits)
    logger.info(
        "spreadsheet %s: %d bytes, %.2f s, reader peak %d MB, %s",
        file_name or "-",
        len(data),
        time.monotonic() - started,
        answer.get("peak_kb", 0) // 1024,
        answer.get("error", "read"),
    )
    if "error" in answer:
        raise SpreadsheetError(_message(answer["error"], where, answer, max_rows, max_columns))
    return [Sheet(**sheet) for sheet in answer["sheets"]]


def _max_output(limits: dict) -> int:
    # JSON of the text (ensure_ascii off: up to 3 bytes a character of the BMP, escapes are
    # rare) plus a few bytes of framing per cell of the declared rectangle.
    return 3 * limits["max_text"] + 4 * limits["max_cells"] + MB


CHILD_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR")


def child_environment() -> dict[str, str]:
    """Only what the child needs: no SECRET_KEY, DATABASE_URL or other secret of the portal."""
    env = {name: os.environ[name] for name in CHILD_ENVIRONMENT if name in os.environ}
    # A Rust backtrace printed at an allocation failure hangs the child instead of letting
    # it abort (seen with RUST_BACKTRACE=1): the limit must end it at once.
    # No PYTHONPATH: the child runs with -E from the project's root, which -m puts on the path.
    env.update(RUST_BACKTRACE="0", RUST_LIB_BACKTRACE="0")
    return env


def _run_child(data: bytes, limits: dict) -> dict:
    """The child's answer; its own failures (killed by a limit) become error codes."""
    timeout = limits["seconds"] + 5  # CPU seconds in the child; the wall clock a little more
    max_output = _max_output(limits)
    with tempfile.TemporaryFile() as source, tempfile.TemporaryFile() as errors:
        source.write(data)
        source.seek(0)
        process = subprocess.Popen(
            [sys.executable, "-E", "-s", "-m", "portal.spreadsheets.worker", json.dumps(limits)],
            stdin=source,
            stdout=subprocess.PIPE,
            stderr=errors,
            cwd=PROJECT_ROOT,
            env=child_environment(),
        )
        received = bytearray()
        deadline = time.monotonic() + timeout
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(process.stdout, selectors.EVENT_READ)
                while True:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return {"error": "timeout"}
                    if not selector.select(remaining):
                        continue
                    chunk = os.read(process.stdout.fileno(), MB)
                    if not chunk:
                        break
                    received += chunk
                    if len(received) > max_output:
                        return {"error": "text"}
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            return {"error": "timeout"}
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()
        if process.returncode != 0:
            errors.seek(0)
            stderr = errors.read(64 * 1024).decode(errors="replace")
            if process.returncode in (-24, -14):  # SIGXCPU, SIGALRM: the CPU or wall limit
                return {"error": "timeout"}
            if process.returncode < 0 or "MemoryError" in stderr or "memory allocation" in stderr:
                return {"error": "memory"}
            return {"error": "corrupt"}
    try:
        answer = json.loads(received)
        if not isinstance(answer, dict):
            return {"error": "corrupt"}
        return answer
    except ValueError:  # a cut or garbled answer
        return {"error": "corrupt"}
