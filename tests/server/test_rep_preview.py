"""preview_rep_change: what a new rep means for each open conversation, leaking nothing."""

from __future__ import annotations

import pytest

from routing_client.rpc import RequestFailed
from tests.server.harness import Harness, wait_for_event


async def test_preview_lists_seen_conversations_and_counts_private_ones(harness: Harness) -> None:
    """A claimed conversation stays with its owner (listed); a priority one is only counted,
    and the change then does what the preview said."""
    sam = await harness.agent("sam", "supervisor")
    ana = await harness.agent("ana")
    ben = await harness.agent("ben")
    ana_id = (await ana.request("sync"))["snapshot"]["me"]["id"]
    ben_id = (await ben.request("sync"))["snapshot"]["me"]["id"]
    gw = await harness.gateway()
    contact = (await sam.request(
        "create_contact", name="Maria", phone="+15550001", email="maria@example.com",
        account_rep_id=ana_id, priority_notifications=True,
    ))["contact"]  # fmt: skip
    sms = await harness.inbound(gw, "+15550001")
    await ana.request("claim", conversation_id=sms["conversation_id"])
    mail = await harness.inbound(gw, "maria@example.com", channel="email")
    preview = (await sam.request(
        "preview_rep_change", contact_id=contact["id"], account_rep_id=ben_id
    ))["preview"]  # fmt: skip
    assert preview["changes_routing"] is True
    assert preview["conversations"] == [{
        "conversation_id": sms["conversation_id"], "channel": "sms", "state": "claimed",
        "assigned_to": ana_id, "effect": "stays_with_owner",
    }]  # fmt: skip
    assert preview["private"]["priority"] == 1
    assert preview["private"]["to_new_rep"] == 1
    assert mail["conversation_id"] not in str(preview)  # a priority one is never named
    unchanged = await sam.request("get_contact", contact_id=contact["id"])
    assert unchanged["contact"]["account_rep_id"] == ana_id  # a preview changes nothing
    await sam.request("update_contact", contact_id=contact["id"], account_rep_id=ben_id)
    moved = await wait_for_event(ben, "conversation.upsert",
                                 conversation__id=mail["conversation_id"])  # fmt: skip
    assert moved["conversation"]["state"] == "priority"
    assert moved["conversation"]["assigned_to"] == ben_id


async def test_preview_says_normal_routing_when_the_new_rep_is_away(harness: Harness) -> None:
    """A new rep who is away cannot take priority work: it goes to normal routing."""
    sam = await harness.agent("sam", "supervisor")
    ana = await harness.agent("ana")
    ben = await harness.agent("ben")
    ana_id = (await ana.request("sync"))["snapshot"]["me"]["id"]
    ben_id = (await ben.request("sync"))["snapshot"]["me"]["id"]
    await ben.request("set_presence", status="away")
    gw = await harness.gateway()
    contact = (await sam.request(
        "create_contact", name="Maria", phone="+15550001", account_rep_id=ana_id,
        priority_notifications=True,
    ))["contact"]  # fmt: skip
    await harness.inbound(gw, "+15550001")
    preview = (await sam.request(
        "preview_rep_change", contact_id=contact["id"], account_rep_id=ben_id
    ))["preview"]  # fmt: skip
    assert preview["conversations"] == []
    assert preview["private"]["priority"] == 1
    assert preview["private"]["normal_routing"] == 1
    assert preview["private"]["to_new_rep"] == 0
    same = (await sam.request(
        "preview_rep_change", contact_id=contact["id"], account_rep_id=ana_id
    ))["preview"]  # fmt: skip
    assert same["changes_routing"] is False
    assert same["private"]["unchanged"] == 1


async def test_agents_may_not_preview_and_unknown_ids_are_refused(harness: Harness) -> None:
    """An agent gets forbidden; an unknown contact not_found; an unknown rep bad_request."""
    sam = await harness.agent("sam", "supervisor")
    ana = await harness.agent("ana")
    contact = (await sam.request("create_contact", name="Maria", phone="+15550001"))["contact"]
    with pytest.raises(RequestFailed) as agent:
        await ana.request("preview_rep_change", contact_id=contact["id"], account_rep_id=None)
    assert agent.value.code == "forbidden"
    with pytest.raises(RequestFailed) as missing:
        await sam.request("preview_rep_change", contact_id="ct_nope", account_rep_id=None)
    assert missing.value.code == "not_found"
    with pytest.raises(RequestFailed) as rep:
        await sam.request("preview_rep_change", contact_id=contact["id"], account_rep_id="u_x")
    assert rep.value.code == "bad_request"
    assert rep.value.message.startswith("account_rep_id")
