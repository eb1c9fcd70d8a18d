"""Holes found by abuse runs, each reproduced over real websocket clients and shown closed."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from pathlib import Path

import pytest
from websockets.asyncio.client import ClientConnection, connect

from routing_client.rpc import RequestFailed, RpcClient
from routing_server.app import RoutingServer
from routing_server.connection import ConnectionLimits
from routing_server.engine.model import Conversation
from routing_server.storage.sql import SqlStorage
from tests.server.harness import PASSWORD, Harness, start_harness


async def _raw(url: str, **kw: object) -> ClientConnection:
    """A bare websocket client past the hello frame."""
    ws = await connect(url, max_size=None, **kw)  # type: ignore[arg-type]
    await ws.recv()
    return ws


async def _deaf(url: str, token: str) -> ClientConnection:
    """An authenticated client whose library has stopped reading the socket (two answers sit
    unread), so it will not notice a close frame: it sends as a client ignoring 4003 would."""
    ws = await connect(url, max_size=None, max_queue=1)
    await ws.recv()
    await ws.send(json.dumps({"id": 1, "type": "auth", "token": token}))
    await _result(ws, 1)
    for i in (2, 3, 4):
        await ws.send(json.dumps({"id": i, "type": "ping"}))
    await asyncio.sleep(0.2)
    return ws


async def _result(ws: ClientConnection, request_id: int | None) -> dict[str, object]:
    """The next result frame with `request_id`, skipping events."""
    while True:
        frame = json.loads(await ws.recv())
        if frame.get("type") == "result" and frame.get("id") == request_id:
            return frame  # type: ignore[no-any-return]


async def test_a_session_ended_by_logout_runs_no_further_command(harness: Harness) -> None:
    """Two connections share a token; once one logs out, a reply the other sends right away
    (ignoring its 4003 close) is not stored."""
    await harness.add_user("ana")
    gw = await harness.gateway()
    conv_id = (await harness.inbound(gw))["conversation_id"]
    one = await harness.open()
    token = (await one.request("login", username="ana", password=PASSWORD))["token"]
    two = await _deaf(harness.url, token)
    await one.request("logout")
    await asyncio.sleep(0.2)
    reply = {"id": 2, "type": "send_message", "conversation_id": conv_id, "body": "late",
             "client_msg_id": "late-1"}  # fmt: skip
    await two.send(json.dumps(reply))
    await asyncio.sleep(0.3)
    sam = await harness.agent("sam", "supervisor")
    page = await sam.request("get_conversation", conversation_id=conv_id)
    assert [m["body"] for m in page["messages"]] == ["hello"]
    await two.close()


async def test_a_disabled_user_runs_no_further_command(harness: Harness) -> None:
    """A supervisor disabled by an admin cannot create a contact with the frame they send next."""
    await harness.add_user("sam", "supervisor")
    root = await harness.agent("root", "admin")
    sam = await _deaf(harness.url, await harness.token("sam"))
    users = (await root.request("list_users"))["users"]
    sam_id = next(u["id"] for u in users if u["username"] == "sam")
    await root.request("update_user", user_id=sam_id, disabled=True)
    await asyncio.sleep(0.2)
    await sam.send(json.dumps({"id": 2, "type": "create_contact", "name": "Sneaky"}))
    await asyncio.sleep(0.3)
    found = await root.request("search_contacts", query="Sneaky")
    assert found["contacts"] == []
    await sam.close()


async def test_a_command_waiting_for_the_writer_is_refused_once_its_session_ends(
    harness: Harness,
) -> None:
    """A command already read but waiting for the writer lock does not run if its connection
    was closed meanwhile."""
    await harness.add_user("ana")
    gw = await harness.gateway()
    conv_id = (await harness.inbound(gw))["conversation_id"]
    ana = await harness.connect("ana")
    core = harness.server.core
    async with core.lock:  # hold the writer, as a long command would
        request = asyncio.create_task(
            ana.request("send_message", conversation_id=conv_id, body="x", client_msg_id="w-1")
        )
        await asyncio.sleep(0.2)
        # The session ends while the command waits (as a logout elsewhere would end it).
        for conn in harness.server.ctx.connections:
            user = core.user(conn.user_id or "")
            if user is not None and user.username == "ana":
                conn.closed = True
    await asyncio.sleep(0.2)
    request.cancel()
    sam = await harness.agent("sam", "supervisor")
    page = await sam.request("get_conversation", conversation_id=conv_id)
    assert [m["direction"] for m in page["messages"]] == ["in"]


async def test_deeply_nested_json_is_a_bad_request_on_an_open_connection(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """5,000 nested brackets get bad_request with id null; the connection stays open and
    nothing is logged as an error."""
    caplog.set_level(logging.WARNING)
    ws = await _raw(harness.url)
    await ws.send("[" * 5000 + "]" * 5000)
    failure = await _result(ws, None)
    assert failure["error"]["code"] == "bad_request"  # type: ignore[index]
    await ws.send(json.dumps({"id": 7, "type": "ping"}))
    assert (await _result(ws, 7))["ok"] is True
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    await ws.close()


async def test_a_burst_gets_every_answer_on_an_open_connection(tmp_path: Path) -> None:
    """1,200 pings in one write: every one is answered (past the burst with rate_limited), and
    the connection is neither cut nor closed."""
    h = await start_harness(tmp_path)
    try:
        ws = await _raw(h.url)
        for i in range(1, 1201):
            await ws.send(json.dumps({"id": i, "type": "ping"}))
        codes: dict[str, int] = {}
        for _ in range(1200):
            frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
            code = "ok" if frame["ok"] else frame["error"]["code"]
            codes[code] = codes.get(code, 0) + 1
        assert sum(codes.values()) == 1200
        assert set(codes) <= {"ok", "rate_limited"}
        assert codes.get("rate_limited", 0) > 0
        await ws.send(json.dumps({"id": 5000, "type": "ping"}))
        await asyncio.wait_for(ws.recv(), 10)  # still open
        await ws.close()
    finally:
        await h.close()


async def test_a_bad_frame_flood_closes_promptly(harness: Harness) -> None:
    """After a bad-frame flood the 4008 close completes at once, not after a close timeout."""
    client = await harness.open()
    start = time.monotonic()
    for _ in range(25):
        await client.send_raw("{")
    await asyncio.wait_for(client.closed.wait(), 5)
    assert client.close_code == 4008
    assert time.monotonic() - start < 3


async def test_a_login_flood_does_not_lock_out_a_user(tmp_path: Path) -> None:
    """60 connections from one address sending logins for random usernames back to back; a
    user from another address still signs in, promptly, with their password."""
    h = await start_harness(tmp_path)
    try:
        await h.add_user("ana")
        stop = asyncio.Event()

        async def flood() -> None:
            ws = await _raw(h.url)
            i = 0
            while not stop.is_set():
                i += 1
                name = secrets.token_hex(6)
                await ws.send(json.dumps({"id": i, "type": "login", "username": name,
                                          "password": "x"}))  # fmt: skip
                await _result(ws, i)
            await ws.close()

        flooders = [asyncio.create_task(flood()) for _ in range(60)]
        await asyncio.sleep(1.0)
        ws = await connect(h.url, max_size=None, local_addr=("127.0.0.2", 0))
        await ws.recv()
        started = time.monotonic()
        await ws.send(json.dumps({"id": 1, "type": "login", "username": "ana",
                                  "password": PASSWORD}))  # fmt: skip
        answer = await asyncio.wait_for(_result(ws, 1), 10)
        elapsed = time.monotonic() - started
        stop.set()
        await asyncio.gather(*flooders, return_exceptions=True)
        assert answer["ok"] is True, answer
        assert elapsed < 5, elapsed  # about 0.1 s here; generous for a loaded machine
        await ws.close()
    finally:
        await h.close()


async def test_a_client_that_never_reads_costs_bounded_memory(tmp_path: Path) -> None:
    """An agent asking for pages of long messages without reading: the server stops reading
    its requests once its queue is past the high-water mark, so the bytes queued for it stay
    bounded (and it is never sent more than the cap)."""
    limits = ConnectionLimits(request_rate=1e6, request_burst=1e6)
    h = await start_harness(tmp_path, limits)
    try:
        await h.add_user("ana", max_open=50)
        gw = await h.gateway()
        conv_id = ""
        for i in range(60):
            conv_id = (await h.inbound(gw, "+15550999", f"{i} " + "y" * 9_000))["conversation_id"]
        ana = await h.connect("ana")
        await ana.request("claim", conversation_id=conv_id)
        slow = await connect(h.url, max_size=None, max_queue=1)
        await slow.recv()
        await slow.send(json.dumps({"id": 1, "type": "auth", "token": await h.token("ana")}))
        await _result(slow, 1)

        async def ask() -> None:
            for i in range(2, 300):
                frame = {"id": i, "type": "get_conversation", "conversation_id": conv_id,
                         "limit": 60}  # fmt: skip
                # Past the socket buffers, blocks: the server has stopped reading.
                await slow.send(json.dumps(frame))

        asking = asyncio.create_task(ask())
        await asyncio.sleep(2.0)
        queued = max(c._out_bytes for c in h.server.ctx.connections)
        page_bytes = 60 * 9_100
        assert queued <= limits.queue_high_water + 2 * page_bytes, queued
        print(f"bytes queued for a client that never reads: {queued}")
        asking.cancel()
        slow.transport.abort()
    finally:
        await h.close()


class CountingStorage(SqlStorage):
    """SQLite storage that counts conversation look-ups."""

    lookups = 0

    async def load_conversation(self, conversation_id: str) -> Conversation | None:
        """Count, then look up."""
        self.lookups += 1
        return await super().load_conversation(conversation_id)


async def test_hidden_and_nonexistent_conversations_cost_the_same(tmp_path: Path) -> None:
    """Asking for a priority conversation of someone else, and for an id that does not exist,
    both answer not_found after the same storage work (nothing to time)."""
    h = await start_harness(tmp_path)
    await h.server.close()
    storage = CountingStorage(SqlStorage.sqlite(h.db).url)
    h.server = await RoutingServer.start(storage, h.config)
    try:
        ana = await h.agent("ana")
        ben = await h.agent("ben")
        sam = await h.agent("sam", "supervisor")
        ana_id = (await ana.request("sync"))["snapshot"]["me"]["id"]
        contact = await sam.request("create_contact", name="Maria", phone="+15550188",
                                    account_rep_id=ana_id, priority_notifications=True)  # fmt: skip
        assert contact["contact"]["account_rep_id"] == ana_id
        gw = await h.gateway()
        hidden = (await h.inbound(gw, "+15550188"))["conversation_id"]
        costs = []
        for conv_id in (hidden, "cv_does_not_exist"):
            for command in ("get_conversation", "claim"):
                before = storage.lookups
                with pytest.raises(RequestFailed) as err:
                    await ben.request(command, conversation_id=conv_id)
                assert err.value.code == "not_found"
                costs.append(storage.lookups - before)
        assert costs[:2] == costs[2:]
    finally:
        await h.close()


async def test_unknown_commands_before_authentication_are_unauthenticated(
    harness: Harness,
) -> None:
    """Before authentication, anything but login, auth and ping is unauthenticated, even a
    command that does not exist."""
    client: RpcClient = await harness.open()
    for command in ("no_such_command", "sync", "claim"):
        with pytest.raises(RequestFailed) as err:
            await client.request(command)
        assert err.value.code == "unauthenticated"
