"""XLSX downloads: from bytes in memory, or written to a temporary file first (large exports
that XlsxWriter streams to disk)."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable

from django.http import FileResponse

from registry.services.xlsx_export import XLSX_CONTENT_TYPE


def xlsx_response(data: bytes, filename: str) -> FileResponse:
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


def written_xlsx_response(write: Callable[[str], object], filename: str) -> FileResponse:
    """Calls write(path) and streams the file; it is unlinked at once, the open handle keeps
    the data until the response is sent."""
    handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="export-")
    os.close(handle)
    try:
        write(path)
        stream = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    finally:
        os.unlink(path)
    return FileResponse(
        stream, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
