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


HUMANS = tuple(u.username for u in demo.DEMO_USERS)
BOTS = ("cleo", "ben", "ana")  # who plays the demo agent: the first the person does not play


def demo_bot(humans: tuple[str, ...]) -> str | None:
    """The demo agent who claims shared work: Cleo, unless the person plays her too (then Ben,
    then Ana); none when the person plays all three agents."""
    return next((u for u in BOTS if u not in humans), None)


def describe_demo(humans: tuple[str, ...], pace: demo.DemoPace) -> str:
    """What the demo does, in a few lines for the terminal (the README says the same)."""
    names = {u.username: u.display_name for u in demo.DEMO_USERS}
    bot = demo_bot(humans)
    you = " and ".join(names[h] for h in humans)
    lines = [
        f"demo ({pace.name} pace): you are {you}; a window opens for each.",
        f"  customers write about every {round(1 / pace.customer_rate)} s; Ana's customers go "
        f"to her Priority inbox first and to the shared inbox after {pace.time_to_share} s.",
    ]
    if bot is not None:
        low, high = pace.claim_after
        lines.append(f"  {names[bot]} (the demo agent) claims what is in the shared inbox after "
                     f"{low:.0f}-{high:.0f} s, replies, and closes it later.")  # fmt: skip
    return "\n".join(lines)


async def start_demo(humans: tuple[str, ...] = ("ana",), pace: str = "watch") -> DemoServer:
    """Start a fresh demo server at `pace` (`watch` or `fast`); the demo agent leaves the
    `humans` to the person at the app."""
    chosen = demo.PACES[pace]
    folder = tempfile.TemporaryDirectory(prefix="agent-inbox-demo-")
    storage = SqlStorage.sqlite(Path(folder.name) / "demo.sqlite3")
    await storage.open()
    await demo.seed(storage, chosen)
    await storage.close()
    server = await RoutingServer.start(storage, ServerConfig(port=0))
    running = DemoServer(server, storage, folder)
    task = asyncio.create_task(
        demo.run_demo_traffic(
            server.url, storage, out=log.info, bot=demo_bot(humans), slow=None, pace=chosen
        )
    )
    running.tasks.add(task)
    return running
