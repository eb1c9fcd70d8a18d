"""Per-command cost as the number of open conversations grows, against a bare round trip.

For each size the database is seeded with that many open conversations in one engine
transaction (through the real engine and storage, so the state is what a server would have
built), then a server starts on it and one agent times `ping` (the baseline: the network and
the dispatcher, no state), `inbound` (a new customer: engine, commit, fan-out) and `claim`.
The figure that matters is how each command's cost grows from the smallest size to the
largest: a command should cost what it changes, not what the state holds.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from routing_client.rpc import RpcClient
from routing_server.connection import ConnectionLimits
from routing_server.engine import Engine
from routing_server.engine import conversations as cmd
from routing_server.storage.sql import SqlStorage
from tests.server.harness import start_harness

SIZES = (100, 1_000, 10_000, 50_000)
ROUNDS = 150


async def seed(db: Path, open_conversations: int) -> None:
    """Fill a fresh database with `open_conversations` shared conversations from new contacts."""
    storage = SqlStorage.sqlite(db)
    await storage.open()
    try:
        engine = Engine(await storage.load_state())
        now = time.time() - 60
        tx = engine.begin(now)
        for i in range(open_conversations):
            cmd.inbound(tx, "sms", f"+1999{i:07d}", None, "seeded", f"seed-{i}", None)
        # Events are not stored: nobody was connected to receive them.
        await storage.commit(engine.end(tx), [], now)
    finally:
        await storage.close()


async def _latency(fn: Callable[[int], Awaitable[Any]], rounds: int = ROUNDS) -> float:
    """Median seconds per call, one call at a time."""
    samples = []
    for i in range(rounds):
        start = time.perf_counter()
        await fn(i)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


async def measure(size: int) -> dict[str, float]:
    """Median latency of ping, inbound and claim with `size` open conversations."""
    with tempfile.TemporaryDirectory() as tmp:
        h = await start_harness(Path(tmp), ConnectionLimits(request_rate=1e9, request_burst=1e9))
        await h.add_user("ana", max_open=1000)
        await h.server.close()
        await seed(h.db, size)
        await h.start()
        try:
            agent: RpcClient = await h.connect("ana")
            await agent.request("set_presence", status="online")
            gateway = await h.gateway()
            new_ids: list[str] = []

            async def inbound(i: int) -> None:
                result = await h.inbound(gateway, f"+1888{i:07d}")
                new_ids.append(result["conversation_id"])

            figures = {
                "ping": await _latency(lambda i: agent.request("ping")),
                "inbound": await _latency(inbound),
                "claim": await _latency(
                    lambda i: agent.request("claim", conversation_id=new_ids[i])
                ),
            }
        finally:
            await h.close()
    return figures


async def main(sizes: tuple[int, ...] = SIZES) -> list[dict[str, Any]]:
    """Print and return each command's median cost per size and its growth from the smallest."""
    rows: list[dict[str, Any]] = []
    by_size = {size: await measure(size) for size in sizes}
    first = by_size[sizes[0]]
    print(f"{'open':>8} {'ping ms':>9} {'inbound ms':>11} {'claim ms':>9}  growth vs {sizes[0]}")
    for size, f in by_size.items():
        growth = {k: f[k] / first[k] for k in ("inbound", "claim")}
        print(
            f"{size:>8} {f['ping'] * 1e3:9.2f} {f['inbound'] * 1e3:11.2f} {f['claim'] * 1e3:9.2f}"
            f"  inbound {growth['inbound']:.2f}x, claim {growth['claim']:.2f}x"
        )
        for command in ("inbound", "claim"):
            rows.append(
                {
                    "bench": "command_cost",
                    "what": f"{command} at {size} open conversations",
                    "value_ms": f[command] * 1e3,
                    "baseline": f"ping at {size}",
                    "baseline_ms": f["ping"] * 1e3,
                    "ratio": f[command] / f["ping"],
                    "growth_vs_smallest": growth[command],
                    "goal": "growth <= 1.5 at the largest size",
                }
            )
    return rows
