"""The pure engine, driven with a fake clock: no server, no storage, no network."""

from __future__ import annotations

import itertools

import pytest

from routing_server.engine import Engine, presence
from routing_server.engine import conversations as cmd
from routing_server.engine.clock import fire_due, next_deadline
from routing_server.engine.errors import EngineError
from routing_server.engine.model import Presence, Role, Team, User
from routing_server.engine.state import State
from routing_server.engine.tx import Changes, Removal


class FakeClock:
    """Time that moves only when told."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def engine() -> Engine:
    state = State()
    state.teams["support"] = Team("support", "support")
    roles: list[tuple[str, Role]] = [("ana", "agent"), ("ben", "agent"), ("sam", "supervisor")]
    for uid, role in roles:
        user = User(uid, uid, uid.title(), None, role, ("support",))
        state.add_user(user, Presence(uid, "online", 0))
    state.add_user(User("gw", "gw", "gw", None, "integration", ()), Presence("gw", "offline", 0))
    counter = itertools.count(1)
    return Engine(state, new_id=lambda prefix: f"{prefix}{next(counter)}")


def run(engine: Engine, clock: FakeClock, fn, *args):  # type: ignore[no-untyped-def]
    """Run one command in its own transaction, as the server does (settle included); returns
    (result, changes)."""
    tx = engine.begin(clock.now)
    result = fn(tx, *args)
    return result, engine.end(tx)


def events(changes: Changes, name: str) -> list[tuple[object, frozenset[str]]]:
    return [(e.payload, e.audience) for e in changes.events if e.name == name]


def test_inbound_from_a_stranger_is_shared_with_the_team(engine: Engine, clock: FakeClock) -> None:
    """A new contact's first message opens a shared conversation seen by all team members."""
    (conv, message), changes = run(
        engine, clock, cmd.inbound, "sms", "+1 555 0100", "Maria", "hi", "e1", None
    )
    assert conv.state == "shared"
    assert conv.reason == "no_dedicated_agent"
    assert engine.state.contacts[conv.contact_id].phone == "+15550100"
    [(payload, audience)] = events(changes, "conversation.upsert")
    assert payload is conv
    assert audience == {"ana", "ben", "sam"}
    [(msg, msg_audience)] = events(changes, "message.new")
    assert msg is message
    assert msg_audience == audience
    assert [t.reason for t in changes.timeline] == ["no_dedicated_agent"]


def test_claim_tells_the_others_it_is_gone(engine: Engine, clock: FakeClock) -> None:
    """Claiming removes the conversation from the other agents' view but not the supervisor's."""
    (conv, _), _ = run(engine, clock, cmd.inbound, "sms", "+1", None, "hi", "e1", None)
    _, changes = run(engine, clock, cmd.claim, engine.state.users["ana"], conv.id)
    [(removal, gone)] = events(changes, "conversation.removed")
    assert removal == Removal(conv.id, "claimed", engine.state.users["ana"].id)
    assert gone == {"ben"}
    [(_, audience)] = events(changes, "conversation.upsert")
    assert audience == {"ana", "sam"}
    with pytest.raises(EngineError) as err:
        run(engine, clock, cmd.claim, engine.state.users["ben"], conv.id)
    assert err.value.code == "already_claimed"


def test_errors_change_nothing(engine: Engine, clock: FakeClock) -> None:
    """A refused command leaves the transaction untouched."""
    (conv, _), _ = run(engine, clock, cmd.inbound, "sms", "+1", None, "hi", "e1", None)
    tx = engine.begin(clock.now)
    with pytest.raises(EngineError):
        cmd.close(tx, engine.state.users["ana"], conv.id)
    assert not tx.touched
    assert conv.state == "shared"


def test_reply_claims_and_asks_gateways_to_deliver(engine: Engine, clock: FakeClock) -> None:
    """Replying to a shared conversation claims it and addresses the outbound to gateways only."""
    (conv, _), _ = run(engine, clock, cmd.inbound, "sms", "+1", None, "hi", "e1", None)
    clock.advance(5)
    message, changes = run(
        engine, clock, cmd.send_message, engine.state.users["ben"], conv.id, "yo", "c1"
    )
    assert (conv.state, conv.assigned_to) == ("claimed", "ben")
    assert (message.delivery, message.at) == ("pending", clock.now)
    [(_, audience)] = events(changes, "outbound.message")
    assert audience == {"gw"}


def test_close_frees_the_contact_for_a_new_conversation(engine: Engine, clock: FakeClock) -> None:
    """After close, the same contact and channel open a new conversation."""
    (conv, _), _ = run(engine, clock, cmd.inbound, "sms", "+1", None, "hi", "e1", None)
    run(engine, clock, cmd.claim, engine.state.users["ana"], conv.id)
    run(engine, clock, cmd.close, engine.state.users["ana"], conv.id)
    (again, _), _ = run(engine, clock, cmd.inbound, "sms", "+1", None, "hi", "e2", None)
    assert again.id != conv.id
    (other_channel, _), _ = run(engine, clock, cmd.inbound, "chat", "+1", None, "hi", "e3", None)
    assert other_channel.id != again.id


def test_presence_grace_with_a_fake_clock(engine: Engine, clock: FakeClock) -> None:
    """After the last connection drops, the user goes offline exactly when the grace ends."""
    ana = engine.state.users["ana"]
    tx = engine.begin(clock.now)
    presence.connected(tx, ana)
    presence.disconnected(tx, ana)
    tx.finish()
    assert next_deadline(engine.state) == clock.now + 30
    clock.advance(29.9)
    tx = engine.begin(clock.now)
    fire_due(tx)
    assert engine.state.presence["ana"].status == "online"
    clock.advance(0.1)
    tx = engine.begin(clock.now)
    fire_due(tx)
    changes = tx.finish()
    status: str = engine.state.presence["ana"].status
    assert status == "offline"
    [(_, audience)] = events(changes, "presence.changed")
    assert audience == {"ana", "ben", "sam"}
    assert next_deadline(engine.state) is None


def test_reconnect_inside_grace_cancels_it(engine: Engine, clock: FakeClock) -> None:
    """Flapping connections inside the grace period never change presence."""
    ana = engine.state.users["ana"]
    tx = engine.begin(clock.now)
    presence.connected(tx, ana)
    presence.disconnected(tx, ana)
    clock.advance(10)
    presence.connected(tx, ana)
    assert tx.finish().events == []
    assert next_deadline(engine.state) is None
