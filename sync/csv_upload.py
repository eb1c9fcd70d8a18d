"""Sending a CSV file of any size up to the import limit to `import_contacts`.

A file that fits in one frame goes inline (`csv`); a larger one goes first in chunks through
`import_upload`, and the import then names the upload. Progress is reported after each chunk,
so a window can show it while the loop stays free.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

# The largest file sent inline, in characters: every character may take up to six bytes as
# JSON (\uXXXX), and a frame is at most 1 MiB.
INLINE_CHARS = 131_072
CHUNK_CHARS = 131_072

Request = Callable[..., Awaitable[dict[str, Any]]]
Progress = Callable[[int, int], None]


async def upload_csv(request: Request, text: str, progress: Progress | None = None) -> str:
    """Upload `text` in chunks; returns the upload id for `import_contacts`."""
    upload_id: str | None = None
    offset = 0
    total = len(text)
    while True:
        chunk = text[offset : offset + CHUNK_CHARS]
        fields: dict[str, Any] = {"offset": offset, "data": chunk}
        if upload_id is not None:
            fields["upload_id"] = upload_id
        result = await request("import_upload", **fields)
        upload_id = str(result["upload"]["upload_id"])
        offset += len(chunk)
        if progress is not None:
            progress(offset, total)
        if offset >= total:
            return upload_id


async def import_csv(
    request: Request,
    text: str,
    *,
    dry_run: bool,
    skip_errors: bool = False,
    upload_id: str | None = None,
    progress: Progress | None = None,
) -> tuple[dict[str, Any], str | None]:
    """Run `import_contacts` on `text`, uploading it first when it is larger than a frame.

    Returns the result and the upload id (pass it back to apply what a dry run previewed
    without sending the file again).
    """
    if len(text) <= INLINE_CHARS:
        result = await request(
            "import_contacts", csv=text, dry_run=dry_run, skip_errors=skip_errors
        )
        return result, None
    if upload_id is None:
        upload_id = await upload_csv(request, text, progress)
    result = await request(
        "import_contacts", upload_id=upload_id, dry_run=dry_run, skip_errors=skip_errors
    )
    return result, upload_id
