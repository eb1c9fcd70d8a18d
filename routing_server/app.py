"""The WebSocket front: starts the core on a storage and serves connections."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from prometheus_client import CONTENT_TYPE_LATEST
from websockets.asyncio.server import Server as WsServer
from websockets.asyncio.server import ServerConnection, serve
from websockets.http11 import Request, Response

import routing_server.handlers  # noqa: F401  (registers the command handlers)
from inbox_protocol import MAX_FRAME_BYTES
from routing_server.auth import SlidingWindow
from routing_server.connection import Connection, ConnectionLimits, broadcast_text
from routing_server.core import Core, CoreOptions
from routing_server.dispatcher import check_admitted
from routing_server.login_gate import LoginGate
from routing_server.mailer import MailConfig, Mailer
from routing_server.metrics import ServerMetrics
from routing_server.storage.base import Storage

log = logging.getLogger(__name__)


# Seconds a closing connection waits for the client's close frame before cutting it.
CLOSE_TIMEOUT = 1.5


@dataclass
class ServerContext:
    """What every connection shares."""

    core: Core
    limits: ConnectionLimits
    login_failures: SlidingWindow = field(default_factory=lambda: SlidingWindow(5, 60.0))
    logins: LoginGate = field(default_factory=LoginGate)
    connections: set[Connection] = field(default_factory=set)
    background: set[asyncio.Task[None]] = field(default_factory=set)


@dataclass
class ServerConfig:
    """How to run the server."""

    host: str = "127.0.0.1"
    port: int = 8765
    tls_cert: Path | None = None
    tls_key: Path | None = None
    max_frame_bytes: int = MAX_FRAME_BYTES
    limits: ConnectionLimits = field(default_factory=ConnectionLimits)
    core: CoreOptions = field(default_factory=CoreOptions)
    mail: MailConfig | None = None
    # The time source (seconds since the epoch); tests pass a fake clock.
    clock: Callable[[], float] = time.time


class RoutingServer:
    """A running server: `await RoutingServer.start(storage, config)`, then `await close()`."""

    def __init__(self, ctx: ServerContext, ws_server: WsServer, scheme: str, host: str) -> None:
        self.ctx = ctx
        self._ws_server = ws_server
        self.scheme = scheme
        self.host = host

    @property
    def core(self) -> Core:
        """The routing core."""
        return self.ctx.core

    @property
    def port(self) -> int:
        """The port actually listened on (the real one when configured as 0)."""
        return int(next(iter(self._ws_server.sockets)).getsockname()[1])

    @property
    def url(self) -> str:
        """`ws://HOST:PORT` (or `wss://`)."""
        return f"{self.scheme}://{self.host}:{self.port}"

    @classmethod
    async def start(cls, storage: Storage, config: ServerConfig | None = None) -> RoutingServer:
        """Open the storage, load the state and start listening."""
        config = config or ServerConfig()
        await storage.open()
        if not await storage.claim_writer():
            await storage.close()
            raise RuntimeError("another server is writing this database; stop it first")
        core = Core(storage, clock=config.clock, options=config.core)
        if config.mail is not None:
            core.mailer = Mailer(config.mail)
        # Subscribers are connections here: frames go straight to idle sockets in one pass.
        core.broadcast = broadcast_text  # type: ignore[assignment]
        core.admit = check_admitted
        await core.start()
        ctx = ServerContext(core=core, limits=config.limits)
        core.metrics = ServerMetrics(lambda: ctx.connections)
        core.metrics.writer.set(1)

        async def handler(ws: ServerConnection) -> None:
            await Connection(ws, ctx).run()

        def http(ws: ServerConnection, request: Request) -> Response | None:
            return _answer_http(ws, request, core)

        tls = _tls_context(config.tls_cert, config.tls_key)
        ws_server = await serve(
            handler,
            config.host,
            config.port,
            ssl=tls,
            max_size=config.max_frame_bytes,
            ping_interval=20,
            ping_timeout=20,
            # A client that does not answer a close frame is cut after this long (shutdown
            # must not wait on silent clients).
            close_timeout=CLOSE_TIMEOUT,
            compression=None,
            process_request=http,
        )
        return cls(ctx, ws_server, "wss" if tls else "ws", config.host)

    async def close(self) -> None:
        """Stop dispatching, close every connection with 1001, then stop the core and storage."""
        for conn in list(self.ctx.connections):
            conn.closed = True  # nothing more is dispatched; commands under way finish
        self._ws_server.close(close_connections=True)
        await self._ws_server.wait_closed()
        for task in list(self.ctx.background):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.ctx.core.stop()
        await self.ctx.core.storage.close()
        self.ctx.logins.close()


def _answer_http(ws: ServerConnection, request: Request, core: Core) -> Response | None:
    """Plain HTTP on the websocket port: `/health` for load balancers (200 once the state is
    loaded and the server accepts connections), `/metrics` for Prometheus; anything else goes on
    to the websocket handshake (which refuses what is not one)."""
    if request.path == "/health":
        return ws.respond(200, "ok\n")
    if request.path == "/metrics":
        assert core.metrics is not None
        response = ws.respond(200, core.metrics.render().decode())
        del response.headers["Content-Type"]
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response
    return None


def _tls_context(cert: Path | None, key: Path | None) -> ssl.SSLContext | None:
    if cert is None and key is None:
        return None
    if cert is None or key is None:
        raise ValueError("--tls-cert and --tls-key go together")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context
