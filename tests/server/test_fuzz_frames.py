"""Hypothesis throws random and malformed frames at a live server: every one gets a clean
result (never `internal`), and the server keeps serving."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.sync.client import ClientConnection, connect

from inbox_protocol import COMMANDS, ErrorCode, Result
from routing_server.connection import ConnectionLimits
from tests.server.harness import Harness, start_harness

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(
    [
        "conversation_id",
        "body",
        "client_msg_id",
        "status",
        "since",
        "limit",
        "token",
        "username",
        "password",
        "to_user_id",
        "channel",
        "from",
        "external_id",
        "message_id",
        "before_message_id",
        "team_id",
        "name",
        "extra",
    ]
)
requests = st.builds(
    lambda rid, kind, fields: {"id": rid, "type": kind, **fields},
    st.integers(min_value=-5, max_value=10**12),
    st.sampled_from(sorted(COMMANDS - {"logout"})) | st.text(max_size=12),
    st.dictionaries(field_names, json_values, max_size=4),
)
frames = (
    requests.map(json.dumps)
    | json_values.map(json.dumps)
    | st.text(max_size=200)
    | st.binary(max_size=64)
)


class ThreadedServer:
    """A server on its own event loop in a thread, for synchronous hypothesis tests."""

    def __init__(self, tmp: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        limits = ConnectionLimits(request_rate=1e6, request_burst=1e6, bad_frames=10**9)
        self.harness: Harness = self.run(start_harness(tmp, limits))

    def run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(30)

    def close(self) -> None:
        self.run(self.harness.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="module")
def live(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ThreadedServer, ClientConnection]]:
    server = ThreadedServer(tmp_path_factory.mktemp("fuzz"))
    server.run(server.harness.add_user("fuzzer"))
    token = server.run(server.harness.token("fuzzer"))
    try:
        with connect(server.harness.url, max_size=None) as ws:
            ws.recv()
            ws.send(json.dumps({"id": 1, "type": "auth", "token": token}))
            assert json.loads(ws.recv())["ok"] is True
            yield server, ws
    finally:
        server.close()


def _answer(ws: ClientConnection, frame: str | bytes) -> Result:
    """Send a frame and read the result it gets (events in between are skipped)."""
    ws.send(frame)
    while True:
        reply = json.loads(ws.recv(timeout=10))
        if reply["type"] == "result":
            return Result.model_validate(reply)


def _still_open(ws: ClientConnection) -> None:
    """The connection still answers a ping."""
    ws.send(json.dumps({"id": 99, "type": "ping"}))
    while True:
        pong = json.loads(ws.recv(timeout=10))
        if pong["type"] == "result" and pong["id"] == 99:
            return


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(frame=frames)
def test_every_frame_gets_a_clean_result(
    live: tuple[ThreadedServer, ClientConnection], frame: str | bytes
) -> None:
    """Whatever arrives, the reply is a well-formed result and never an internal error."""
    _, ws = live
    result = _answer(ws, frame)
    if not result.ok:
        assert result.error is not None
        assert result.error.code != "internal", (frame, result)
        assert result.error.message
    _still_open(ws)


def _nested(depth: int, kind: str) -> str:
    """JSON text nested `depth` levels deep in lists or objects."""
    if kind == "list":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


def _nested_request(depth: int, kind: str, command: str) -> str:
    """A request whose `body` is nested `depth` levels deep."""
    return f'{{"id":5,"type":"{command}","body":{_nested(depth, kind)}}}'


depths = st.integers(min_value=1, max_value=20_000)
hostile = (
    st.builds(_nested, depths, st.sampled_from(["list", "dict"]))
    | st.builds(
        _nested_request,
        depths,
        st.sampled_from(["list", "dict"]),
        st.sampled_from(["ping", "send_message", "search_contacts", "no_such"]),
    )
    | st.builds(
        lambda size, command: json.dumps(
            {"id": 6, "type": command, "query": "q" * size, "body": "b" * size}
        ),
        st.integers(min_value=0, max_value=400_000),
        st.sampled_from(["ping", "search_contacts", "send_message"]),
    )
)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(frame=hostile)
def test_nested_and_oversized_structures_get_a_documented_answer(
    live: tuple[ThreadedServer, ClientConnection], frame: str
) -> None:
    """Deeply nested or very large (but under 1 MiB) frames each get a result with a documented
    error code, never `internal`, and the connection stays open."""
    _, ws = live
    result = _answer(ws, frame)
    if not result.ok:
        assert result.error is not None
        assert result.error.code in get_args(ErrorCode), result.error
        assert result.error.code != "internal", (frame[:80], result)
    _still_open(ws)
