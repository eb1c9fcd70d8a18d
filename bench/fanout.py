"""Fan-out to many agents, and the memory an idle synced connection holds, against a bare server.

The routing server runs in a child process (`inbox-server serve`) with N agents of one team
connected and synced; a gateway sends new customers at a steady rate, and every agent receives
each new shared conversation. The baseline, in the same run and with the same clients, is a
bare `websockets` server in a child process that broadcasts a frame of the same size to every
client (`websockets.broadcast`). Reported: delivery latency p50/p99 (from the gateway's send to
each agent's receipt), the server process's CPU time per delivered frame, and its memory per
idle connection (resident memory with N clients connected and synced, minus with none, over N).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from routing_server import admin, auth
from routing_server.engine.model import User
from routing_server.storage.sql import SqlStorage

AGENTS = (100, 500, 1_000)
RATE = 20.0  # new customers a second
SECONDS = 6.0
CLK_TCK = os.sysconf("SC_CLK_TCK")

BARE_SERVER = r"""
import asyncio, sys, websockets
from websockets.asyncio.server import serve, broadcast
clients = set()
async def handler(ws):
    clients.add(ws)
    try:
        async for frame in ws:
            if frame.startswith("publish "):
                broadcast(clients - {ws}, frame[8:])
            else:
                await ws.send(frame)  # the "sync" answer
    finally:
        clients.discard(ws)
async def main():
    async with serve(handler, "127.0.0.1", 0, max_queue=None) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"listening on ws://127.0.0.1:{port}", flush=True)
        await asyncio.Future()
asyncio.run(main())
"""


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def _rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


@asynccontextmanager
async def child(*argv: str) -> AsyncIterator[tuple[asyncio.subprocess.Process, str]]:
    """A server in a child process; yields it and the URL it prints."""
    proc = await asyncio.create_subprocess_exec(
        *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
    )
    assert proc.stdout is not None
    line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
    try:
        yield proc, line.split("listening on ", 1)[1].strip()
    finally:
        proc.terminate()
        await proc.wait()


async def _prepare(db: Path, agents: int) -> tuple[list[str], str]:
    """Agents' tokens and a gateway token on a fresh database."""
    storage = SqlStorage.sqlite(db)
    await storage.open()
    try:
        tokens = []
        for i in range(agents):
            # Created directly: agents sign in with tokens here, so no password to hash.
            user = User(f"u{i:04d}", f"agent{i:04d}", f"Agent {i}", None, "agent", ("support",))
            await storage.create_user(user, None)
            token, token_hash = auth.new_token()
            now = time.time()
            await storage.save_token(token_hash, user.id, now, now + auth.TOKEN_LIFETIME)
            tokens.append(token)
        gateway = await admin.integration_token(storage, "gw")
    finally:
        await storage.close()
    return tokens, gateway


async def _request(ws: ClientConnection, request_id: int, kind: str, **fields: Any) -> None:
    await ws.send(json.dumps({"id": request_id, "type": kind, **fields}))
    while True:
        frame = json.loads(await ws.recv())
        if frame.get("type") == "result" and frame.get("id") == request_id:
            return


async def _open_agents(url: str, tokens: list[str]) -> list[ClientConnection]:
    sockets = []
    for token in tokens:
        ws = await connect(url, max_size=None, max_queue=None)
        await ws.recv()  # hello
        await _request(ws, 1, "auth", token=token)
        await _request(ws, 2, "sync")
        sockets.append(ws)
    return sockets


class Arrivals:
    """Delivery latencies, and an event set once every expected frame arrived."""

    def __init__(self, expected: int) -> None:
        self.sent: dict[str, float] = {}
        self.latencies: list[float] = []
        self.expected = expected
        self.all_in = asyncio.Event()
        self.frame_bytes = 0

    async def receive(self, ws: ClientConnection) -> None:
        """Record when each conversation.upsert for a sent customer reaches this client."""
        async for frame in ws:
            data = json.loads(frame)
            if data.get("event") == "conversation.upsert":
                key = data["data"]["conversation"]["contact"]["handle"]
                if key in self.sent:
                    self.frame_bytes = len(frame)
                    self.latencies.append(time.perf_counter() - self.sent[key])
                    if len(self.latencies) >= self.expected:
                        self.all_in.set()

    async def wait(self, timeout: float = 30.0) -> None:
        """Wait for every frame, or give up after `timeout` (the figures then say how many)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.all_in.wait(), timeout)


async def routing_server(agents: int) -> dict[str, float]:
    """Latency, CPU per frame and memory per connection of the routing server."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        tokens, gateway_token = await _prepare(db, agents)
        cli = [sys.executable, "-m", "routing_server.cli", "serve", "--port", "0", "--db", str(db)]
        async with child(*cli) as (proc, url):
            await asyncio.sleep(0.5)
            rss_empty = _rss_bytes(proc.pid)
            sockets = await _open_agents(url, tokens)
            await asyncio.sleep(1.0)
            rss_full = _rss_bytes(proc.pid)
            gw = await connect(url, max_size=None)
            await gw.recv()
            await _request(gw, 1, "auth", token=gateway_token)
            count = int(RATE * SECONDS)
            arrivals = Arrivals(count * agents)
            readers = [asyncio.create_task(arrivals.receive(ws)) for ws in sockets]
            cpu_before = _cpu_seconds(proc.pid)
            for i in range(count):
                handle = f"+1999{i:07d}"
                arrivals.sent[handle] = time.perf_counter()
                await gw.send(
                    json.dumps(
                        {"id": 10 + i, "type": "inbound", "channel": "sms", "from": handle,
                         "body": "Where is my order?", "external_id": f"x{i}"}
                    )
                )  # fmt: skip
                await asyncio.sleep(1 / RATE)
            await arrivals.wait()
            cpu = _cpu_seconds(proc.pid) - cpu_before
            for task in readers:
                task.cancel()
            for ws in [*sockets, gw]:
                await ws.close()
    return _figures(arrivals, cpu, (rss_full - rss_empty) / agents)


async def bare_server(agents: int, frame_size: int) -> dict[str, float]:
    """The same figures for a bare websockets server broadcasting frames of the same size."""
    async with child(sys.executable, "-c", BARE_SERVER) as (proc, url):
        await asyncio.sleep(0.3)
        rss_empty = _rss_bytes(proc.pid)
        sockets = []
        for _ in range(agents):
            ws = await connect(url, max_size=None, max_queue=None)
            await ws.send("sync")
            await ws.recv()
            sockets.append(ws)
        await asyncio.sleep(1.0)
        rss_full = _rss_bytes(proc.pid)
        publisher = await connect(url, max_size=None)
        count = int(RATE * SECONDS)
        arrivals = Arrivals(count * agents)
        readers = [asyncio.create_task(arrivals.receive(ws)) for ws in sockets]
        cpu_before = _cpu_seconds(proc.pid)
        filler = "x" * max(0, frame_size - 120)
        for i in range(count):
            handle = f"+1999{i:07d}"
            conversation = {"contact": {"handle": handle}}
            frame = {"type": "event", "event": "conversation.upsert", "seq": i,
                     "data": {"conversation": conversation, "pad": filler}}  # fmt: skip
            arrivals.sent[handle] = time.perf_counter()
            await publisher.send("publish " + json.dumps(frame))
            await asyncio.sleep(1 / RATE)
        await arrivals.wait()
        cpu = _cpu_seconds(proc.pid) - cpu_before
        for task in readers:
            task.cancel()
        for ws in [*sockets, publisher]:
            await ws.close()
    return _figures(arrivals, cpu, (rss_full - rss_empty) / agents)


def _figures(arrivals: Arrivals, cpu: float, memory: float) -> dict[str, float]:
    ordered = sorted(arrivals.latencies) or [float("nan")]
    return {
        "p50_ms": statistics.median(ordered) * 1e3,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1e3,
        "delivered": len(arrivals.latencies) / arrivals.expected,
        "cpu_us_per_frame": cpu / max(1, len(arrivals.latencies)) * 1e6,
        "memory_kib_per_connection": memory / 1024,
        "frame_bytes": float(arrivals.frame_bytes),
    }


async def main(sizes: tuple[int, ...] = AGENTS) -> list[dict[str, Any]]:
    """Print and return fan-out and memory figures beside the bare server's, per size."""
    rows: list[dict[str, Any]] = []
    print(f"{'agents':>7} {'':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU µs/frame':>13} {'KiB/conn':>9}")
    for n in sizes:
        ours = await routing_server(n)
        # The bare server sends frames as large as the routing server's upserts were.
        bare = await bare_server(n, int(ours["frame_bytes"]))
        for label, f in (("server", ours), ("bare", bare)):
            print(
                f"{n:>7} {label:>8} {f['p50_ms']:8.1f} {f['p99_ms']:8.1f} "
                f"{f['cpu_us_per_frame']:13.1f} {f['memory_kib_per_connection']:9.1f}"
                f"  delivered {f['delivered']:.0%}"
            )
        for key, goal in (
            ("p99_ms", "<= 1.5x bare and <= 100 ms at 1,000 agents"),
            ("cpu_us_per_frame", "<= 1.5x bare"),
            ("memory_kib_per_connection", "<= 2x bare, flat in N"),
        ):
            rows.append(
                {
                    "bench": "fanout",
                    "what": f"{key} with {n} agents at {RATE:.0f} msg/s",
                    "value": ours[key],
                    "baseline": f"bare websockets broadcast, {key}",
                    "baseline_value": bare[key],
                    "ratio": ours[key] / bare[key] if bare[key] else float("nan"),
                    "goal": goal,
                }
            )
    return rows
