"""Supervisor actions over the protocol: forcing a teammate's presence, moving their priority
work on, and the team-load fields the panel reads."""

from __future__ import annotations

from typing import Any

import pytest

from routing_client.rpc import RequestFailed
from routing_server import admin
from tests.server.harness import Harness, wait_for_event
from tests.server.test_routing_end_to_end import customer_of, team


def agent_row(load: dict[str, Any], user_id: str) -> dict[str, Any]:
    """One agent's row of a team load."""
    return next(a for a in load["agents"] if a["user_id"] == user_id)


async def test_agents_may_not_use_supervisor_commands(timed: Harness) -> None:
    """Every supervisor command sent by an agent fails with `forbidden` and changes nothing."""
    t = await team(timed)
    for command, fields in (
        ("set_agent_presence", {"user_id": t["ben_id"], "status": "away"}),
        ("move_priority_on", {"user_id": t["ben_id"]}),
    ):
        with pytest.raises(RequestFailed) as refused:
            await t["ana"].request(command, **fields)
        assert refused.value.code == "forbidden", command
    snap = (await t["ben"].request("sync"))["snapshot"]
    assert snap["presence"]["status"] == "online"


async def test_supervisor_outside_the_team_is_forbidden(timed: Harness) -> None:
    """A supervisor of another team may not act on an agent; an unknown user is `not_found`."""
    t = await team(timed)
    await admin.add_team(timed.storage, "Sales")
    await timed.add_user("sue", "supervisor", team="Sales")
    sue = await timed.connect("sue")
    with pytest.raises(RequestFailed) as refused:
        await sue.request("set_agent_presence", user_id=t["ana_id"], status="away")
    assert refused.value.code == "forbidden"
    with pytest.raises(RequestFailed) as missing:
        await t["sam"].request("move_priority_on", user_id="u-nobody")
    assert missing.value.code == "not_found"


async def test_forced_away_names_the_supervisor_and_routes_normally(timed: Harness) -> None:
    """Set away by Sam: Ana hears who did it, her priority work is shared with a step naming
    Sam, and her next customer goes to normal routing."""
    t = await team(timed)
    await customer_of(timed, t, "ana")
    conv_id = (await timed.inbound(t["gw"], "+15550100"))["conversation_id"]
    result = await t["sam"].request("set_agent_presence", user_id=t["ana_id"], status="away")
    assert result["presence"]["status"] == "away"
    assert result["presence"]["set_by"] == t["sam_id"]
    changed = await wait_for_event(t["ana"], "presence.changed", user_id=t["ana_id"], status="away")
    assert (changed["status"], changed["set_by"]) == ("away", t["sam_id"])
    page = await t["sam"].request("get_conversation", conversation_id=conv_id)
    last = page["timeline"][-1]
    assert (last["reason"], last["actor_id"]) == ("dedicated_went_unavailable", t["sam_id"])
    assert last["details"]["forced_by"] == t["sam_id"]
    await customer_of(timed, t, "ana", phone="+15550101")
    second = (await timed.inbound(t["gw"], "+15550101"))["conversation_id"]
    data = await wait_for_event(t["ben"], "conversation.upsert", conversation__id=second)
    assert data["conversation"]["state"] == "shared"
    assert data["conversation"]["routing"]["reason"] == "dedicated_unavailable"
    snap = (await t["ana"].request("sync"))["snapshot"]
    assert snap["presence"] == {**snap["presence"], "status": "away", "set_by": t["sam_id"]}
    await t["ana"].request("set_presence", status="online")
    again = (await t["ana"].request("sync"))["snapshot"]["presence"]
    assert (again["status"], again["set_by"]) == ("online", None)


async def test_admin_sets_an_agent_offline(timed: Harness) -> None:
    """An admin may force any agent offline; teammates' snapshots carry who did."""
    t = await team(timed)
    await t["root"].request("set_agent_presence", user_id=t["ben_id"], status="offline")
    team_view = (await t["ana"].request("sync"))["snapshot"]["team"]
    ben = next(m for m in team_view if m["user_id"] == t["ben_id"])
    assert (ben["status"], ben["set_by"]) == ("offline", t["root_id"])


async def test_move_priority_on_shares_pending_work_now(timed: Harness) -> None:
    """Moving Ana's priority work on shares it at once with its own reason naming Sam; she
    stays online and keeps her claimed work."""
    t = await team(timed)
    await customer_of(timed, t, "ana")
    conv_id = (await timed.inbound(t["gw"], "+15550100"))["conversation_id"]
    result = await t["sam"].request("move_priority_on", user_id=t["ana_id"])
    assert result == {"user_id": t["ana_id"], "moved": 1}
    data = await wait_for_event(t["ben"], "conversation.upsert", conversation__id=conv_id)
    assert data["conversation"]["routing"]["reason"] == "moved_on_by_supervisor"
    page = await t["ben"].request("get_conversation", conversation_id=conv_id)
    step = page["timeline"][-1]
    assert (step["actor_id"], step["details"]["forced_by"]) == (t["sam_id"], t["sam_id"])
    assert step["details"]["rep"] == t["ana_id"]
    snap = (await t["ana"].request("sync"))["snapshot"]
    assert snap["presence"]["status"] == "online"
    assert (await t["sam"].request("move_priority_on", user_id=t["ana_id"]))["moved"] == 0


async def test_team_load_lists_claimed_work_and_flags_silence(timed: Harness) -> None:
    """Team load lists an agent's claimed conversations, flags them silent once a customer has
    waited `silent_after_minutes` for a reply, and clears it when they answer."""
    t = await team(timed)
    await t["root"].request("update_settings", silent_after_minutes=5)
    conv_id = (await timed.inbound(t["gw"], "+15557777", name="Lee"))["conversation_id"]
    await t["ben"].request("claim", conversation_id=conv_id)
    load = (await t["sam"].request("subscribe_team_load", team_id="support"))["team_load"]
    ben = agent_row(load, t["ben_id"])
    assert [c["conversation_id"] for c in ben["claimed"]] == [conv_id]
    assert ben["claimed"][0]["contact_name"] == "Lee"
    assert ben["silent"] is False
    assert ben["awaiting_reply_since"] is not None
    await timed.advance(5 * 60 + 1)
    load = (await t["sam"].request("subscribe_team_load", team_id="support"))["team_load"]
    assert agent_row(load, t["ben_id"])["silent"] is True
    await t["ben"].request("send_message", conversation_id=conv_id, body="Hi", client_msg_id="c1")
    load = (await t["sam"].request("subscribe_team_load", team_id="support"))["team_load"]
    assert agent_row(load, t["ben_id"])["silent"] is False
    assert agent_row(load, t["ben_id"])["awaiting_reply_since"] is None


async def test_team_load_counts_waiting_adherence_and_queue_history(timed: Harness) -> None:
    """Per agent: work waiting for their capacity; per team: rep adherence today and the
    shared queue's depth history."""
    t = await team(timed)
    await t["root"].request("update_user", user_id=t["ana_id"], max_open=1)
    await customer_of(timed, t, "ana")
    first = (await timed.inbound(t["gw"], "+15550100"))["conversation_id"]
    await t["ana"].request("claim", conversation_id=first)
    await customer_of(timed, t, "ana", phone="+15550102")
    await timed.inbound(t["gw"], "+15550102")
    await timed.inbound(t["gw"], "+15559999")
    load = (await t["sam"].request("subscribe_team_load", team_id="support"))["team_load"]
    assert agent_row(load, t["ana_id"])["waiting"] == 1
    assert load["today"]["rep_adherence_percent"] == 100.0
    assert load["shared_history"][-1]["shared"] == 1
    with pytest.raises(RequestFailed) as bounds:
        await t["root"].request("update_settings", silent_after_minutes=0)
    assert bounds.value.code == "bad_request"
    assert "silent_after_minutes" in bounds.value.message
