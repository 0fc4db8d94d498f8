"""The response for a file people uploaded: always a download, never a page of the portal.

Whatever the bytes are, the browser saves them (`Content-Disposition: attachment`, with the
RFC 5987 `filename*` for Cyrillic names), takes the type we sniffed rather than guessing one
(`X-Content-Type-Options: nosniff`), and, if it renders the file anyway, runs it sandboxed
with nothing allowed (`Content-Security-Policy`), so an HTML or SVG could not act as the portal.
"""

from __future__ import annotations

from django.http import FileResponse

FILE_CSP = "default-src 'none'; sandbox"


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
