"""Supervisor actions in the pure engine (fake clock): forced presence, moving priority work on,
and the team-load figures rendered for a time passed in."""

from __future__ import annotations

import pytest

from routing_server import wire
from routing_server.engine import conversations as cmd
from routing_server.engine import supervision
from routing_server.engine.errors import EngineError
from tests.engine.world import World


def test_forcing_away_reroutes_priority_and_waiting_work_naming_the_supervisor() -> None:
    """Set away by the supervisor: the rep's priority and capacity-waiting work is shared at
    once, each step with the supervisor as actor and `forced_by`; claimed work stays."""
    world = World(max_open=2)
    world.online("a0", "a1")
    world.contact("+1001", rep="a0")
    world.contact("+1002", rep="a0")
    world.contact("+1003", rep="a0")
    claimed = world.claim("a0", world.inbound("+1009"))
    priority = world.inbound("+1001")
    waiting = world.inbound("+1002")
    assert (priority.state, waiting.state) == ("priority", "waiting")
    world.run(supervision.force_presence, world.user("sup"), "a0", "away")
    assert world.state.presence["a0"].set_by == "sup"
    assert (priority.state, waiting.state, claimed.state) == ("shared", "shared", "claimed")
    steps = [t for t in world.last.timeline if t.conversation_id in (priority.id, waiting.id)]
    assert {(t.reason, t.actor_id, t.details["forced_by"]) for t in steps} == {
        ("dedicated_went_unavailable", "sup", "sup")
    }
    routed = world.inbound("+1003")
    assert (routed.state, routed.reason) == ("shared", "dedicated_unavailable")


def test_move_priority_on_keeps_presence_and_agents_are_refused() -> None:
    """Moving on shares only pending work and leaves presence alone; an agent may not."""
    world = World()
    world.online("a0", "a1")
    world.contact("+1001", rep="a0")
    conv = world.inbound("+1001")
    with pytest.raises(EngineError) as refused:
        world.run(supervision.move_priority_on, world.user("a1"), "a0")
    assert refused.value.code == "forbidden"
    _, moved = world.run(supervision.move_priority_on, world.user("sup"), "a0")
    assert moved == 1
    assert (conv.state, conv.reason) == ("shared", "moved_on_by_supervisor")
    assert world.state.presence["a0"].status == "online"
    assert world.state.presence["a0"].set_by is None


def test_silence_follows_the_clock_passed_in() -> None:
    """An online agent whose customer has waited `silent_after_minutes` is silent at that
    time and not a second before; a reply ends it."""
    world = World()
    world.online("a0")
    conv = world.claim("a0", world.inbound("+1009"))
    limit = world.state.settings.silent_after_minutes * 60

    def silent(at: float) -> bool:
        load = wire.team_load(world.state, "support", at)
        return next(a for a in load.agents if a.user_id == "a0").silent

    arrived = conv.last_message.at  # type: ignore[union-attr]
    assert not silent(arrived + limit - 1)
    assert silent(arrived + limit)
    world.now = arrived + limit
    world.run(cmd.send_message, world.user("a0"), conv.id, "On it", "c1")
    assert not silent(world.now + limit)
