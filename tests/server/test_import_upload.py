"""Chunked CSV uploads for import_contacts: larger than a frame, bounded, per connection."""

from __future__ import annotations

import asyncio

import pytest

from routing_client.rpc import RequestFailed
from sync.csv_upload import CHUNK_CHARS, import_csv, upload_csv
from tests.server.harness import Harness


def big_csv(rows: int, pad: int = 180) -> str:
    """A CSV of new contacts with long names, so that it is large in few rows."""
    lines = ["name,phone,email"]
    for i in range(rows):
        lines.append(f"{'N' * pad} {i:06d},+1555{i:07d},c{i}@example.com")
    return "\n".join(lines) + "\n"


async def test_a_file_over_one_frame_imports_through_an_upload(harness: Harness) -> None:
    """A 1.5 MiB CSV goes up in chunks; the dry run and the apply read the same upload."""
    sam = await harness.agent("sam", "supervisor")
    text = big_csv(7000, pad=190)
    assert len(text.encode()) > 1024 * 1024 * 3 // 2
    seen: list[int] = []
    dry, upload_id = await import_csv(
        sam.request, text, dry_run=True, progress=lambda done, total: seen.append(done)
    )
    assert dry["counts"]["create"] == 7000
    assert not dry["applied"]
    assert upload_id is not None
    assert seen[-1] == len(text)
    assert len(seen) > 1
    done, _ = await import_csv(sam.request, text, dry_run=False, upload_id=upload_id)
    assert done["applied"]
    assert done["counts"]["create"] == 7000
    found = await sam.request("search_contacts", query="+15550006999")
    assert len(found["contacts"]) == 1
    with pytest.raises(RequestFailed) as gone:
        await sam.request("import_contacts", upload_id=upload_id, dry_run=True)
    assert gone.value.code == "not_found"  # an applied upload is spent


async def test_uploads_refuse_gaps_repeats_and_files_over_the_limit(harness: Harness) -> None:
    """A chunk at the wrong offset is bad_request; past 5 MiB is too_large and discarded."""
    sam = await harness.agent("sam", "supervisor")
    first = await sam.request("import_upload", data="name,phone\n")
    upload_id = first["upload"]["upload_id"]
    assert first["upload"]["received"] == len("name,phone\n")
    with pytest.raises(RequestFailed) as gap:
        await sam.request("import_upload", upload_id=upload_id, offset=999, data="x")
    assert gap.value.code == "bad_request"
    assert gap.value.message.startswith("offset")
    chunk = "x" * CHUNK_CHARS
    offset = first["upload"]["received"]
    while offset + CHUNK_CHARS <= 5 * 1024 * 1024:
        result = await sam.request("import_upload", upload_id=upload_id, offset=offset, data=chunk)
        offset = result["upload"]["received"]
    with pytest.raises(RequestFailed) as big:
        await sam.request("import_upload", upload_id=upload_id, offset=offset, data=chunk)
    assert big.value.code == "too_large"
    with pytest.raises(RequestFailed) as discarded:
        await sam.request("import_contacts", upload_id=upload_id, dry_run=True)
    assert discarded.value.code == "not_found"


async def test_an_upload_belongs_to_its_connection(harness: Harness) -> None:
    """One upload per connection: a new one replaces it, another connection cannot use it, and
    it is gone once the connection closes."""
    sam = await harness.agent("sam", "supervisor")
    upload_id = await upload_csv(sam.request, "name,phone\nMaria,+15550001\n")
    other = await harness.connect("sam")
    replaced = await upload_csv(sam.request, "name,phone\nLee,+15550002\n")
    with pytest.raises(RequestFailed) as first_gone:
        await sam.request("import_contacts", upload_id=upload_id, dry_run=True)
    assert first_gone.value.code == "not_found"  # a new upload discards the one before
    upload_id = replaced
    with pytest.raises(RequestFailed) as foreign:
        await other.request("import_contacts", upload_id=upload_id, dry_run=True)
    assert foreign.value.code == "not_found"
    with pytest.raises(RequestFailed) as both:
        await sam.request("import_contacts", upload_id=upload_id, csv="x", dry_run=True)
    assert both.value.code == "bad_request"
    holder = next(c for c in harness.server.ctx.connections if c.uploads.current is not None)
    await sam.close()
    async with asyncio.timeout(5):
        while holder in harness.server.ctx.connections:
            await asyncio.sleep(0.02)
    assert holder.uploads.current is None  # the file left memory with the connection


async def test_agents_may_not_upload(harness: Harness) -> None:
    """import_upload is for supervisors and admins: an agent gets forbidden."""
    ana = await harness.agent("ana")
    with pytest.raises(RequestFailed) as refused:
        await ana.request("import_upload", data="name,phone\n")
    assert refused.value.code == "forbidden"
