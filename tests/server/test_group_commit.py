"""Group commit: commands in flight together share a commit, each acknowledged once durable."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import pytest

from routing_client.rpc import RequestFailed
from routing_server.app import RoutingServer
from routing_server.storage.base import PreparedWrite
from routing_server.storage.sql import SqlStorage
from tests.server.harness import Harness, start_harness


async def test_commands_in_flight_share_commits_and_all_survive_a_restart(
    harness: Harness,
) -> None:
    """32 inbound messages sent at once are written in fewer commits than commands, every one
    is acknowledged, and every acknowledged one is there after a restart."""
    gateways = [await harness.gateway(f"gw{i}") for i in range(4)]
    results = await asyncio.gather(
        *(harness.inbound(gateways[i % 4], f"+1555010{i:02d}", f"m{i}") for i in range(32))
    )
    group = harness.server.core.group
    assert group.commands >= 32
    assert group.batches < group.commands
    await harness.restart()
    sam = await harness.agent("sam", "supervisor")
    for i, result in enumerate(results):
        page = await sam.request("get_conversation", conversation_id=result["conversation_id"])
        assert [m["body"] for m in page["messages"]] == [f"m{i}"]


async def test_a_retry_in_the_same_commit_is_still_a_duplicate(harness: Harness) -> None:
    """The same external_id twice in flight at once stores one message; the second is a no-op."""
    gw = await harness.gateway()
    first, second = await asyncio.gather(
        harness.inbound(gw, "+15550111", "hi", external_id="same"),
        harness.inbound(gw, "+15550111", "hi", external_id="same"),
    )
    assert first["message_id"] == second["message_id"]
    assert sorted([first["duplicate"], second["duplicate"]]) == [False, True]


async def test_a_reply_retried_in_the_same_commit_is_sent_once(harness: Harness) -> None:
    """The same client_msg_id twice in flight at once returns one message."""
    ana = await harness.agent("ana")
    gw = await harness.gateway()
    conv_id = (await harness.inbound(gw))["conversation_id"]
    one, two = await asyncio.gather(
        *(
            ana.request("send_message", conversation_id=conv_id, body="x", client_msg_id="k")
            for _ in range(2)
        )
    )
    assert one["message"]["id"] == two["message"]["id"]
    page = await ana.request("get_conversation", conversation_id=conv_id)
    assert [m["direction"] for m in page["messages"]] == ["in", "out"]


class FailingStorage(SqlStorage):
    """SQLite storage whose next batch commit fails (a full disk, say)."""

    fail_next = False

    async def commit_prepared(self, batch: Sequence[PreparedWrite]) -> None:
        """Fail once when asked to, else commit."""
        if self.fail_next:
            self.fail_next = False
            raise OSError("database or disk is full")
        await super().commit_prepared(batch)


@pytest.fixture
async def failing(tmp_path: Path) -> Harness:
    """A harness whose server runs on `FailingStorage`."""
    h = await start_harness(tmp_path)
    await h.server.close()
    storage = FailingStorage(SqlStorage.sqlite(h.db).url)
    h.server = await RoutingServer.start(storage, h.config)
    return h


async def test_a_failed_commit_fails_its_commands_and_the_server_goes_on(failing: Harness) -> None:
    """When a commit fails, none of its commands is acknowledged, memory goes back to what the
    disk holds (nothing half-applied is visible), and the next command works."""
    h = failing
    try:
        sam = await h.agent("sam", "supervisor")
        gw = await h.gateway()
        storage = h.server.core.storage
        assert isinstance(storage, FailingStorage)
        storage.fail_next = True
        outcome = await asyncio.gather(h.inbound(gw, "+15550122", "lost"), return_exceptions=True)
        assert isinstance(outcome[0], RequestFailed)
        assert outcome[0].code == "internal"
        snapshot = (await sam.request("sync"))["snapshot"]
        assert snapshot["conversations"] == []
        kept = await h.inbound(gw, "+15550123", "kept")
        page = await sam.request("get_conversation", conversation_id=kept["conversation_id"])
        assert [m["body"] for m in page["messages"]] == ["kept"]
    finally:
        await h.close()
