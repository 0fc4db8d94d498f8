"""Downloads: XLSX files the portal writes, and the files people uploaded.

A file people uploaded is always a download, never a page of the portal.

Whatever the bytes are, the browser saves them (`Content-Disposition: attachment`, with the
RFC 5987 `filename*` for Cyrillic names), takes the type we sniffed rather than guessing one
(`X-Content-Type-Options: nosniff`), and, if it renders the file anyway, runs it sandboxed
with nothing allowed (`Content-Security-Policy`), so an HTML or SVG could not act as the portal.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_CSP = "default-src 'none'; sandbox"


def xlsx_response(data: bytes, filename: str) -> FileResponse:
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


def written_xlsx_response(write: Callable[[str], object], filename: str) -> FileResponse:
    """Calls write(path) and streams the file (large exports that XlsxWriter streams to disk);
    it is unlinked at once, the open handle keeps the data until the response is sent."""
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


def protected_file_response(stream, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # The file response sets its own policy, stricter than any page of the portal gets; a
    # site-wide CSP middleware (django-csp's) leaves a policy the response already has.
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, no-store"
    return response


def _opened(field_file, missing: str):
    """A FileField's file opened for reading; one gone from the storage is a 404 with the
    `missing` text, not a 500."""
    if not field_file or not field_file.storage.exists(field_file.name):
        raise Http404(missing)
    try:
        return field_file.open("rb")
    except (OSError, ObjectDoesNotExist):
        raise Http404(missing) from None


def stored_file_response(field_file, filename: str, content_type: str, missing: str):
    """A file people uploaded, kept in the storage, as a protected download."""
    return protected_file_response(_opened(field_file, missing), filename, content_type)


def stored_xlsx_response(field_file, filename: str, missing: str) -> FileResponse:
    """An XLSX the portal wrote and keeps in the storage (a published version), streamed
    from it a part at a time."""
    return FileResponse(
        _opened(field_file, missing),
        as_attachment=True,
        filename=filename,
        content_type=XLSX_CONTENT_TYPE,
    )
