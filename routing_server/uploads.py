"""A connection's CSV upload for `import_contacts`, received in chunks and bounded in size.

A connection holds at most one upload; starting another discards it, and it goes when the
connection closes, so an upload costs at most the import limit per connection.
"""

from __future__ import annotations

import secrets

from routing_server.engine.errors import EngineError
from routing_server.engine.importer import MAX_CSV_BYTES


class ImportUpload:
    """The chunks of one CSV file, joined on demand."""

    def __init__(self, limit: int = MAX_CSV_BYTES) -> None:
        self.id = "up_" + secrets.token_hex(8)
        self.limit = limit
        self.chunks: list[str] = []
        self.chars = 0
        self.bytes = 0

    def append(self, offset: int, data: str) -> None:
        """Add a chunk that starts at character `offset` (a repeat or a gap is refused)."""
        if offset != self.chars:
            raise EngineError(
                "bad_request",
                f"offset: this upload has {self.chars} characters, not {offset}",
                {"received": self.chars},
            )
        size = len(data.encode("utf-8", "surrogatepass"))
        if self.bytes + size > self.limit:
            raise EngineError("too_large", "csv: over 5 MiB; split the file")
        self.chunks.append(data)
        self.chars += len(data)
        self.bytes += size

    def text(self) -> str:
        """The whole file so far."""
        if len(self.chunks) > 1:
            self.chunks = ["".join(self.chunks)]
        return self.chunks[0] if self.chunks else ""


class UploadSlot:
    """The one upload a connection may hold."""

    def __init__(self, limit: int = MAX_CSV_BYTES) -> None:
        self.limit = limit
        self.current: ImportUpload | None = None

    def receive(self, upload_id: str | None, offset: int, data: str) -> ImportUpload:
        """Start an upload (no id) or continue the current one."""
        if upload_id is None:
            if offset != 0:
                raise EngineError("bad_request", "offset: a new upload starts at 0")
            self.current = ImportUpload(self.limit)
            upload = self.current
        else:
            upload = self.get(upload_id)
        try:
            upload.append(offset, data)
        except EngineError as exc:
            if exc.code == "too_large":
                self.current = None  # a file over the limit is never kept
            raise
        return upload

    def get(self, upload_id: str) -> ImportUpload:
        """The current upload, if it has this id."""
        if self.current is None or self.current.id != upload_id:
            raise EngineError("not_found", "upload_id: no such upload on this connection")
        return self.current

    def discard(self) -> None:
        """Forget the upload (an applied import, a closed connection)."""
        self.current = None
