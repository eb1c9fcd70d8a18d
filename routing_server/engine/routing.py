"""Where a conversation goes: to its contact's dedicated agent, or by normal routing.

The rules are DESIGN.md's "Routing rules"; every step records its reason code. `settle` runs at
the end of every command, so that a change anywhere (a close, a presence, a setting) moves what
it frees: conversations waiting for capacity, and shared backlogs of auto-assigning teams. It
looks only at the agents and teams the command changed (the state's index records them), so a
command costs what it changes, not what the state holds.
"""

from __future__ import annotations

from collections import Counter

from routing_server.engine.model import Contact, Conversation, ConvState, Team
from routing_server.engine.state import State
from routing_server.engine.tx import Notice, Tx

AUTO_REASON = {
    "round_robin": "auto_assigned_round_robin",
    "least_open": "auto_assigned_least_open",
}


def loads(state: State) -> Counter[str]:
    """Each agent's load: claimed open conversations plus pending priority ones (live)."""
    return state.index.load


def has_capacity(state: State, user_id: str, load: Counter[str]) -> bool:
    """Whether the agent's load is below their `max_open`."""
    user = state.users.get(user_id)
    return user is not None and load[user_id] < user.max_open


def dedicated_agent(state: State, contact: Contact) -> str | None:
    """The contact's dedicated agent: an account rep with priority notifications on."""
    rep = contact.account_rep_id
    if rep is None or not contact.priority_notifications or rep not in state.users:
        return None
    return rep


def route_new(tx: Tx, conv: Conversation, contact: Contact, reason: str | None = None) -> None:
    """Route a conversation that was just opened (or is routed afresh, with `reason`)."""
    state = tx.state
    rep = dedicated_agent(state, contact)
    if rep is None:
        outcome = "no_dedicated_agent"
    elif not state.settings.channels[conv.channel].dedicated_routing:
        outcome = "channel_not_dedicated"
    elif not state.is_available(rep) or conv.team_id not in state.users[rep].team_ids:
        outcome = "dedicated_unavailable"
    elif has_capacity(state, rep, loads(state)):
        to_priority(tx, conv, rep, reason or "dedicated_available", outcome="dedicated_available")
        return
    else:
        to_waiting(tx, conv, rep, reason or "dedicated_at_capacity")
        return
    normal_routing(tx, conv, reason or outcome, outcome=outcome, rep=rep)


def to_priority(
    tx: Tx, conv: Conversation, rep: str, reason: str, *, outcome: str | None = None
) -> None:
    """Hand the conversation to its dedicated agent alone, until `share_at` (if sharing)."""
    settings = tx.state.settings
    _move(tx, conv, "priority", rep, reason, None, outcome=outcome)
    if settings.sharing_enabled:
        conv.share_at = tx.now + settings.channels[conv.channel].time_to_share
        tx.state.reindex(conv)
    contact = tx.state.contacts.get(conv.contact_id)
    name = contact.name if contact else conv.address
    preview = conv.last_message.preview if conv.last_message else ""
    tx.notify(
        rep,
        Notice(
            kind="priority_routed",
            title=f"{name} wrote to you",
            body=preview,
            conversation_id=conv.id,
            contact_id=conv.contact_id,
            expires_at=conv.share_at,
        ),
    )


def to_waiting(tx: Tx, conv: Conversation, rep: str, reason: str) -> None:
    """Hold the conversation, invisible, until its dedicated agent has capacity."""
    _move(tx, conv, "waiting", rep, reason, None)
    conv.wait_until = tx.now + tx.state.settings.channels[conv.channel].capacity_wait
    tx.state.reindex(conv)


def normal_routing(
    tx: Tx,
    conv: Conversation,
    reason: str,
    actor_id: str | None = None,
    *,
    outcome: str | None = None,
    rep: str | None = None,
    **details: object,
) -> None:
    """Into the team's shared inbox; `settle` then assigns it if the team auto-assigns.

    The timeline step names the dedicated agent it leaves (or passed over) in `details.rep`;
    further `details` (who forced the move) are recorded with it.
    """
    if rep is None and conv.state in ("priority", "waiting"):
        rep = conv.assigned_to
    _move(tx, conv, "shared", None, reason, actor_id, outcome=outcome, rep=rep, **details)
    conv.was_shared = True


def assign(tx: Tx, conv: Conversation, user_id: str, reason: str, actor_id: str | None) -> None:
    """Make `user_id` the owner of `conv` (claimed)."""
    _move(tx, conv, "claimed", user_id, reason, actor_id)


def _move(
    tx: Tx,
    conv: Conversation,
    state: ConvState,
    assigned_to: str | None,
    reason: str,
    actor_id: str | None,
    *,
    outcome: str | None = None,
    rep: str | None = None,
    **extra: object,
) -> None:
    """One routing step: the new state, no pending deadline, and a timeline entry."""
    tx.touch(conv)
    from_state = None if tx.is_unrouted(conv) else conv.state
    conv.state = state
    conv.assigned_to = assigned_to
    conv.share_at = None
    conv.wait_until = None
    conv.reason = reason
    conv.routed_at = tx.now
    conv.updated_at = tx.now
    tx.state.reindex(conv)
    details: dict[str, object] = {"from": from_state}
    if outcome is not None and outcome != reason:
        details["outcome"] = outcome
    if rep is not None:
        details["rep"] = rep
    details.update(extra)
    tx.timeline(conv, state, reason, actor_id, **details)


def settle(tx: Tx) -> None:
    """Move whatever the command freed or stranded, oldest first.

    Only the agents and teams the command touched can have anything to move: an agent whose
    presence, account or load changed, and a team whose shared queue, members or distribution
    changed. Their queues are read from the index, never by scanning every conversation.
    """
    state = tx.state
    index = state.index
    agents, index.dirty_agents = index.dirty_agents, set()
    for rep in sorted(agents):
        user = state.users.get(rep)
        if user is not None:
            index.dirty_teams.update(user.team_ids)
        _settle_agent(tx, rep)
    teams, index.dirty_teams = index.dirty_teams, set()
    for team_id in sorted(teams):
        team = state.teams.get(team_id)
        if team is not None and team.distribution != "claim":
            _drain_shared(tx, team)
    # Whatever settling itself marked has been handled by the loops above.
    index.dirty_agents.clear()
    index.dirty_teams.clear()


def _settle_agent(tx: Tx, rep: str) -> None:
    """Reroute an agent's priority work when they left; give them waiting work they can take."""
    state = tx.state
    if not state.is_present(rep):
        for conv_id in sorted(state.index.assigned(rep)):
            conv = state.conversations[conv_id]
            if conv.state == "priority":
                normal_routing(tx, conv, "dedicated_went_unavailable")
    available = state.is_available(rep)
    for conv_id in state.index.waiting_for(rep):
        conv = state.conversations[conv_id]
        if not available:
            normal_routing(tx, conv, "dedicated_went_unavailable")
        elif has_capacity(state, rep, state.index.load):
            to_priority(tx, conv, rep, "capacity_freed")
        else:
            break


def _drain_shared(tx: Tx, team: Team) -> None:
    """Assign an auto-assigning team's shared backlog, oldest first, while anyone can take it."""
    state = tx.state
    for conv_id in state.index.shared_queue(team.id):
        agent = pick_agent(tx, team, state.index.load)
        if agent is None:
            return
        assign(tx, state.conversations[conv_id], agent, AUTO_REASON[team.distribution], None)


def pick_agent(tx: Tx, team: Team, load: Counter[str]) -> str | None:
    """The next available agent with capacity, by the team's distribution.

    Only agents take part: supervisors and admins watch the load and claim by hand.
    """
    state = tx.state
    candidates = sorted(
        u.id
        for u in state.team_members(team.id)
        if u.role == "agent" and state.is_available(u.id) and has_capacity(state, u.id, load)
    )
    if not candidates:
        return None
    if team.distribution == "least_open":
        return min(candidates, key=lambda uid: (load[uid], uid))
    chosen = next_in_rotation(candidates, team.rr_cursor)
    team.rr_cursor = chosen
    tx.touch_team(team)
    return chosen


def next_in_rotation(candidates: list[str], cursor: str | None) -> str:
    """The first candidate after `cursor` in id order, wrapping around.

    Ordering by id (not by position in a list) keeps the rotation going when members join or
    leave: the cursor still marks where it stopped, even if its member is gone.
    """
    if cursor is not None:
        for uid in candidates:
            if uid > cursor:
                return uid
    return candidates[0]
