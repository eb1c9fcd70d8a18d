"""Sync (snapshots and deltas), presence, and visibility checked on every frame."""

from __future__ import annotations

import asyncio
import random
from typing import Any

from inbox_protocol import EVENT_PAYLOADS, Snapshot
from routing_client.rpc import RequestFailed, RpcClient
from tests.server.harness import Harness, drain, wait_for_event


def apply(view: dict[str, dict[str, Any]], name: str, data: dict[str, Any]) -> None:
    """What a client does with conversation events."""
    if name == "conversation.upsert":
        conv = data["conversation"]
        if conv["state"] == "closed":
            view.pop(conv["id"], None)
        else:
            view[conv["id"]] = conv
    elif name == "conversation.removed":
        view.pop(data["conversation_id"], None)


async def snapshot_view(client: RpcClient) -> tuple[int, dict[str, dict[str, Any]]]:
    """The conversations a fresh snapshot holds, with its seq."""
    result = await client.request("sync")
    assert result["mode"] == "snapshot"
    Snapshot.model_validate(result["snapshot"])
    return result["seq"], {c["id"]: c for c in result["snapshot"]["conversations"]}


async def test_snapshot_holds_what_the_user_may_see(harness: Harness) -> None:
    """The snapshot has me, presence, settings, visible open conversations and the team."""
    ana = await harness.agent("ana")
    gw = await harness.gateway()
    conv_id = (await harness.inbound(gw))["conversation_id"]
    result = await ana.request("sync")
    snap = Snapshot.model_validate(result["snapshot"])
    assert snap.me.username == "ana"
    assert snap.presence.status == "online"
    assert snap.settings.channels["chat"].dedicated_routing is False
    assert snap.settings.channels["sms"].time_to_share == 300
    assert [c.id for c in snap.conversations] == [conv_id]
    assert [m.display_name for m in snap.team] == ["Ana"]
    assert result["seq"] >= 1


async def test_delta_after_missed_events_ends_with_the_servers_view(harness: Harness) -> None:
    """A client that drops, misses events, reconnects and syncs since its seq matches a snapshot."""
    ana = await harness.agent("ana")
    ben = await harness.agent("ben")
    gw = await harness.gateway()
    seq, view = await snapshot_view(ben)
    for i in range(3):
        await harness.inbound(gw, f"+1555000{i}")
    await asyncio.sleep(0.1)
    for event in await drain(ben):
        apply(view, event.event, event.data)
        seq = max(seq, event.seq)
    await ben.close()
    # While ben is away: new conversations, a claim by ana, a close.
    ids = [(await harness.inbound(gw, f"+1666000{i}"))["conversation_id"] for i in range(3)]
    await ana.request("claim", conversation_id=ids[0])
    first = next(iter(view))
    await ana.request("claim", conversation_id=first)
    await ana.request("close", conversation_id=first)
    again = await harness.connect("ben", sync=False)
    delta = await again.request("sync", since=seq)
    assert delta["mode"] == "delta"
    assert [e["seq"] for e in delta["events"]] == sorted(e["seq"] for e in delta["events"])
    for e in delta["events"]:
        apply(view, e["event"], e["data"])
    _, truth = await snapshot_view(again)
    assert view == truth
    assert set(truth) == {*ids[1:], *[c for c in view if c not in (first, ids[0])]}


async def test_sync_from_the_future_or_from_scratch_gets_a_snapshot(harness: Harness) -> None:
    """A since the server cannot vouch for gives a snapshot."""
    ana = await harness.agent("ana")
    result = await ana.request("sync", since=10_000)
    assert result["mode"] == "snapshot"


async def test_no_events_before_the_first_sync(harness: Harness) -> None:
    """An authenticated connection that has not synced receives no events."""
    await harness.add_user("ana")
    quiet = await harness.connect("ana", sync=False)
    gw = await harness.gateway()
    await harness.inbound(gw)
    await asyncio.sleep(0.2)
    assert await drain(quiet) == []


async def test_presence_changes_reach_the_team_and_expire_after_grace(harness: Harness) -> None:
    """set_presence is announced to teammates; after the last connection drops and the grace
    period passes the user is offline."""
    harness.server.core.state.settings.presence_grace_seconds = 1
    ana = await harness.agent("ana")
    ben = await harness.agent("ben")
    ben_id = (await ben.request("sync"))["snapshot"]["me"]["id"]
    result = await ben.request("set_presence", status="away")
    assert result["status"] == "away"
    changed = await wait_for_event(ana, "presence.changed", user_id=ben_id, status="away")
    assert changed["since"]
    await ben.close()
    await asyncio.sleep(0.5)
    assert [e for e in await drain(ana) if e.event == "presence.changed"] == []
    gone = await wait_for_event(ana, "presence.changed", timeout=5, user_id=ben_id)
    assert gone["status"] == "offline"


async def test_presence_survives_a_reconnect_inside_the_grace_period(harness: Harness) -> None:
    """Dropping and reconnecting within the grace period keeps the user online."""
    harness.server.core.state.settings.presence_grace_seconds = 2
    ana = await harness.agent("ana")
    await ana.close()
    back = await harness.connect("ana")
    await asyncio.sleep(2.5)
    snap = (await back.request("sync"))["snapshot"]
    assert snap["presence"]["status"] == "online"


async def test_busy_scenario_never_shows_a_hidden_conversation(harness: Harness) -> None:
    """Several agents, a supervisor and a gateway work at random, several commands in flight at
    once; every frame each connection receives is about a conversation that connection may
    see."""
    rng = random.Random(7)
    names = ["a1", "a2", "a3", "a4"]
    agents = {n: await harness.agent(n, max_open=50) for n in names}
    await harness.add_user("outsider", team=None)
    outsider = await harness.connect("outsider")
    sup = await harness.agent("sup", "supervisor")
    clients: dict[str, RpcClient] = {**agents, "sup": sup, "outsider": outsider}
    my_id = {n: (await c.request("sync"))["snapshot"]["me"]["id"] for n, c in clients.items()}
    ids = {n: my_id[n] for n in names}
    roles = {**{n: "agent" for n in names}, "sup": "supervisor", "outsider": "agent"}
    # Half the customers have a dedicated agent, so that priority conversations happen.
    for i in range(0, 30, 2):
        rep = ids[names[i % 4]]
        await sup.request("create_contact", name=f"C{i}", phone=f"+1777{i:04d}",
                          account_rep_id=rep, priority_notifications=True)  # fmt: skip
    gw = await harness.gateway()
    conv_ids: list[str] = []
    refusals = {"not_found", "already_claimed", "invalid_state", "forbidden"}

    async def act(action: float, name: str, conv_id: str | None, pick: float) -> None:
        client = agents[name]
        try:
            if action < 0.35 or conv_id is None:
                sender = f"+1777{int(pick * 30):04d}"
                conv_ids.append((await harness.inbound(gw, sender))["conversation_id"])
            elif action < 0.55:
                await client.request("claim", conversation_id=conv_id)
            elif action < 0.7:
                await client.request(
                    "send_message", conversation_id=conv_id, body="hi", client_msg_id=str(pick)
                )
            elif action < 0.8:
                await client.request("release", conversation_id=conv_id)
            elif action < 0.9:
                other = ids[names[int(pick * 4)]]
                await client.request("transfer", conversation_id=conv_id, to_user_id=other)
            else:
                await client.request("close", conversation_id=conv_id)
        except RequestFailed as err:
            refused.append(err.code)

    refused: list[str] = []
    # Four commands in flight at a time, so that they share group commits.
    for _ in range(30):
        batch = [
            (rng.random(), rng.choice(names), rng.choice(conv_ids) if conv_ids else None,
             rng.random())
            for _ in range(4)
        ]  # fmt: skip
        await asyncio.gather(*(act(*step) for step in batch))
    assert set(refused) <= refusals
    await asyncio.sleep(0.3)
    seen_states: set[str] = set()
    for name, client in clients.items():
        view: dict[str, dict[str, Any]] = {}
        for event in await drain(client):
            data = event.data
            payload = EVENT_PAYLOADS.get(event.event)
            if payload is not None:
                payload.model_validate(data)  # the data has its documented shape
            if event.event == "conversation.upsert":
                conv = data["conversation"]
                seen_states.add(conv["state"])
                if conv["state"] == "shared":
                    assert name != "outsider"
                elif conv["state"] in ("claimed", "closed"):
                    assert conv["assigned_to"] == my_id[name] or roles[name] == "supervisor"
                else:
                    assert conv["state"] == "priority"
                    assert conv["assigned_to"] == my_id[name]
                    assert roles[name] == "agent"
            elif event.event in ("message.new", "message.updated"):
                assert data["message"]["conversation_id"] in view, (name, event)
            apply(view, event.event, data)
            if event.event == "conversation.upsert" and data["conversation"]["state"] == "closed":
                view[data["conversation"]["id"]] = data["conversation"]
    assert await drain(outsider) == []
    # Every kind of view was exercised, the private one included.
    assert {"priority", "shared", "claimed"} <= seen_states


async def test_events_during_a_snapshot_follow_it_and_none_is_lost(harness: Harness) -> None:
    """Customers write while a supervisor syncs: the snapshot and the events after it hold
    every conversation exactly once, and no event older than the snapshot arrives."""
    await harness.add_user("sam", "supervisor")
    sam = await harness.connect("sam", sync=False)
    gw = await harness.gateway()
    writes = asyncio.gather(*(harness.inbound(gw, f"+1555{i:04d}") for i in range(30)))
    result = await sam.request("sync")
    created = {r["conversation_id"] for r in await writes}
    await asyncio.sleep(0.3)
    seen = [c["id"] for c in result["snapshot"]["conversations"]]
    for event in await drain(sam):
        assert event.seq > result["seq"]
        if event.event == "conversation.upsert":
            seen.append(event.data["conversation"]["id"])
    assert set(seen) == created
