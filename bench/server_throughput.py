"""Durable commands against bare round trips on one server, in one run.

The baseline is `ping` (a round trip with no storage); the measured operations are `inbound`
(a durable commit plus fan-out) and `claim` (a commit that removes the conversation from the
others' view). The ratio says what durability and routing cost over the network alone, so it
stays comparable across machines and noisy neighbours.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from routing_server.connection import ConnectionLimits
from tests.server.harness import start_harness

ROUNDS = 300


async def _rate(fn: Callable[[int], Awaitable[object]], rounds: int = ROUNDS) -> float:
    """Operations a second, one at a time."""
    start = time.perf_counter()
    for i in range(rounds):
        await fn(i)
    return rounds / (time.perf_counter() - start)


async def main() -> None:
    """Print operations a second and the ratio to the ping baseline."""
    with tempfile.TemporaryDirectory() as tmp:
        # No request rate limit: the benchmark measures the server, not the limiter.
        limits = ConnectionLimits(request_rate=1e9, request_burst=1e9)
        h = await start_harness(Path(tmp), limits)
        try:
            agents = [await h.agent(f"agent{i}", max_open=1000) for i in range(5)]
            gw = await h.gateway()
            baseline = await _rate(lambda i: agents[0].request("ping"))
            conv_ids: list[str] = []

            async def inbound(i: int) -> None:
                conv_ids.append((await h.inbound(gw, f"+1{i:09d}"))["conversation_id"])

            inbound_rate = await _rate(inbound)
            claim_rate = await _rate(
                lambda i: agents[i % 5].request("claim", conversation_id=conv_ids[i])
            )
        finally:
            await h.close()
    print(f"ping     {baseline:8.0f}/s  (baseline)")
    print(f"inbound  {inbound_rate:8.0f}/s  ratio {inbound_rate / baseline:.3f}")
    print(f"claim    {claim_rate:8.0f}/s  ratio {claim_rate / baseline:.3f}")
