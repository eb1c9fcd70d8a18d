"""The client stack (routing_client + sync) against a real server: resync and the outbox."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from routing_client.client import Backoff
from sync.outbox import Outbox
from sync.session import SyncSession
from sync.store import Store
from tests.server.harness import Harness, drain, until, wait_for_event


@contextlib.asynccontextmanager
async def running(h: Harness, username: str, outbox: Path) -> AsyncIterator[SyncSession]:
    session = SyncSession(h.url, await h.token(username), Store(), Outbox(outbox))
    session.client.backoff = Backoff(first=0.05, cap=0.3)
    task = asyncio.create_task(session.run())
    try:
        yield session
    finally:
        session.stop()
        await asyncio.wait_for(task, 5)


async def test_the_store_follows_the_server(harness: Harness, tmp_path: Path) -> None:
    """After sync the store has the snapshot; events add and remove conversations."""
    await harness.add_user("ana")
    ben = await harness.agent("ben")
    gw = await harness.gateway()
    async with running(harness, "ana", tmp_path / "ana.db") as ana:
        await until(lambda: ana.link.status == "online")
        conv_id = (await harness.inbound(gw))["conversation_id"]
        await until(lambda: conv_id in ana.store.conversations)
        await ben.request("claim", conversation_id=conv_id)
        await until(lambda: conv_id not in ana.store.conversations)
        assert ana.store.removed_reasons[conv_id] == "claimed"


async def test_a_reply_written_offline_is_sent_once_on_reconnect(
    harness: Harness, tmp_path: Path
) -> None:
    """The server goes down; a reply typed meanwhile shows as pending and is delivered exactly
    once after the server returns."""
    await harness.add_user("ana")
    gw = await harness.gateway()
    conv_id = (await harness.inbound(gw))["conversation_id"]
    async with running(harness, "ana", tmp_path / "ana.db") as ana:
        await until(lambda: conv_id in ana.store.conversations)
        await ana.conversation_command("claim", conv_id)
        await harness.stop()
        await until(lambda: ana.link.status == "waiting")
        await ana.send_reply(conv_id, "Typed while offline")
        assert [p.body for p in ana.store.pending.values()] == ["Typed while offline"]
        assert len(await ana.outbox.all()) == 1
        await harness.start()
        gw = await harness.gateway()
        out = await wait_for_event(gw, "outbound.message", timeout=10)
        assert out["body"] == "Typed while offline"
        await until(lambda: not ana.store.pending)
        assert await ana.outbox.all() == []
        await asyncio.sleep(0.3)
        assert [e for e in await drain(gw) if e.event == "outbound.message"] == []


async def test_the_outbox_survives_an_app_restart(harness: Harness, tmp_path: Path) -> None:
    """A reply queued offline, the app closed and opened again: sent once when back online."""
    await harness.add_user("ana")
    gw = await harness.gateway()
    conv_id = (await harness.inbound(gw))["conversation_id"]
    box = tmp_path / "ana.db"
    async with running(harness, "ana", box) as ana:
        await until(lambda: conv_id in ana.store.conversations)
        await harness.stop()
        await until(lambda: ana.link.status == "waiting")
        await ana.send_reply(conv_id, "Before the restart")
    assert len(await Outbox(box).all()) == 1
    await harness.start()
    gw = await harness.gateway()
    async with running(harness, "ana", box) as again:
        out = await wait_for_event(gw, "outbound.message", timeout=10)
        assert out["body"] == "Before the restart"
        await until(lambda: not again.store.pending)
        await asyncio.sleep(0.3)
        assert [e for e in await drain(gw) if e.event == "outbound.message"] == []
    assert await Outbox(box).all() == []


async def test_a_revoked_token_ends_the_session(harness: Harness, tmp_path: Path) -> None:
    """Disabling the user closes the connection with 4003: the session ends as fatal."""
    await harness.add_user("ana")
    root = await harness.agent("root", "admin")
    session = SyncSession(harness.url, await harness.token("ana"), Store(), Outbox(tmp_path / "a"))
    task = asyncio.create_task(session.run())
    await until(lambda: session.link.status == "online")
    ana_id = (await harness.storage.credentials("ana")).user_id  # type: ignore[union-attr]
    await root.request("update_user", user_id=ana_id, disabled=True)
    fatal = await asyncio.wait_for(task, 5)
    assert fatal is not None
    assert fatal.code == "invalid_token"


async def test_the_chosen_presence_comes_back_after_an_outage_longer_than_the_grace(
    harness: Harness, tmp_path: Path
) -> None:
    """An agent online (or away) when the server went down is online (or away) again once it is
    back, although the server had set them offline when their grace period ran out."""
    ana_id = await harness.add_user("ana")
    root = await harness.agent("root", "admin")
    # No grace: any outage is longer than it, and the server sets ana offline at once.
    await root.request("update_settings", presence_grace_seconds=0)
    async with running(harness, "ana", tmp_path / "ana.db") as ana:

        def status_here() -> str | None:
            return ana.store.presence.status if ana.store.presence else None

        def status_there() -> str:
            return harness.server.core.state.presence[ana_id].status

        await until(lambda: status_here() == "online")
        for chosen in ("online", "away"):
            await ana.set_presence(chosen)
            await harness.stop()
            await harness.start()
            await until(lambda: ana.link.status == "online")
            await until(lambda: status_there() == chosen)  # noqa: B023 (awaited here)
            await until(lambda: status_here() == chosen)  # noqa: B023
