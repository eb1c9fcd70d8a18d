"""Every row of DESIGN.md's routing table and every way out of priority, on a fake clock."""

from __future__ import annotations

import pytest

from routing_server.engine import admin, contacts
from routing_server.engine import conversations as cmd
from routing_server.engine.errors import EngineError
from routing_server.engine.tx import Notice
from tests.engine.world import World


@pytest.fixture
def world() -> World:
    w = World()
    w.online("a0", "a1", "a2", "sup")
    return w


def test_no_dedicated_agent_goes_to_the_shared_inbox(world: World) -> None:
    """A contact without a rep is routed normally with reason no_dedicated_agent."""
    world.contact("+1")
    conv = world.inbound("+1")
    assert (conv.state, conv.reason) == ("shared", "no_dedicated_agent")


def test_rep_without_priority_notifications_is_only_a_reference(world: World) -> None:
    """An account rep with priority notifications off does not get the conversation."""
    world.contact("+1", rep="a0", priority=False)
    conv = world.inbound("+1")
    assert (conv.state, conv.reason) == ("shared", "no_dedicated_agent")


def test_channel_without_dedicated_routing_is_routed_normally(world: World) -> None:
    """Chat has dedicated routing off by default."""
    world.contact("+1", rep="a0")
    conv = world.inbound("+1", channel="chat")
    assert (conv.state, conv.reason) == ("shared", "channel_not_dedicated")


@pytest.mark.parametrize("how", ["away", "offline"])
def test_dedicated_agent_away_or_offline_routes_normally(world: World, how: str) -> None:
    """An away or disconnected rep gets nothing: reason dedicated_unavailable."""
    world.contact("+1", rep="a0")
    if how == "away":
        world.away("a0")
    else:
        world.disconnect("a0")
    conv = world.inbound("+1")
    assert (conv.state, conv.reason) == ("shared", "dedicated_unavailable")


def test_available_rep_with_capacity_gets_priority_alone(world: World) -> None:
    """Priority for the rep alone, share_at = now + time to share, a priority notification."""
    world.contact("+1", rep="a0")
    conv = world.inbound("+1")
    assert (conv.state, conv.assigned_to, conv.reason) == ("priority", "a0", "dedicated_available")
    assert conv.share_at == world.now + 300
    [(_, audience)] = world.events("conversation.upsert")
    assert audience == {"a0"}
    [(notice, to)] = world.events("notification")
    assert isinstance(notice, Notice)
    assert (notice.kind, to) == ("priority_routed", frozenset({"a0"}))
    assert [m for m, _ in world.events("message.new")]
    assert all(aud == {"a0"} for _, aud in world.events("message.new"))


def test_rep_at_capacity_waits_invisibly_until_capacity_frees(world: World) -> None:
    """At capacity: waiting, seen by nobody, until a close frees room (capacity_freed)."""
    world.user("a0").max_open = 1
    world.contact("+1", rep="a0")
    busy = world.claim("a0", world.inbound("+9"))
    conv = world.inbound("+1")
    assert (conv.state, conv.reason) == ("waiting", "dedicated_at_capacity")
    assert world.events("conversation.upsert") == []
    assert world.events("message.new") == []
    world.close("a0", busy)
    assert (conv.state, conv.reason, conv.assigned_to) == ("priority", "capacity_freed", "a0")


def test_waiting_gives_up_after_capacity_wait(world: World) -> None:
    """The capacity wait elapses: normal routing with capacity_wait_elapsed."""
    world.user("a0").max_open = 1
    world.contact("+1", rep="a0")
    world.claim("a0", world.inbound("+9"))
    conv = world.inbound("+1")
    world.advance(299)
    assert conv.state == "waiting"
    world.advance(1)
    assert (conv.state, conv.reason) == ("shared", "capacity_wait_elapsed")


def test_waiting_is_routed_at_once_when_the_rep_goes_unavailable(world: World) -> None:
    """If the rep goes away while the conversation waits, it is routed normally at once."""
    world.user("a0").max_open = 1
    world.contact("+1", rep="a0")
    world.claim("a0", world.inbound("+9"))
    conv = world.inbound("+1")
    world.away("a0")
    assert (conv.state, conv.reason) == ("shared", "dedicated_went_unavailable")


def test_claim_takes_priority_out(world: World) -> None:
    """The dedicated agent claims: claimed (reason claimed)."""
    world.contact("+1", rep="a0")
    conv = world.claim("a0", world.inbound("+1"))
    assert (conv.state, conv.assigned_to, conv.reason, conv.share_at) == (
        "claimed", "a0", "claimed", None)  # fmt: skip


def test_reply_takes_priority_out(world: World) -> None:
    """Replying to one's priority conversation claims it first."""
    world.contact("+1", rep="a0")
    conv = world.inbound("+1")
    world.run(cmd.send_message, world.user("a0"), conv.id, "hello", "c1")
    assert (conv.state, conv.assigned_to) == ("claimed", "a0")


def test_time_to_share_hands_it_to_the_team(world: World) -> None:
    """share_at passes: the team sees it (time_to_share_elapsed), the rep keeps seeing it."""
    world.contact("+1", rep="a0")
    conv = world.inbound("+1")
    world.advance(299.9)
    assert conv.state == "priority"
    changes = world.advance(0.1)
    assert (conv.state, conv.reason) == ("shared", "time_to_share_elapsed")
    upserts = [e.audience for e in changes.events if e.name == "conversation.upsert"]
    assert upserts
    assert upserts[-1] >= {"a0", "a1", "a2"}
    assert not [e for e in changes.events if e.name == "conversation.removed"]


def test_time_to_share_does_not_fire_with_sharing_off(world: World) -> None:
    """With sharing disabled a priority conversation stays with its rep."""
    world.run(admin.update_settings, {"sharing_enabled": False})
    world.contact("+1", rep="a0")
    conv = world.inbound("+1")
    assert conv.share_at is None
    world.advance(10_000)
    assert conv.state == "priority"


def test_claim_in_the_same_tick_as_share_at(world: World) -> None:
    """A claim exactly at share_at: the deadline fires first, then the claim wins from shared."""
    world.contact("+1", rep="a0")
    conv = world.inbound("+1")
    world.now += 300
    world.claim("a1", conv)
    assert (conv.state, conv.assigned_to) == ("claimed", "a1")
    steps = [t.reason for t in world.last.timeline]
    assert steps == ["time_to_share_elapsed", "claimed"]


def test_rep_going_away_shares_priority_at_once(world: World) -> None:
    """Setting away hands priority conversations to normal routing (dedicated_went_unavailable)."""
    world.contact("+1", rep="a0")
    conv = world.inbound("+1")
    world.away("a0")
    assert (conv.state, conv.reason) == ("shared", "dedicated_went_unavailable")


def test_disconnect_shares_priority_only_after_the_grace_period(world: World) -> None:
    """A dropped connection keeps priority through the grace period; after it, it is shared."""
    world.contact("+1", rep="a0")
    conv = world.inbound("+1")
    world.disconnect("a0")
    world.advance(29)
    assert conv.state == "priority"
    world.advance(1)
    assert (conv.state, conv.reason) == ("shared", "dedicated_went_unavailable")


def test_presence_flapping_inside_grace_keeps_priority(world: World) -> None:
    """Disconnect and reconnect repeatedly within the grace period: nothing moves."""
    world.contact("+1", rep="a0")
    conv = world.inbound("+1")
    for _ in range(5):
        world.disconnect("a0")
        world.advance(20)
        world.online("a0")
        world.advance(5)
    assert (conv.state, conv.assigned_to) == ("priority", "a0")


def test_release_of_priority_routes_normally(world: World) -> None:
    """The rep releases: released_by_agent."""
    world.contact("+1", rep="a0")
    conv = world.inbound("+1")
    world.run(cmd.release, world.user("a0"), conv.id)
    assert (conv.state, conv.reason) == ("shared", "released_by_agent")


def test_rep_change_routes_priority_afresh_to_the_new_rep(world: World) -> None:
    """Changing the rep moves a priority conversation to the new rep (account_rep_changed)."""
    contact = world.contact("+1", rep="a0")
    conv = world.inbound("+1")
    world.run(contacts.update_contact, world.user("sup"), contact.id, {"account_rep_id": "a1"})
    assert (conv.state, conv.assigned_to, conv.reason) == ("priority", "a1", "account_rep_changed")
    removed = world.events("conversation.removed")
    assert [aud for _, aud in removed] == [frozenset({"a0"})]


def test_rep_change_while_waiting_for_capacity(world: World) -> None:
    """A waiting conversation follows the contact's new rep."""
    world.user("a0").max_open = 1
    contact = world.contact("+1", rep="a0")
    world.claim("a0", world.inbound("+9"))
    conv = world.inbound("+1")
    assert conv.state == "waiting"
    world.run(contacts.update_contact, world.user("sup"), contact.id, {"account_rep_id": "a1"})
    assert (conv.state, conv.assigned_to, conv.reason) == ("priority", "a1", "account_rep_changed")


def test_follow_ups_never_restart_a_timer(world: World) -> None:
    """More messages join the priority conversation; share_at stays where it was."""
    world.contact("+1", rep="a0")
    conv = world.inbound("+1")
    share_at = conv.share_at
    world.advance(100)
    again = world.inbound("+1")
    assert again is conv
    assert conv.share_at == share_at
    assert conv.unread == 2


def test_follow_up_to_a_claimed_conversation_goes_to_its_owner(world: World) -> None:
    """Claimed: the owner gets it, unread + 1."""
    conv = world.claim("a1", world.inbound("+5"))
    world.inbound("+5")
    assert (conv.assigned_to, conv.unread) == ("a1", 2)
    assert all(aud == {"a1", "sup"} for _, aud in world.events("message.new"))


def test_round_robin_assigns_in_turn_and_survives_membership_changes(world: World) -> None:
    """round_robin gives each available agent one in turn; removing one does not reset it."""
    world.run(admin.update_team, "support", None, "round_robin")
    owners = [world.inbound(f"+{i}").assigned_to for i in range(4)]
    assert owners == ["a0", "a1", "a2", "a0"]
    world.run(admin.update_user, "a1", {"team_ids": []})
    convs = [world.inbound(f"+{i}") for i in range(10, 13)]
    assert [c.assigned_to for c in convs] == ["a2", "a0", "a2"]
    assert {c.reason for c in convs} == {"auto_assigned_round_robin"}


def test_least_open_assigns_to_the_least_loaded(world: World) -> None:
    """least_open picks the available agent with the fewest open conversations."""
    world.claim("a0", world.inbound("+90"))
    world.claim("a0", world.inbound("+91"))
    world.claim("a1", world.inbound("+92"))
    world.run(admin.update_team, "support", None, "least_open")
    conv = world.inbound("+1")
    assert (conv.assigned_to, conv.reason) == ("a2", "auto_assigned_least_open")


def test_nobody_available_waits_in_shared_and_is_assigned_oldest_first(world: World) -> None:
    """With no one available, auto-assign waits; the first agent back gets the oldest."""
    world.run(admin.update_team, "support", None, "round_robin")
    for uid in ("a0", "a1", "a2", "sup"):
        world.away(uid)
    first = world.inbound("+1")
    world.advance(5)
    second = world.inbound("+2")
    assert (first.state, second.state) == ("shared", "shared")
    world.user("a1").max_open = 1
    world.online("a1")
    assert (first.state, first.assigned_to) == ("claimed", "a1")
    assert second.state == "shared"


def test_load_counts_claimed_and_priority_against_max_open(world: World) -> None:
    """A rep whose priority plus claimed conversations reach max_open is at capacity."""
    world.user("a0").max_open = 2
    for n in ("+1", "+2", "+3"):
        world.contact(n, rep="a0")
    world.inbound("+1")
    world.claim("a0", world.inbound("+9"))
    third = world.inbound("+2")
    assert third.state == "waiting"


def test_dedicated_routing_requires_the_rep_in_the_team(world: World) -> None:
    """A rep who is not a member of the conversation's team cannot take it."""
    world.run(admin.update_user, "a0", {"team_ids": []})
    world.contact("+1", rep="a0")
    conv = world.inbound("+1")
    assert conv.reason == "dedicated_unavailable"


def test_only_known_enabled_users_can_be_reps(world: World) -> None:
    """Setting a rep that does not exist is a bad_request naming the field."""
    contact = world.contact("+1")
    with pytest.raises(EngineError) as err:
        world.run(contacts.update_contact, world.user("sup"), contact.id, {"account_rep_id": "x"})
    assert err.value.code == "bad_request"
    assert err.value.message.startswith("account_rep_id:")


def test_disabling_a_rep_routes_their_priority_onward(world: World) -> None:
    """A disabled user's priority conversations go to normal routing."""
    world.contact("+1", rep="a0")
    conv = world.inbound("+1")
    world.run(admin.update_user, "a0", {"disabled": True})
    assert (conv.state, conv.reason) == ("shared", "dedicated_went_unavailable")


def test_a_users_view_follows_their_teams(world: World) -> None:
    """Leaving a team removes its shared conversations from the user's view; rejoining adds them."""
    conv = world.inbound("+1")
    world.run(admin.update_user, "a1", {"team_ids": []})
    removed = world.events("conversation.removed")
    assert [aud for _, aud in removed] == [frozenset({"a1"})]
    world.run(admin.update_user, "a1", {"team_ids": ["support"]})
    [(payload, audience)] = world.events("conversation.upsert")
    assert (payload, audience) == (conv, frozenset({"a1"}))


def test_steps_away_from_the_rep_name_the_rep(world: World) -> None:
    """A step that passes over or leaves the dedicated agent names them in `details.rep`, so
    the timeline can say whose absence sent it to the team."""
    world.contact("+1", rep="a0")
    world.away("a0")
    passed_over = world.inbound("+1")
    [step] = [t for t in world.last.timeline if t.conversation_id == passed_over.id]
    assert (step.reason, step.details["rep"]) == ("dedicated_unavailable", "a0")
    world.online("a0")
    world.contact("+2", rep="a0")
    left = world.inbound("+2")
    world.away("a0")
    [step] = [t for t in world.last.timeline if t.conversation_id == left.id]
    assert (step.reason, step.details["rep"]) == ("dedicated_went_unavailable", "a0")
