"""`import_upload`: a CSV file larger than one frame, received in chunks for `import_contacts`."""

from __future__ import annotations

import inbox_protocol as p
from routing_server.connection import Connection
from routing_server.dispatcher import command


@command(p.ImportUpload, min_role="supervisor")
async def handle_import_upload(conn: Connection, req: p.ImportUpload) -> p.UploadResult:
    """Store one chunk; the result says how much of the file the server holds."""
    upload = conn.uploads.receive(req.upload_id, req.offset, req.data)
    return p.UploadResult(
        upload=p.Upload(upload_id=upload.id, received=upload.chars, bytes=upload.bytes)
    )
