"""What a supervisor does to a teammate from the team-load panel: set their presence, move
their pending priority work on. Every step names the supervisor (`details.forced_by`)."""

from __future__ import annotations

from routing_server.engine.errors import EngineError, not_found
from routing_server.engine.model import Status, User
from routing_server.engine.presence import set_presence
from routing_server.engine.routing import normal_routing
from routing_server.engine.tx import Tx


def supervised(tx: Tx, actor: User, user_id: str) -> User:
    """The agent `actor` may act on: a member of one of a supervisor's teams, or anyone for an
    admin; `forbidden` for agents (and for a supervisor outside the agent's teams)."""
    if actor.role not in ("supervisor", "admin"):
        raise EngineError("forbidden", "only supervisors and admins may do this")
    target = tx.state.users.get(user_id)
    if target is None or not target.is_agent or target.disabled:
        raise not_found("user")
    if actor.role != "admin" and not set(actor.team_ids) & set(target.team_ids):
        raise EngineError("forbidden", "that user is not in a team you supervise")
    return target


def force_presence(tx: Tx, actor: User, user_id: str, status: Status) -> User:
    """Set a teammate away or offline; their pending priority and waiting work goes to normal
    routing at once (as for any presence change), each step naming the supervisor."""
    target = supervised(tx, actor, user_id)
    set_presence(tx, target, status, set_by=actor.id if actor.id != target.id else None)
    state = tx.state
    for conv_id in sorted(state.index.assigned(target.id)):
        conv = state.conversations[conv_id]
        if conv.state in ("priority", "waiting"):
            normal_routing(tx, conv, "dedicated_went_unavailable", actor.id, forced_by=actor.id)
    return target


def move_priority_on(tx: Tx, actor: User, user_id: str) -> tuple[User, int]:
    """Hand a teammate's pending priority conversations (and those waiting for their capacity)
    to normal routing now; returns the agent and how many moved."""
    target = supervised(tx, actor, user_id)
    state = tx.state
    moved = 0
    for conv_id in sorted(state.index.assigned(target.id)):
        conv = state.conversations[conv_id]
        if conv.state in ("priority", "waiting"):
            normal_routing(tx, conv, "moved_on_by_supervisor", actor.id, forced_by=actor.id)
            moved += 1
    return target, moved
