"""Random sequences of inbound messages, claims, releases, closes, replies, presence changes, rep
changes, distribution changes and clock advances; the invariants hold after every step."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routing_server import wire
from routing_server.engine import admin, contacts, presence
from routing_server.engine import conversations as cmd
from routing_server.engine.clock import next_deadline
from routing_server.engine.errors import EngineError
from routing_server.engine.indexes import RoutingIndex
from routing_server.engine.model import CHANNELS
from routing_server.engine.visibility import viewers
from tests.engine.world import World

AGENTS = ("a0", "a1", "a2")
CONTACTS = tuple(f"+1555000{i}" for i in range(5))

agent = st.sampled_from(AGENTS)
pick = st.integers(min_value=0, max_value=30)
inbound = st.tuples(st.just("inbound"), st.sampled_from(CONTACTS), st.sampled_from(CHANNELS))
actions = st.one_of(
    inbound,
    inbound,
    inbound,
    st.tuples(st.just("claim"), agent, pick),
    st.tuples(st.just("release"), agent, pick),
    st.tuples(st.just("close"), agent, pick),
    st.tuples(st.just("reply"), agent, pick),
    st.tuples(st.just("presence"), agent, st.sampled_from(["online", "away", "offline"])),
    st.tuples(st.just("disconnect"), agent),
    st.tuples(st.just("connect"), agent),
    st.tuples(st.just("rep"), st.sampled_from(CONTACTS), st.none() | agent, st.booleans()),
    st.tuples(st.just("advance"), st.floats(min_value=0, max_value=400)),
    st.tuples(st.just("distribution"), st.sampled_from(["claim", "round_robin", "least_open"])),
    st.tuples(st.just("max_open"), agent, st.integers(min_value=1, max_value=3)),
    st.tuples(st.just("sharing"), st.booleans()),
)


def apply(world: World, action: tuple[Any, ...]) -> None:
    kind, *args = action
    open_ids = sorted(c.id for c in world.state.open_conversations())

    def conv_id(i: int) -> str:
        return open_ids[i % len(open_ids)] if open_ids else "none"

    try:
        if kind == "inbound":
            world.inbound(args[0], channel=args[1])
        elif kind in ("claim", "release", "close"):
            fn = {"claim": cmd.claim, "release": cmd.release, "close": cmd.close}[kind]
            world.run(fn, world.user(args[0]), conv_id(args[1]))
        elif kind == "reply":
            world.run(cmd.send_message, world.user(args[0]), conv_id(args[1]), "x", str(world.now))
        elif kind == "presence":
            world.run(presence.set_presence, world.user(args[0]), args[1])
        elif kind == "disconnect":
            if world.state.presence[args[0]].connections:
                world.disconnect(args[0])
        elif kind == "connect":
            world.run(presence.connected, world.user(args[0]))
        elif kind == "rep":
            contact = world.state.find_contact(args[0])
            if contact is not None:
                fields = {"account_rep_id": args[1], "priority_notifications": args[2]}
                world.run(contacts.update_contact, world.user("sup"), contact.id, fields)
        elif kind == "advance":
            world.advance(args[0])
        elif kind == "distribution":
            world.run(admin.update_team, "support", None, args[0])
        elif kind == "max_open":
            world.run(admin.update_user, args[0], {"max_open": args[1]})
        elif kind == "sharing":
            world.run(admin.update_settings, {"sharing_enabled": args[0]})
    except EngineError:
        pass


def check_invariants(world: World) -> None:
    state = world.state
    open_convs = list(state.open_conversations())
    # One open conversation per contact and channel, and the index agrees.
    keys = [(c.contact_id, c.channel) for c in open_convs]
    assert len(keys) == len(set(keys))
    assert {state.open_by_contact_channel[k] for k in keys} == {c.id for c in open_convs}
    loads: dict[str, int] = dict.fromkeys(AGENTS, 0)
    for conv in open_convs:
        seen_by = viewers(state, conv)
        if conv.state == "priority":
            # A priority conversation is its present dedicated agent's alone.
            assert seen_by == {conv.assigned_to}
            assert conv.assigned_to is not None
            assert state.is_present(conv.assigned_to)
            assert (conv.share_at is not None) == state.settings.sharing_enabled
        elif conv.state == "waiting":
            # Invisible, with a deadline, and only while its rep is available but full.
            assert seen_by == frozenset()
            assert conv.wait_until is not None
            assert conv.assigned_to is not None
            assert state.is_available(conv.assigned_to)
            assert loads_of(world, conv.assigned_to) >= state.users[conv.assigned_to].max_open
        else:
            # Shared or claimed: never stranded.
            assert seen_by
        if conv.state in ("claimed", "priority") and conv.assigned_to in loads:
            loads[conv.assigned_to] += 1
    team = state.teams["support"]
    if team.distribution != "claim":
        # An auto-assigning team leaves nothing shared while an agent could take it.
        free = [a for a in AGENTS if state.is_available(a) and loads[a] < state.users[a].max_open]
        assert not free or not any(c.state == "shared" for c in open_convs)
    # The incremental indexes equal a recomputation from scratch, and the timer heap's next
    # deadline is the earliest deadline anywhere in the state.
    fresh = RoutingIndex()
    for conv in open_convs:
        fresh.file(conv)
    assert state.index.contents() == fresh.contents()
    assert next_deadline(state) == scanned_deadline(world)
    # Team load shows exactly what the state implies.
    rendered = wire.team_load(state, "support", world.now)
    for row in rendered.agents:
        if row.user_id in loads:
            assert row.open + row.priority == loads[row.user_id]


def scanned_deadline(world: World) -> float | None:
    """The earliest deadline found by scanning the whole state (the oracle for the heap)."""
    state = world.state
    deadlines = [p.offline_at for p in state.presence.values() if p.offline_at is not None]
    for conv in state.open_conversations():
        if conv.state == "priority" and state.settings.sharing_enabled and conv.share_at:
            deadlines.append(conv.share_at)
        elif conv.state == "waiting" and conv.wait_until is not None:
            deadlines.append(conv.wait_until)
    for contact_id in state.reassigning:
        reassignment = state.contacts[contact_id].reassignment
        if reassignment is not None and reassignment.offer_expires is not None:
            deadlines.append(reassignment.offer_expires)
    return min(deadlines) if deadlines else None


def loads_of(world: World, uid: str) -> int:
    return sum(
        1
        for c in world.state.open_conversations()
        if c.assigned_to == uid and c.state in ("claimed", "priority")
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    reps=st.lists(st.none() | agent, min_size=len(CONTACTS), max_size=len(CONTACTS)),
    steps=st.lists(actions, min_size=10, max_size=80),
)
def test_invariants_hold_after_every_step(
    reps: list[str | None], steps: list[tuple[Any, ...]]
) -> None:
    """No conversation in two states, priority seen by its agent alone, nothing stranded, loads
    and team load consistent, indexes equal to a recomputation — after every single step."""
    world = World(agents=3, max_open=1)
    world.online(*AGENTS, "sup")
    for address, rep in zip(CONTACTS, reps, strict=True):
        world.contact(address, rep=rep, priority=rep is not None)
    for step in steps:
        apply(world, step)
        check_invariants(world)
