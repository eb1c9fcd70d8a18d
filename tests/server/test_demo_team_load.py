"""The demo gives its supervisor a populated team load within a minute."""

from __future__ import annotations

import asyncio
import time

from desktop_app.demo import start_demo
from routing_client.rpc import RpcClient


async def test_the_demo_supervisor_sees_a_populated_team_load_within_a_minute() -> None:
    """Signed in as the demo supervisor, team load shows agents online with work and the
    shared queue's history within a minute of the demo starting."""
    demo = await start_demo(humans=("sam",))
    sam = await RpcClient.open(demo.url)
    try:
        await sam.request("auth", token=await demo.token("sam"))
        await sam.request("sync")
        started = time.monotonic()
        load = (await sam.request("subscribe_team_load", team_id="support"))["team_load"]
        while not any(a["open"] or a["priority"] for a in load["agents"]):
            assert time.monotonic() - started < 60, load
            event = await asyncio.wait_for(sam.events.get(), timeout=60)
            if event.event == "team_load":
                load = event.data["team_load"]
        busy = [a for a in load["agents"] if a["open"] or a["priority"]]
        assert any(a["status"] == "online" for a in busy)
        assert load["today"]["routed_priority"] + load["today"]["claimed"] > 0
        assert load["shared_history"]
    finally:
        await sam.close()
        await demo.stop()
