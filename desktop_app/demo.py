"""`agent-inbox --demo`: the bundled server with demo data and customers, in this process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from routing_server import demo
from routing_server.app import RoutingServer, ServerConfig
from routing_server.storage.sql import SqlStorage

log = logging.getLogger(__name__)


@dataclass
class DemoServer:
    """A running demo server and its traffic; `stop()` ends both and removes the database."""

    server: RoutingServer
    storage: SqlStorage
    folder: tempfile.TemporaryDirectory[str]
    tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def url(self) -> str:
        """Where the app connects."""
        return self.server.url

    async def token(self, username: str) -> str:
        """Sign a demo user in without their password."""
        return await demo.token_for(self.storage, username)

    async def stop(self) -> None:
        """Stop the traffic, then the server."""
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.server.close()
        self.folder.cleanup()


async def start_demo(humans: tuple[str, ...] = ("ana",)) -> DemoServer:
    """Start a fresh demo server; the demo bots leave the `humans` to the person at the app."""
    folder = tempfile.TemporaryDirectory(prefix="agent-inbox-demo-")
    storage = SqlStorage.sqlite(Path(folder.name) / "demo.sqlite3")
    await storage.open()
    await demo.seed(storage)
    await storage.close()
    server = await RoutingServer.start(storage, ServerConfig(port=0))
    running = DemoServer(server, storage, folder)
    bot = next(u for u in ("cleo", "ben", "ana") if u not in humans)
    task = asyncio.create_task(
        demo.run_demo_traffic(server.url, storage, out=log.info, bot=bot, slow=None)
    )
    running.tasks.add(task)
    return running
