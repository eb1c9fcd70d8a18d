"""One client connection: hello, the authentication deadline, the receive loop and an outgoing
queue capped in bytes. Everything it does on behalf of the client goes through the dispatcher.

Backpressure, not cuts: while more than `queue_high_water` bytes wait to be sent to a client,
its requests are not read (a client sending a burst gets every answer, at the pace it reads
them). Only a client that stops reading while events keep coming for it reaches `queue_cap`,
and is then disconnected. A closing connection dispatches nothing more, but keeps reading, so
that it sees the client's reply to its close frame at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from websockets.asyncio.server import ServerConnection, broadcast
from websockets.exceptions import ConnectionClosed

import inbox_protocol as p
from routing_server import frames
from routing_server.auth import TokenBucket
from routing_server.engine import presence
from routing_server.uploads import UploadSlot

if TYPE_CHECKING:
    from routing_server.app import ServerContext

log = logging.getLogger(__name__)


@dataclass
class ConnectionLimits:
    """Per-connection limits (tests shorten them)."""

    auth_timeout: float = 10.0
    # Bytes queued for a client: above the high-water mark its requests wait; above the cap it
    # is disconnected (it is not reading at all).
    queue_high_water: int = 1024 * 1024
    queue_cap: int = 16 * 1024 * 1024
    # Bytes the operating system may hold unsent for a client before it counts as not reading.
    max_unsent_bytes: int = 4 * 1024 * 1024
    request_rate: float = 50.0
    request_burst: float = 100.0
    bad_frames: int = 20
    bad_frame_window: float = 10.0


class Connection:
    """A client's WebSocket and what the server knows about it."""

    def __init__(self, ws: ServerConnection, ctx: ServerContext) -> None:
        self.ws = ws
        self.ctx = ctx
        self.user_id: str | None = None
        self.token_hash: str | None = None
        self.synced = False
        self.closed = False
        limits = ctx.limits
        self._out: deque[str] = deque()
        self._out_bytes = 0
        self._out_ready = asyncio.Event()
        self._below_high_water = asyncio.Event()
        self._below_high_water.set()
        self._bucket = TokenBucket(limits.request_rate, limits.request_burst)
        self._bad: deque[float] = deque()
        self._close_with = (1000, "")
        # Live subscriptions by key, each with the function that ends it (called on close).
        self.subscriptions: dict[str, Callable[[], None]] = {}
        self._closing = False
        self._sending = False
        # Events that arrive while a sync result is prepared wait here, to follow the result.
        self._held: list[str] | None = None
        # A CSV file arriving in chunks for `import_contacts` (at most one, bounded).
        self.uploads = UploadSlot()

    @property
    def role(self) -> str:
        """The signed-in user's role (`unauthenticated` before sign-in), for the metrics."""
        user = self.ctx.core.user(self.user_id) if self.user_id else None
        return user.role if user is not None else "unauthenticated"

    @property
    def queued_bytes(self) -> int:
        """Bytes of frames waiting to be sent, for the metrics."""
        return self._out_bytes

    @property
    def source(self) -> str:
        """The client's network address (logins are bounded per source)."""
        remote = self.ws.remote_address
        return str(remote[0]) if remote else "unknown"

    @property
    def authenticated(self) -> bool:
        """Whether a login or auth succeeded on this connection."""
        return self.user_id is not None

    async def run(self) -> None:
        """Serve the connection until it closes, then clean up after it."""
        from routing_server.dispatcher import dispatch

        sender = asyncio.create_task(self._send_loop(), name="conn-send")
        deadline = asyncio.create_task(self._auth_deadline(), name="conn-auth-deadline")
        self.send(frames.hello())
        self.ctx.connections.add(self)
        try:
            async for frame in self.ws:
                if self.closed:
                    continue  # closing: read on only to see the client's close reply
                await dispatch(self, frame)
                # Backpressure: read the next request once the client has caught up.
                await self._below_high_water.wait()
        except ConnectionClosed:
            pass
        finally:
            self.closed = True
            self.ctx.connections.discard(self)
            deadline.cancel()
            self.uploads.discard()
            await self.sign_out()
            # Let a queued close (with its code) go out; otherwise stop sending.
            with contextlib.suppress(TimeoutError, ConnectionClosed):
                await asyncio.wait_for(asyncio.shield(sender), 2.0 if self._closing else 0)
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender

    async def sign_in(self, user_id: str, token_hash: str) -> None:
        """Mark the connection authenticated and count it toward the user's presence."""
        if self.user_id == user_id:
            self.token_hash = token_hash
            return
        await self.sign_out()
        core = self.ctx.core
        user = core.user(user_id)
        if user is None:
            raise RuntimeError(f"unknown user {user_id}")
        async with core.write() as tx:
            presence.connected(tx, user)
        self.user_id, self.token_hash = user_id, token_hash
        core.subscribe(user_id, self)

    async def sign_out(self) -> None:
        """Forget the connection's user (logout, close) and start their grace period if last."""
        user_id = self.user_id
        if user_id is None:
            return
        core = self.ctx.core
        self.user_id, self.token_hash, self.synced = None, None, False
        core.unsubscribe(user_id, self)
        for unsubscribe in self.subscriptions.values():
            unsubscribe()
        self.subscriptions.clear()
        user = core.user(user_id)
        if user is not None:
            async with core.write() as tx:
                presence.disconnected(tx, user)

    # -- sending ------------------------------------------------------------------------------

    def send(self, text: str) -> None:
        """Queue a frame; a client that stops reading is disconnected rather than buffered."""
        if self.closed:
            return
        self._enqueue(text)
        if self._out_bytes > self.ctx.limits.queue_cap:
            log.warning("dropping a connection %d bytes behind", self._out_bytes)
            self.drop()

    def _enqueue(self, text: str) -> None:
        self._out.append(text)
        self._out_bytes += len(text)
        if self._out_bytes > self.ctx.limits.queue_high_water:
            self._below_high_water.clear()
        self._out_ready.set()

    def _dequeue(self) -> str | None:
        if not self._out:
            self._out_ready.clear()
            return None
        text = self._out.popleft()
        self._out_bytes -= len(text)
        if self._out_bytes <= self.ctx.limits.queue_high_water // 2:
            self._below_high_water.set()
        return text

    def send_text(self, text: str) -> None:
        """Queue an event frame (held back while a sync result is being prepared)."""
        if self._held is not None:
            self._held.append(text)
        else:
            self.send(text)

    def hold_events(self) -> None:
        """Start receiving events, holding them until `release_events` (a sync is prepared)."""
        self._held = []
        self.synced = True

    def release_events(self) -> None:
        """Send the events held while the sync result was prepared, after it."""
        held, self._held = self._held or [], None
        for text in held:
            self.send(text)

    def _writable_now(self) -> bool:
        """Whether a frame may go straight to the socket, keeping every frame in order."""
        if self.closed or self._sending or self._out or self._held is not None:
            return False
        unsent = self.ws.transport.get_write_buffer_size()
        return bool(unsent < self.ctx.limits.max_unsent_bytes)

    def send_result(self, request_id: int | None, result: dict[str, Any]) -> None:
        """Queue a successful result."""
        self.send(frames.result(request_id, result))

    def send_error(
        self,
        request_id: int | None,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
    ) -> None:
        """Queue a failed result."""
        self.send(frames.failure(request_id, code, message, details))

    def close_soon(self, code: int, reason: str) -> None:
        """Close with `code` after the frames queued before it (at once if the queue is full)."""
        if self.closed:
            return
        self.closed = True
        self._close_with = (code, reason)
        self._closing = True
        if self._out_bytes > self.ctx.limits.queue_high_water:
            self._drop_queue()  # far behind: close now rather than after the backlog
        self._enqueue(_CLOSE)

    def drop(self) -> None:
        """Disconnect at once, without waiting for queued frames (the client is not reading)."""
        self.closed = True
        self._drop_queue()
        task = asyncio.create_task(self._abort(), name="conn-drop")
        self.ctx.background.add(task)
        task.add_done_callback(self.ctx.background.discard)

    async def _abort(self) -> None:
        # A polite close needs the client to read; give it a moment, then cut the TCP connection.
        with contextlib.suppress(TimeoutError, ConnectionClosed):
            await asyncio.wait_for(self.ws.close(p.CLOSE_POLICY, "too far behind"), 1.0)
        self.ws.transport.abort()

    def _drop_queue(self) -> None:
        self._out.clear()
        self._out_bytes = 0
        self._below_high_water.set()

    async def _send_loop(self) -> None:
        try:
            while True:
                await self._out_ready.wait()
                text = self._dequeue()
                if text is None:
                    continue
                if text is _CLOSE:
                    await self.ws.close(*self._close_with)
                    return
                self._sending = True
                try:
                    await self.ws.send(text)
                finally:
                    self._sending = False
                # Not kept while waiting for the next frame: an idle connection would otherwise
                # hold its last frame (often its whole sync snapshot) for as long as it is idle.
                del text
        except ConnectionClosed:
            self.closed = True
        finally:
            # Nothing more will be sent: a receive loop held back by backpressure goes on (and
            # ends, since the connection is closed).
            self._below_high_water.set()

    # -- limits -------------------------------------------------------------------------------

    async def _auth_deadline(self) -> None:
        await asyncio.sleep(self.ctx.limits.auth_timeout)
        if not self.authenticated and not self.closed:
            self.close_soon(p.CLOSE_NOT_AUTHENTICATED, "not authenticated in time")

    def allow_request(self, now: float) -> bool:
        """The per-connection request rate limit."""
        return self._bucket.allow(now)

    def bad_frame(self, now: float) -> None:
        """Count a bad frame; a flood of them closes the connection (4008)."""
        limits = self.ctx.limits
        self._bad.append(now)
        while self._bad and self._bad[0] <= now - limits.bad_frame_window:
            self._bad.popleft()
        if len(self._bad) > limits.bad_frames:
            self.close_soon(p.CLOSE_POLICY, "too many bad frames")


def broadcast_text(connections: Iterable[Connection], text: str) -> None:
    """Send one frame to many connections: written straight to each idle socket in one pass
    (encoded once, no task switch per recipient, as `websockets.broadcast` does), queued behind
    what a busy connection still has to send, so that every connection keeps its order."""
    direct: list[ServerConnection] = []
    for conn in connections:
        if conn._writable_now():
            direct.append(conn.ws)
        else:
            conn.send(text)
    if direct:
        broadcast(direct, text)


# Queued after the last frame to send before closing.
_CLOSE = "\x00close"
