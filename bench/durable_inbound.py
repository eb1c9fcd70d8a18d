"""Durable inbound messages a second with 1, 8 and 32 in flight, against plain sqlite3.

The baselines write a comparable row (a message with its conversation's update) with Python's
sqlite3 module and the server's pragmas (WAL, synchronous=FULL), one message per transaction
and 32 per transaction, in the same run. The server's figure includes the network, the engine,
routing, the fan-out and the acknowledgement; the ratio to the batched baseline says how much
of the disk's capacity the server turns into acknowledged messages.
"""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from routing_server.connection import ConnectionLimits
from tests.server.harness import start_harness

MESSAGES = 1_200
IN_FLIGHT = (1, 8, 32)


def sqlite_baseline(db: Path, per_transaction: int, messages: int = MESSAGES) -> float:
    """Messages a second written by plain sqlite3, `per_transaction` per commit."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE m (id TEXT PRIMARY KEY, conv TEXT, body TEXT, at REAL)")
    conn.execute("CREATE TABLE c (id TEXT PRIMARY KEY, updated REAL)")
    start = time.perf_counter()
    for first in range(0, messages, per_transaction):
        conn.execute("BEGIN")
        for i in range(first, min(first + per_transaction, messages)):
            conn.execute("INSERT INTO m VALUES (?, ?, ?, ?)", (f"m{i}", f"c{i}", "hello", i))
            conn.execute("INSERT OR REPLACE INTO c VALUES (?, ?)", (f"c{i}", i))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return messages / elapsed


async def server_rate(tmp: Path, in_flight: int, messages: int = MESSAGES) -> float:
    """Acknowledged inbound messages a second with `in_flight` requests outstanding."""
    h = await start_harness(tmp, ConnectionLimits(request_rate=1e9, request_burst=1e9))
    try:
        gateways = [await h.gateway(f"gw{i}") for i in range(in_flight)]
        per_gateway = messages // in_flight

        async def send(gw_index: int) -> None:
            for i in range(per_gateway):
                await h.inbound(gateways[gw_index], f"+1{gw_index:03d}{i:07d}")

        start = time.perf_counter()
        await asyncio.gather(*(send(g) for g in range(in_flight)))
        return per_gateway * in_flight / (time.perf_counter() - start)
    finally:
        await h.close()


async def main() -> list[dict[str, Any]]:
    """Print and return the server's durable inbound rates beside the sqlite3 baselines."""
    with tempfile.TemporaryDirectory() as tmp:
        one = sqlite_baseline(Path(tmp) / "one.sqlite3", 1)
        batched = sqlite_baseline(Path(tmp) / "batched.sqlite3", 32)
        rates = {}
        for n in IN_FLIGHT:
            sub = Path(tmp) / f"server-{n}"
            sub.mkdir()
            rates[n] = await server_rate(sub, n)
    print(f"sqlite3, 1 per transaction   {one:8.0f}/s  (baseline)")
    print(f"sqlite3, 32 per transaction  {batched:8.0f}/s  (baseline)")
    rows: list[dict[str, Any]] = []
    for n, rate in rates.items():
        print(
            f"server, {n:2d} in flight         {rate:8.0f}/s  "
            f"ratio {rate / one:.3f} to 1/tx, {rate / batched:.3f} to 32/tx"
        )
        rows.append(
            {
                "bench": "durable_inbound",
                "what": f"inbound, {n} in flight (msg/s)",
                "value": rate,
                "baseline": "sqlite3 32 per transaction (msg/s)",
                "baseline_value": batched,
                "ratio": rate / batched,
                "ratio_to_one_per_transaction": rate / one,
                "goal": ">= 1000 msg/s with 8+ in flight; >= 0.3x sqlite3 batched",
            }
        )
    return rows
