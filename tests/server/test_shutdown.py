"""SIGTERM: a prompt, orderly exit, whatever the clients do and whenever it arrives."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from pathlib import Path

from websockets.asyncio.client import ClientConnection, connect

from routing_client.rpc import RpcClient
from tests.server.test_cli_and_durability import served, setup_db


async def _silent_client(url: str) -> ClientConnection:
    """A client whose library stops reading after two unread answers: it never answers the
    server's close frame."""
    ws = await connect(url, max_size=None, max_queue=1)
    for i in (1, 2, 3):
        await ws.send(json.dumps({"id": i, "type": "ping"}))
    await asyncio.sleep(0.2)
    return ws


async def test_sigterm_with_silent_clients_exits_promptly_losing_nothing(tmp_path: Path) -> None:
    """With clients that never answer the close handshake, SIGTERM exits 0 in under 3 s, and a
    message acknowledged just before it is there after a restart."""
    db = tmp_path / "db.sqlite3"
    gw_token = setup_db(db)
    async with served(db) as (proc, url):
        silent = [await _silent_client(url) for _ in range(3)]
        gw = await RpcClient.open(url)
        await gw.request("auth", token=gw_token)
        ack = await gw.call(
            "inbound", {"channel": "sms", "from": "+15550111", "body": "kept", "external_id": "k1"}
        )
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 10) == 0
        assert time.monotonic() - started < 3
        for ws in silent:
            ws.transport.abort()
    async with served(db) as (_, url):
        ana = await RpcClient.open(url)
        await ana.request("login", username="ana", password="s3cret-pass")
        page = await ana.request("get_conversation", conversation_id=ack["conversation_id"])
        assert [m["body"] for m in page["messages"]] == ["kept"]
        await ana.close()


async def test_a_second_sigterm_does_not_kill_the_orderly_exit(tmp_path: Path) -> None:
    """Two SIGTERMs in a row still end with exit status 0, not 143."""
    db = tmp_path / "db.sqlite3"
    setup_db(db)
    async with served(db) as (proc, url):
        client = await RpcClient.open(url)
        proc.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 10) == 0
        await client.close()


async def test_sigterm_right_after_listening_exits_cleanly(tmp_path: Path) -> None:
    """A SIGTERM sent the moment "listening on" is printed ends the server with status 0."""
    db = tmp_path / "db.sqlite3"
    setup_db(db)
    async with served(db) as (proc, _):
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 10) == 0
