"""One WebSocket connection to the server: requests matched to results, events in a queue."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import ssl
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from inbox_protocol import EVENT_PAYLOADS, SERVER_FRAME_ADAPTER, Event, Hello, Result, parse_result


class RequestFailed(Exception):
    """The server answered a request with `ok: false`."""

    def __init__(self, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.details = details


class ConnectionLost(Exception):
    """The connection closed before the result arrived."""

    def __init__(self, code: int | None, reason: str) -> None:
        super().__init__(f"connection closed ({code}): {reason}")
        self.code = code
        self.reason = reason


class RpcClient:
    """A protocol connection: `await RpcClient.open(url)`, then `request(...)` and `events`."""

    def __init__(self, ws: ClientConnection, hello: Hello, *, strict: bool = False) -> None:
        self.ws = ws
        self.hello = hello
        # Strict: every result and event is checked against its protocol model; what does not
        # fit is kept in `violations` (results also raise), for conformance tests.
        self.strict = strict
        self.violations: list[str] = []
        self.events: asyncio.Queue[Event] = asyncio.Queue()
        # Failures the server could not tie to a request (`"id": null`).
        self.unmatched: list[Result] = []
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Result]] = {}
        self._reader = asyncio.create_task(self._read(), name="rpc-reader")
        self.close_code: int | None = None
        self.close_reason = ""
        self.closed = asyncio.Event()

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        ssl_context: ssl.SSLContext | None = None,
        timeout: float = 10.0,
        strict: bool = False,
    ) -> RpcClient:
        """Connect and read the hello frame."""
        ws = await connect(
            url, ssl=ssl_context, open_timeout=timeout, max_size=None, compression=None
        )
        try:
            async with asyncio.timeout(timeout):
                first = await ws.recv()
            hello = SERVER_FRAME_ADAPTER.validate_json(first)
            if not isinstance(hello, Hello):
                raise ConnectionLost(None, f"expected a hello frame, got {hello.type}")
        except BaseException:
            await ws.close()
            raise
        return cls(ws, hello, strict=strict)

    async def request(self, type: str, **fields: Any) -> dict[str, Any]:
        """Send a request and wait up to 30 s for its result; a failure raises `RequestFailed`."""
        return await self.call(type, fields)

    async def call(
        self, type: str, fields: Mapping[str, Any], *, timeout: float = 30.0
    ) -> dict[str, Any]:
        """Like `request`, with the fields as a mapping (`from` is a keyword) and a timeout."""
        request_id = next(self._ids)
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        try:
            await self.send_raw(json.dumps({"id": request_id, "type": type, **fields}))
            async with asyncio.timeout(timeout):
                result = await future
        finally:
            self._pending.pop(request_id, None)
        if not result.ok:
            error = result.error
            assert error is not None
            raise RequestFailed(error.code, error.message, error.details)
        data = result.result or {}
        if self.strict:
            try:
                parse_result(type, data)
            except (KeyError, ValidationError) as exc:
                self.violations.append(f"result of {type}: {exc}")
                raise
        return data

    async def send_raw(self, text: str | bytes) -> None:
        """Send a frame as is (tests use this for malformed frames)."""
        try:
            await self.ws.send(text)
        except ConnectionClosed as exc:
            raise ConnectionLost(self.close_code, self.close_reason) from exc

    async def next_event(self, timeout: float = 5.0) -> Event:
        """The next event, waiting at most `timeout` seconds."""
        async with asyncio.timeout(timeout):
            return await self.events.get()

    async def close(self) -> None:
        """Close the connection and stop reading."""
        await self.ws.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader

    async def __aenter__(self) -> RpcClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _check_event(self, frame: Event) -> None:
        model = EVENT_PAYLOADS.get(frame.event)
        if model is None:
            self.violations.append(f"event {frame.event!r} is not in the protocol")
            return
        try:
            model.model_validate(frame.data)
        except ValidationError as exc:
            self.violations.append(f"event {frame.event}: {exc}")

    async def _read(self) -> None:
        try:
            async for text in self.ws:
                try:
                    frame = SERVER_FRAME_ADAPTER.validate_json(text)
                except ValidationError:
                    continue
                if isinstance(frame, Result):
                    future = self._pending.get(frame.id) if frame.id is not None else None
                    if future is not None and not future.done():
                        future.set_result(frame)
                    elif frame.id is None:
                        self.unmatched.append(frame)
                elif isinstance(frame, Event):
                    if self.strict:
                        self._check_event(frame)
                    self.events.put_nowait(frame)
        except ConnectionClosed:
            pass
        finally:
            self.close_code = self.ws.close_code
            self.close_reason = self.ws.close_reason or ""
            self.closed.set()
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(ConnectionLost(self.close_code, self.close_reason))
