"""The shared-inbox flow over real websockets: inbound, claim, reply, delivery, release, close."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from routing_client.rpc import RequestFailed
from tests.server.harness import Harness, drain, wait_for_event


async def test_inbound_opens_a_shared_conversation_for_the_team(harness: Harness) -> None:
    """An unknown sender becomes a contact and their message reaches every team member."""
    ana = await harness.agent("ana")
    ben = await harness.agent("ben")
    gw = await harness.gateway()
    result = await harness.inbound(gw, "+15551234", "Where is my order?", name="Maria Garcia")
    assert result["duplicate"] is False
    for client in (ana, ben):
        data = await wait_for_event(client, "conversation.upsert")
        conv = data["conversation"]
        assert conv["id"] == result["conversation_id"]
        assert conv["state"] == "shared"
        assert conv["assigned_to"] is None
        assert conv["routing"]["reason"] == "no_dedicated_agent"
        assert conv["contact"]["name"] == "Maria Garcia"
        assert conv["contact"]["handle"] == "+15551234"
        assert conv["unread"] == 1
        message = (await wait_for_event(client, "message.new"))["message"]
        assert message["body"] == "Where is my order?"
        assert message["direction"] == "in"
        assert message["delivery"] is None


async def test_inbound_is_idempotent_on_external_id(harness: Harness) -> None:
    """The same external_id twice stores one message and answers duplicate the second time."""
    gw = await harness.gateway()
    ana = await harness.agent("ana")
    first = await harness.inbound(gw, external_id="sms-1")
    again = await harness.inbound(gw, external_id="sms-1")
    assert again == {**first, "duplicate": True}
    page = await ana.request("get_conversation", conversation_id=first["conversation_id"])
    assert len(page["messages"]) == 1


async def test_follow_up_joins_the_open_conversation(harness: Harness) -> None:
    """A second message from the contact on the same channel lands in the same conversation."""
    gw = await harness.gateway()
    ana = await harness.agent("ana")
    first = await harness.inbound(gw, body="one")
    second = await harness.inbound(gw, body="two")
    assert second["conversation_id"] == first["conversation_id"]
    page = await ana.request("get_conversation", conversation_id=first["conversation_id"])
    assert [m["body"] for m in page["messages"]] == ["one", "two"]
    assert page["conversation"]["unread"] == 2


async def test_claim_removes_it_from_everyone_else(harness: Harness) -> None:
    """The claimer owns it; other agents get conversation.removed; the supervisor still sees it."""
    ana = await harness.agent("ana")
    ben = await harness.agent("ben")
    sam = await harness.agent("sam", "supervisor")
    gw = await harness.gateway()
    conv_id = (await harness.inbound(gw))["conversation_id"]
    for client in (ana, ben, sam):
        await wait_for_event(client, "message.new")
    ana_id = (await ana.request("sync"))["snapshot"]["me"]["id"]
    claimed = (await ana.request("claim", conversation_id=conv_id))["conversation"]
    assert claimed["state"] == "claimed"
    assert claimed["assigned_to"] == ana_id
    removed = await wait_for_event(ben, "conversation.removed")
    assert removed == {"conversation_id": conv_id, "reason": "claimed", "assigned_to": ana_id}
    seen = (await wait_for_event(sam, "conversation.upsert"))["conversation"]
    assert seen["state"] == "claimed"
    with pytest.raises(RequestFailed) as lost:
        await ben.request("claim", conversation_id=conv_id)
    assert lost.value.code == "already_claimed"
    with pytest.raises(RequestFailed) as hidden:
        await ben.request("get_conversation", conversation_id=conv_id)
    assert hidden.value.code == "not_found"
    again = await ana.request("claim", conversation_id=conv_id)
    assert again["conversation"]["state"] == "claimed"


@pytest.mark.slow
async def test_claim_race_has_exactly_one_winner(harness: Harness) -> None:
    """Twenty agents claim each of fifty conversations at once: one wins and nineteen lose."""
    agents = [await harness.agent(f"agent{i:02d}", max_open=100) for i in range(20)]
    gw = await harness.gateway()
    conv_ids = [(await harness.inbound(gw, f"+1555{i:07d}"))["conversation_id"] for i in range(50)]
    for conv_id in conv_ids:
        outcomes = await asyncio.gather(
            *(a.request("claim", conversation_id=conv_id) for a in agents),
            return_exceptions=True,
        )
        winners = [o for o in outcomes if isinstance(o, dict)]
        losers = [o for o in outcomes if isinstance(o, RequestFailed)]
        assert len(winners) == 1
        assert len(losers) == 19
        assert {e.code for e in losers} == {"already_claimed"}
        assert winners[0]["conversation"]["state"] == "claimed"


async def test_reply_claims_a_shared_conversation_and_reaches_the_gateway(harness: Harness) -> None:
    """Replying to a shared conversation claims it; with a gateway connected the reply is sent in
    the same commit, the gateway gets outbound.message, and the agent sees it delivered."""
    ana = await harness.agent("ana")
    gw = await harness.gateway()
    conv_id = (await harness.inbound(gw, "+15557777"))["conversation_id"]
    sent = await ana.request(
        "send_message", conversation_id=conv_id, body="On its way!", client_msg_id="c-1"
    )
    message = sent["message"]
    assert message["direction"] == "out"
    assert message["delivery"] == "sent"
    conv = await wait_for_event(ana, "conversation.upsert", conversation__state="claimed")
    assert conv["conversation"]["routing"]["reason"] == "claimed"
    out = await wait_for_event(gw, "outbound.message")
    assert out == {
        "message_id": message["id"],
        "conversation_id": conv_id,
        "channel": "sms",
        "to": "+15557777",
        "body": "On its way!",
    }
    updated = await wait_for_event(ana, "message.updated", message__delivery="sent")
    assert updated["message"]["id"] == message["id"]
    await gw.request("outbound_status", message_id=message["id"], status="delivered")
    done = await wait_for_event(ana, "message.updated", message__delivery="delivered")
    assert done["message"]["id"] == message["id"]


async def test_same_client_msg_id_is_stored_and_delivered_once(harness: Harness) -> None:
    """A reply sent twice with one client_msg_id returns the same message and is sent once."""
    ana = await harness.agent("ana")
    gw = await harness.gateway()
    conv_id = (await harness.inbound(gw))["conversation_id"]
    first = await ana.request("send_message", conversation_id=conv_id, body="x", client_msg_id="k")
    second = await ana.request("send_message", conversation_id=conv_id, body="x", client_msg_id="k")
    assert first["message"]["id"] == second["message"]["id"]
    await wait_for_event(gw, "outbound.message")
    await asyncio.sleep(0.2)
    assert [e for e in await drain(gw) if e.event == "outbound.message"] == []
    page = await ana.request("get_conversation", conversation_id=conv_id)
    assert [m["direction"] for m in page["messages"]] == ["in", "out"]


async def test_unacknowledged_replies_are_resent_after_the_gateways_next_sync(
    harness: Harness,
) -> None:
    """A reply the gateway never acknowledged comes again after its next sync, and then stops."""
    ana = await harness.agent("ana")
    gw = await harness.gateway()
    conv_id = (await harness.inbound(gw))["conversation_id"]
    msg = (await ana.request("send_message", conversation_id=conv_id, body="a", client_msg_id="1"))[
        "message"
    ]
    await wait_for_event(gw, "outbound.message")
    await gw.close()
    gw2 = await harness.gateway()
    again = await wait_for_event(gw2, "outbound.message")
    assert again["message_id"] == msg["id"]
    await gw2.request("outbound_status", message_id=msg["id"], status="delivered")
    gw3 = await harness.gateway()
    await asyncio.sleep(0.2)
    assert [e for e in await drain(gw3) if e.event == "outbound.message"] == []


async def test_release_returns_it_to_the_shared_inbox(harness: Harness) -> None:
    """Releasing a claimed conversation shares it again with reason released_by_agent."""
    ana = await harness.agent("ana")
    ben = await harness.agent("ben")
    gw = await harness.gateway()
    conv_id = (await harness.inbound(gw))["conversation_id"]
    await ana.request("claim", conversation_id=conv_id)
    await wait_for_event(ben, "conversation.removed")
    with pytest.raises(RequestFailed) as not_yours:
        await ben.request("release", conversation_id=conv_id)
    assert not_yours.value.code == "not_found"
    released = (await ana.request("release", conversation_id=conv_id))["conversation"]
    assert released["state"] == "shared"
    assert released["routing"]["reason"] == "released_by_agent"
    back = await wait_for_event(ben, "conversation.upsert", conversation__id=conv_id)
    assert back["conversation"]["state"] == "shared"


async def test_close_then_the_next_message_opens_a_new_conversation(harness: Harness) -> None:
    """After close, the contact's next inbound message on that channel opens a new conversation."""
    ana = await harness.agent("ana")
    gw = await harness.gateway()
    first = (await harness.inbound(gw))["conversation_id"]
    await ana.request("claim", conversation_id=first)
    closed = (await ana.request("close", conversation_id=first))["conversation"]
    assert closed["state"] == "closed"
    with pytest.raises(RequestFailed) as twice:
        await ana.request("close", conversation_id=first)
    assert twice.value.code == "invalid_state"
    second = (await harness.inbound(gw))["conversation_id"]
    assert second != first
    page = await ana.request("get_conversation", conversation_id=first)
    assert page["conversation"]["state"] == "closed"


async def test_transfer_makes_a_teammate_the_owner(harness: Harness) -> None:
    """The owner transfers to a teammate, who owns it and is notified; others cannot."""
    ana = await harness.agent("ana")
    ben = await harness.agent("ben")
    await harness.add_user("olga", team=None)
    olga_id = (await ana.request("list_users"))["users"]
    olga = next(u for u in olga_id if u["username"] == "olga")
    ben_id = (await ben.request("auth", token=await harness.token("ben")))["user"]["id"]
    gw = await harness.gateway()
    conv_id = (await harness.inbound(gw))["conversation_id"]
    await ana.request("claim", conversation_id=conv_id)
    with pytest.raises(RequestFailed) as outsider:
        await ana.request("transfer", conversation_id=conv_id, to_user_id=olga["id"])
    assert outsider.value.code == "bad_request"
    moved = await ana.request("transfer", conversation_id=conv_id, to_user_id=ben_id)
    assert moved["conversation"]["assigned_to"] == ben_id
    assert moved["conversation"]["routing"]["reason"] == "transferred"
    note = await wait_for_event(ben, "notification")
    assert note["kind"] == "transferred_to_you"
    assert note["conversation_id"] == conv_id
    await wait_for_event(ana, "conversation.removed", conversation_id=conv_id)


async def test_mark_read_resets_unread(harness: Harness) -> None:
    """mark_read sets unread to 0."""
    ana = await harness.agent("ana")
    gw = await harness.gateway()
    conv_id = (await harness.inbound(gw))["conversation_id"]
    await harness.inbound(gw)
    result = await ana.request("mark_read", conversation_id=conv_id)
    assert result["conversation"]["unread"] == 0


async def test_get_conversation_pages_backwards(harness: Harness) -> None:
    """Pages of `limit` messages go back with before_message_id until has_more is false."""
    ana = await harness.agent("ana")
    gw = await harness.gateway()
    conv_id = ""
    for i in range(7):
        conv_id = (await harness.inbound(gw, body=f"m{i}"))["conversation_id"]
    page = await ana.request("get_conversation", conversation_id=conv_id, limit=3)
    assert [m["body"] for m in page["messages"]] == ["m4", "m5", "m6"]
    assert page["has_more"] is True
    assert [t["reason"] for t in page["timeline"]] == ["no_dedicated_agent"]
    older = await ana.request(
        "get_conversation",
        conversation_id=conv_id,
        limit=3,
        before_message_id=page["messages"][0]["id"],
    )
    assert [m["body"] for m in older["messages"]] == ["m1", "m2", "m3"]
    oldest = await ana.request(
        "get_conversation",
        conversation_id=conv_id,
        limit=3,
        before_message_id=older["messages"][0]["id"],
    )
    assert [m["body"] for m in oldest["messages"]] == ["m0"]
    assert oldest["has_more"] is False


async def test_commands_on_unknown_conversations_are_not_found(harness: Harness) -> None:
    """Every conversation command answers not_found for an id that does not exist."""
    ana = await harness.agent("ana")
    for command, extra in [
        ("get_conversation", {}),
        ("claim", {}),
        ("release", {}),
        ("close", {}),
        ("mark_read", {}),
        ("transfer", {"to_user_id": "u_x"}),
        ("send_message", {"body": "x", "client_msg_id": str(uuid.uuid4())}),
    ]:
        with pytest.raises(RequestFailed) as err:
            await ana.request(command, conversation_id="cv_missing", **extra)
        assert err.value.code == "not_found", command


async def test_agents_cannot_use_gateway_commands(harness: Harness) -> None:
    """inbound is for integrations only."""
    ana = await harness.agent("ana")
    with pytest.raises(RequestFailed) as err:
        await ana.call("inbound", {"channel": "sms", "body": "x", "external_id": "e", "from": "+1"})
    assert err.value.code == "forbidden"
