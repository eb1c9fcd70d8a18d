"""The long-lived client: stays connected, resyncs after every reconnect, reports its state.

`InboxClient.run()` connects, authenticates with a token, calls `sync {since}` and streams events
to a listener; when the connection drops it retries with exponential backoff and jitter. Errors
that retrying cannot fix (a revoked token, a disabled account) end `run()` with `FatalError`.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from inbox_protocol import CLOSE_REVOKED, Event
from routing_client.rpc import ConnectionLost, RequestFailed, RpcClient

LinkStatus = Literal["connecting", "online", "waiting", "stopped"]
FATAL_CODES = frozenset({"invalid_token", "invalid_credentials", "forbidden"})


class FatalError(Exception):
    """The server refused us for good: sign in again."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class NotConnected(Exception):
    """A request was made while the connection is down."""


@dataclass(frozen=True)
class LinkState:
    """Where the connection stands, for a banner: attempt number and seconds to the next try."""

    status: LinkStatus
    attempt: int = 0
    retry_in: float = 0.0
    error: str = ""


class ClientListener(Protocol):
    """What the client reports to (the sync layer)."""

    def link_changed(self, state: LinkState) -> None:
        """The connection's state changed."""

    def synced(self, result: dict[str, Any]) -> None:
        """A `sync` result (snapshot or delta) arrived; called before any later event."""

    def event(self, event: Event) -> None:
        """An event arrived."""

    async def connected(self) -> None:
        """The connection is up and synced (flush queued work here)."""


async def login(url: str, username: str, password: str) -> tuple[str, dict[str, Any]]:
    """Exchange a username and password for a token; `FatalError` when they are wrong."""
    rpc = await RpcClient.open(url)
    try:
        result = await rpc.request("login", username=username, password=password)
    except RequestFailed as exc:
        raise FatalError(exc.code, exc.message) from None
    finally:
        await rpc.close()
    return str(result["token"]), dict(result["user"])


@dataclass
class Backoff:
    """Exponential backoff with full jitter, capped."""

    first: float = 0.5
    factor: float = 2.0
    cap: float = 30.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait before attempt `attempt` (1-based)."""
        ceiling = min(self.cap, self.first * self.factor ** max(0, attempt - 1))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


class InboxClient:
    """A connection kept alive for one signed-in user."""

    def __init__(
        self,
        url: str,
        token: str,
        listener: ClientListener,
        *,
        backoff: Backoff | None = None,
        since: int | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.url = url
        self.token = token
        self.listener = listener
        self.backoff = backoff or Backoff()
        self.last_seq = since
        self._sleep = sleep
        self._rpc: RpcClient | None = None
        self._rng = random.Random()
        self._stop = asyncio.Event()
        self._attempt: asyncio.Task[None] | None = None
        self.user: dict[str, Any] | None = None

    @property
    def online(self) -> bool:
        """Whether requests can be sent now."""
        return self._rpc is not None

    async def request(self, type: str, **fields: Any) -> dict[str, Any]:
        """Send a request on the live connection (`NotConnected` when there is none)."""
        rpc = self._rpc
        if rpc is None:
            raise NotConnected("not connected")
        try:
            return await rpc.call(type, fields)
        except ConnectionLost as exc:
            raise NotConnected(str(exc)) from None

    def stop(self) -> None:
        """Stop `run()`: the connection (or the attempt to make one) ends now."""
        self._stop.set()
        if self._attempt is not None:
            self._attempt.cancel()

    async def run(self) -> None:
        """Stay connected until `stop()`; raises `FatalError` when the server refuses us."""
        attempt = 0
        while not self._stop.is_set():
            attempt += 1
            self.listener.link_changed(LinkState("connecting", attempt))
            self._attempt = asyncio.ensure_future(self._session())
            try:
                await self._attempt
                attempt = 0
            except asyncio.CancelledError:
                if not self._stop.is_set():
                    raise  # cancelled from outside, not by stop()
                break
            except FatalError:
                self.listener.link_changed(LinkState("stopped", error="signed out"))
                raise
            except (OSError, ConnectionLost, TimeoutError, NotConnected) as exc:
                error = str(exc) or type(exc).__name__
            else:
                error = "connection closed"
            finally:
                self._rpc = None
                self._attempt = None
            if self._stop.is_set():
                break
            delay = self.backoff.delay(max(attempt, 1), self._rng)
            self.listener.link_changed(LinkState("waiting", max(attempt, 1), delay, error))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await self._stop.wait()
        self.listener.link_changed(LinkState("stopped"))

    async def _session(self) -> None:
        rpc = await RpcClient.open(self.url)
        try:
            try:
                self.user = (await rpc.request("auth", token=self.token))["user"]
                fields = {} if self.last_seq is None else {"since": self.last_seq}
                result = await rpc.call("sync", fields)
            except RequestFailed as exc:
                if exc.code in FATAL_CODES:
                    raise FatalError(exc.code, exc.message) from None
                raise ConnectionLost(None, exc.message) from None
            self.listener.synced(result)
            self.last_seq = int(result["seq"])
            self._rpc = rpc
            self.listener.link_changed(LinkState("online"))
            await self.listener.connected()
            await self._pump(rpc)
        finally:
            self._rpc = None
            await rpc.close()

    def _deliver(self, event: Event) -> None:
        self.listener.event(event)
        if event.seq > (self.last_seq or 0) and event.event != "team_load":
            self.last_seq = event.seq

    async def _pump(self, rpc: RpcClient) -> None:
        """Hand events to the listener until the connection closes."""
        closed = asyncio.ensure_future(rpc.closed.wait())
        try:
            while True:
                getter = asyncio.ensure_future(rpc.events.get())
                done, _ = await asyncio.wait({getter, closed}, return_when=asyncio.FIRST_COMPLETED)
                if getter in done:
                    self._deliver(getter.result())
                    # Apply whatever else already arrived before yielding to the loop, so that
                    # a burst is applied at once and the window repaints once for it.
                    while not rpc.events.empty():
                        self._deliver(rpc.events.get_nowait())
                    continue
                getter.cancel()
                while not rpc.events.empty():
                    self._deliver(rpc.events.get_nowait())
                if rpc.close_code == CLOSE_REVOKED:
                    raise FatalError("invalid_token", rpc.close_reason or "signed out")
                return
        finally:
            closed.cancel()
