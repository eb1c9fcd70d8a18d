"""The routing rules end to end: real websockets, a fake clock, restarts in the middle of timers."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from routing_client.rpc import RequestFailed, RpcClient
from tests.server.harness import FakeClock, Harness, drain, start_harness, uid, wait_for_event


async def team(h: Harness) -> dict[str, Any]:
    """ana, ben (agents), sam (supervisor), root (admin), and a gateway."""
    clients: dict[str, Any] = {
        "ana": await h.agent("ana"),
        "ben": await h.agent("ben"),
        "sam": await h.agent("sam", "supervisor"),
        "root": await h.agent("root", "admin"),
        "gw": await h.gateway(),
    }
    for name in ("ana", "ben", "sam", "root"):
        clients[f"{name}_id"] = await uid(h, name)
    return clients


async def customer_of(h: Harness, t: dict[str, Any], rep: str, phone: str = "+15550100") -> str:
    result = await t["sam"].request(
        "create_contact", name="Maria Garcia", phone=phone,
        account_rep_id=t[f"{rep}_id"], priority_notifications=True,
    )  # fmt: skip
    return str(result["contact"]["id"])


async def test_priority_is_the_reps_alone_until_time_to_share(timed: Harness) -> None:
    """Priority for the online rep (nobody else sees it); after time to share, the team does."""
    t = await team(timed)
    await customer_of(timed, t, "ana")
    conv_id = (await timed.inbound(t["gw"], "+15550100"))["conversation_id"]
    data = await wait_for_event(t["ana"], "conversation.upsert", conversation__id=conv_id)
    conv = data["conversation"]
    assert (conv["state"], conv["routing"]["reason"]) == ("priority", "dedicated_available")
    assert conv["share_at"] is not None
    note = await wait_for_event(t["ana"], "notification")
    assert note["kind"] == "priority_routed"
    await asyncio.sleep(0.1)
    for other in ("ben", "sam"):
        frames = await drain(t[other])
        assert all(conv_id not in str(e.data) for e in frames), other
        with pytest.raises(RequestFailed) as hidden:
            await t[other].request("get_conversation", conversation_id=conv_id)
        assert hidden.value.code == "not_found"
    await timed.advance(301)
    shared = await wait_for_event(t["ben"], "conversation.upsert", conversation__id=conv_id)
    assert shared["conversation"]["state"] == "shared"
    assert shared["conversation"]["routing"]["reason"] == "time_to_share_elapsed"
    page = await t["ben"].request("get_conversation", conversation_id=conv_id)
    assert [s["reason"] for s in page["timeline"]] == [
        "dedicated_available",
        "time_to_share_elapsed",
    ]


async def test_capacity_wait_and_capacity_freed(timed: Harness) -> None:
    """A full rep: the conversation waits, counted in team load only, until she closes one."""
    t = await team(timed)
    await t["root"].request("update_user", user_id=t["ana_id"], max_open=1)
    await customer_of(timed, t, "ana")
    busy = (await timed.inbound(t["gw"], "+19990000"))["conversation_id"]
    await t["ana"].request("claim", conversation_id=busy)
    conv_id = (await timed.inbound(t["gw"], "+15550100"))["conversation_id"]
    load = (await t["sam"].request("subscribe_team_load", team_id="support"))["team_load"]
    assert load["queue"]["waiting_for_capacity"] == 1
    await drain(t["ana"])
    await t["ana"].request("close", conversation_id=busy)
    data = await wait_for_event(t["ana"], "conversation.upsert", conversation__id=conv_id)
    assert (data["conversation"]["state"], data["conversation"]["routing"]["reason"]) == (
        "priority", "capacity_freed")  # fmt: skip
    pushed = await wait_for_event(t["sam"], "team_load", timeout=3)
    assert pushed["team_load"]["queue"]["waiting_for_capacity"] == 0


async def test_going_away_shares_priority_conversations(timed: Harness) -> None:
    """The rep sets away: her priority conversation goes to the team at once."""
    t = await team(timed)
    await customer_of(timed, t, "ana")
    conv_id = (await timed.inbound(t["gw"], "+15550100"))["conversation_id"]
    await t["ana"].request("set_presence", status="away")
    data = await wait_for_event(t["ben"], "conversation.upsert", conversation__id=conv_id)
    assert data["conversation"]["routing"]["reason"] == "dedicated_went_unavailable"


async def test_rep_change_routes_afresh_and_is_in_the_history(timed: Harness) -> None:
    """A new rep gets the priority conversation; history names actor, time and source."""
    t = await team(timed)
    contact_id = await customer_of(timed, t, "ana")
    conv_id = (await timed.inbound(t["gw"], "+15550100"))["conversation_id"]
    await t["sam"].request("update_contact", contact_id=contact_id, account_rep_id=t["ben_id"])
    removed = await wait_for_event(t["ana"], "conversation.removed", conversation_id=conv_id)
    assert removed["reason"] == "account_rep_changed"
    assert removed["assigned_to"] == t["ben_id"]  # the old rep learns who has it now
    data = await wait_for_event(t["ben"], "conversation.upsert", conversation__id=conv_id)
    assert data["conversation"]["state"] == "priority"
    note = await wait_for_event(t["ben"], "notification", kind="account_rep_assigned")
    assert note["contact_id"] == contact_id
    found = await t["ben"].request("get_contact", contact_id=contact_id)
    kinds = [(h["kind"], h["source"], h["actor_id"]) for h in found["history"]]
    assert kinds == [
        ("priority_notifications_on", "manual", t["sam_id"]),
        ("account_rep_assigned", "manual", t["sam_id"]),
        ("account_rep_unassigned", "manual", t["sam_id"]),
        ("account_rep_assigned", "manual", t["sam_id"]),
    ]
    with pytest.raises(RequestFailed) as agents_cannot:
        await t["ana"].request("update_contact", contact_id=contact_id, account_rep_id=None)
    assert agents_cannot.value.code == "forbidden"


async def test_round_robin_distribution(timed: Harness) -> None:
    """update_team to round_robin: new conversations are assigned to agents in turn."""
    t = await team(timed)
    result = await t["root"].request("update_team", team_id="support", distribution="round_robin")
    assert result["team"]["distribution"] == "round_robin"
    owners = []
    for i in range(4):
        conv_id = (await timed.inbound(t["gw"], f"+1777{i}"))["conversation_id"]
        page = await t["sam"].request("get_conversation", conversation_id=conv_id)
        owners.append(page["conversation"]["assigned_to"])
        assert page["conversation"]["routing"]["reason"] == "auto_assigned_round_robin"
    assert owners == [owners[0], owners[1], owners[0], owners[1]]
    assert set(owners) == {t["ana_id"], t["ben_id"]}


async def test_settings_are_bounded_and_announced(timed: Harness) -> None:
    """update_settings: admins only, bounds named, everyone gets settings.updated."""
    t = await team(timed)
    with pytest.raises(RequestFailed) as not_admin:
        await t["sam"].request("update_settings", sharing_enabled=False)
    assert not_admin.value.code == "forbidden"
    with pytest.raises(RequestFailed) as bounds:
        await t["root"].request("update_settings", channels={"sms": {"time_to_share": 4}})
    assert bounds.value.code == "bad_request"
    assert bounds.value.message == "channels.sms.time_to_share: must be between 5 and 3600"
    with pytest.raises(RequestFailed) as grace:
        await t["root"].request("update_settings", presence_grace_seconds=601)
    assert grace.value.message == "presence_grace_seconds: must be between 0 and 600"
    result = await t["root"].request(
        "update_settings", channels={"chat": {"dedicated_routing": True}}
    )
    assert result["settings"]["channels"]["chat"]["dedicated_routing"] is True
    assert result["settings"]["channels"]["sms"]["time_to_share"] == 300
    pushed = await wait_for_event(t["ana"], "settings.updated")
    assert pushed["settings"]["channels"]["chat"]["dedicated_routing"] is True


async def test_bulk_import_over_the_wire(timed: Harness) -> None:
    """A dry run applies nothing; an error blocks everything; skip_errors applies the rest."""
    t = await team(timed)
    csv = (
        "name,phone,email,account_rep,priority_notifications\n"
        "Maria,+15550001,,ana,X\n"
        "Bad,+15550002,,nobody,\n"
    )
    dry = await t["sam"].request("import_contacts", csv=csv, dry_run=True)
    assert dry["applied"] is False
    assert dry["counts"] == {"create": 1, "update": 0, "unchanged": 0, "error": 1}
    error = "account_rep: no user with e-mail or username 'nobody'"
    assert dry["rows"][1] == {"line": 3, "action": "error", "error": error}
    blocked = await t["sam"].request("import_contacts", csv=csv, dry_run=False)
    assert blocked["applied"] is False
    assert (await t["sam"].request("search_contacts", query="maria"))["contacts"] == []
    done = await t["sam"].request("import_contacts", csv=csv, dry_run=False, skip_errors=True)
    assert done["applied"] is True
    contact_id = done["rows"][0]["contact_id"]
    found = await t["sam"].request("get_contact", contact_id=contact_id)
    assert found["contact"]["account_rep_id"] == t["ana_id"]
    assert {h["source"] for h in found["history"]} == {"bulk_import"}
    with pytest.raises(RequestFailed) as agents_cannot:
        await t["ana"].request("import_contacts", csv=csv, dry_run=True)
    assert agents_cannot.value.code == "forbidden"


async def test_search_contacts_pages_with_a_cursor(timed: Harness) -> None:
    """search_contacts matches name, phone and e-mail and pages by name."""
    t = await team(timed)
    for i in range(5):
        await t["sam"].request("create_contact", name=f"Customer {i}", phone=f"+1666000{i}")
    first = await t["ana"].request("search_contacts", query="customer", limit=2)
    assert [c["name"] for c in first["contacts"]] == ["Customer 0", "Customer 1"]
    second = await t["ana"].request(
        "search_contacts", query="customer", limit=2, cursor=first["next_cursor"]
    )
    assert [c["name"] for c in second["contacts"]] == ["Customer 2", "Customer 3"]
    by_phone = await t["ana"].request("search_contacts", query="+16660004")
    assert [c["name"] for c in by_phone["contacts"]] == ["Customer 4"]
    with pytest.raises(RequestFailed) as bad:
        await t["ana"].request("search_contacts", cursor="nonsense")
    assert bad.value.code == "bad_request"


async def test_reassignment_group_end_to_end(timed: Harness) -> None:
    """A group offers the contact to a member, who accepts; the contact is locked meanwhile."""
    t = await team(timed)
    contact_id = await customer_of(timed, t, "ana")
    saved = await t["root"].request(
        "save_group",
        group={"name": "Key accounts", "member_ids": [t["ben_id"]],
               "default_assignee_id": t["sam_id"], "method": "round_robin", "offer_seconds": 60},
    )  # fmt: skip
    group_id = saved["group"]["id"]
    assert (await t["ana"].request("list_groups"))["groups"][0]["name"] == "Key accounts"
    started = await t["sam"].request("reassign_contact", contact_id=contact_id, group_id=group_id)
    assert started["contact"]["reassignment"]["group_id"] == group_id
    offer = await wait_for_event(t["ben"], "notification", kind="reassignment_offer")
    assert offer["contact_id"] == contact_id
    assert offer["expires_at"] is not None
    with pytest.raises(RequestFailed) as locked:
        await t["sam"].request("update_contact", contact_id=contact_id, account_rep_id=None)
    assert locked.value.code == "reassignment_in_progress"
    accepted = await t["ben"].request("accept_reassignment", contact_id=contact_id)
    assert accepted["contact"]["account_rep_id"] == t["ben_id"]
    assert accepted["contact"]["reassignment"] is None
    history = (await t["sam"].request("get_contact", contact_id=contact_id))["history"]
    assert [h["kind"] for h in history][-4:] == [
        "reassignment_offered", "reassignment_completed", "account_rep_unassigned",
        "account_rep_assigned"]  # fmt: skip


async def test_team_load_is_for_supervisors_of_the_team(timed: Harness) -> None:
    """Agents may not subscribe; a supervisor gets the load and pushes on changes."""
    t = await team(timed)
    with pytest.raises(RequestFailed) as agent:
        await t["ana"].request("subscribe_team_load", team_id="support")
    assert agent.value.code == "forbidden"
    with pytest.raises(RequestFailed) as other_team:
        await t["sam"].request("subscribe_team_load", team_id="sales")
    assert other_team.value.code == "not_found"
    load = (await t["sam"].request("subscribe_team_load", team_id="support"))["team_load"]
    assert {a["user_id"] for a in load["agents"]} >= {t["ana_id"], t["ben_id"]}
    await timed.inbound(t["gw"], "+15553333")
    pushed = await wait_for_event(t["sam"], "team_load", timeout=3)
    assert pushed["team_load"]["queue"]["shared"] == 1
    snap = (await t["sam"].request("sync"))["snapshot"]
    assert snap["team_load"]["team_id"] == "support"


async def test_disabling_a_user_closes_their_connections(timed: Harness) -> None:
    """Disabled: connections closed with 4003, tokens revoked, priority routed onward."""
    t = await team(timed)
    await customer_of(timed, t, "ana")
    conv_id = (await timed.inbound(t["gw"], "+15550100"))["conversation_id"]
    await t["root"].request("update_user", user_id=t["ana_id"], disabled=True)
    await asyncio.wait_for(t["ana"].closed.wait(), 5)
    assert t["ana"].close_code == 4003
    data = await wait_for_event(t["ben"], "conversation.upsert", conversation__id=conv_id)
    assert data["conversation"]["state"] == "shared"
    again = await timed.open()
    with pytest.raises(RequestFailed):
        await again.request("auth", token="x")


@pytest.mark.slow
async def test_timers_fire_after_a_restart_in_the_middle(tmp_path: Path) -> None:
    """share_at, capacity wait, presence grace and an offer, each overdue across a restart,
    fire as soon as the server is back."""
    clock = FakeClock()
    h = await start_harness(tmp_path, clock=clock)
    try:
        t = await team(h)
        await t["root"].request("update_user", user_id=t["ben_id"], max_open=1)
        await customer_of(h, t, "ana", "+15550100")
        await customer_of(h, t, "ben", "+15550200")
        priority = (await h.inbound(t["gw"], "+15550100"))["conversation_id"]
        await t["ben"].request(
            "claim", conversation_id=(await h.inbound(t["gw"], "+1999"))["conversation_id"]
        )
        waiting = (await h.inbound(t["gw"], "+15550200"))["conversation_id"]
        other = await t["sam"].request("create_contact", name="Offer", phone="+15550300")
        group = await t["root"].request(
            "save_group", group={"name": "G", "member_ids": [t["ana_id"]],
                                 "default_assignee_id": t["sam_id"], "method": "round_robin",
                                 "offer_seconds": 60})  # fmt: skip
        await t["sam"].request(
            "reassign_contact", contact_id=other["contact"]["id"], group_id=group["group"]["id"]
        )
        await h.restart()
        clock.now += 400
        back: RpcClient = await h.connect("sam")
        await asyncio.sleep(0.2)
        conv = (await back.request("get_conversation", conversation_id=priority))["conversation"]
        assert (conv["state"], conv["routing"]["reason"]) == ("shared", "time_to_share_elapsed")
        conv = (await back.request("get_conversation", conversation_id=waiting))["conversation"]
        assert conv["routing"]["reason"] in ("capacity_wait_elapsed", "dedicated_went_unavailable")
        contact = (await back.request("get_contact", contact_id=other["contact"]["id"]))["contact"]
        assert contact["reassignment"] is None
        assert contact["account_rep_id"] == t["sam_id"]
        snap = (await back.request("sync"))["snapshot"]
        status = {m["user_id"]: m["status"] for m in snap["team"]}
        assert status[t["ana_id"]] == "offline"
    finally:
        await h.close()


async def test_todays_figures_count_and_survive_a_restart(timed: Harness) -> None:
    """today counts priority routes, claims from priority, hand-offs and closes, and is
    recounted from the timeline after a restart."""
    t = await team(timed)
    await customer_of(timed, t, "ana")
    await customer_of(timed, t, "ben", "+15550200")
    first = (await timed.inbound(t["gw"], "+15550100"))["conversation_id"]
    await t["ana"].request("claim", conversation_id=first)
    await t["ana"].request("close", conversation_id=first)
    await timed.inbound(t["gw"], "+15550200")
    await timed.advance(301)
    today = (await t["sam"].request("subscribe_team_load", team_id="support"))["team_load"]["today"]
    expected = {
        "routed_priority": 2,
        "claimed_from_priority": 1,
        "shared_after_timeout": 1,
        "claimed": 1,
        "closed": 1,
    }
    assert {k: today[k] for k in expected} == expected
    assert today["median_seconds_to_claim"] is not None
    await timed.restart()
    sam = await timed.connect("sam")
    again = (await sam.request("subscribe_team_load", team_id="support"))["team_load"]["today"]
    assert {k: again[k] for k in expected} == expected


async def test_team_load_pushes_at_most_twice_a_second(timed: Harness) -> None:
    """A burst of changes yields at most two team_load pushes a second, the last one current."""
    t = await team(timed)
    await t["sam"].request("subscribe_team_load", team_id="support")
    await drain(t["sam"])
    for i in range(15):
        await timed.inbound(t["gw"], f"+1888{i:04d}")
    await asyncio.sleep(1.1)
    pushes = [e for e in await drain(t["sam"]) if e.event == "team_load"]
    assert 1 <= len(pushes) <= 3
    await asyncio.sleep(0.6)
    pushes += [e for e in await drain(t["sam"]) if e.event == "team_load"]
    assert pushes[-1].data["team_load"]["queue"]["shared"] == 15
