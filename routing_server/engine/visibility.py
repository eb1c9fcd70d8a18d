"""Who may see a conversation: the one rule used for results, snapshots and fan-out alike."""

from __future__ import annotations

from routing_server.engine.model import Conversation, User
from routing_server.engine.state import State


def can_see(user: User, conv: Conversation) -> bool:
    """Whether `user` may see `conv` and its messages (PROTOCOL.md, "Visibility")."""
    if user.disabled or not user.is_agent:
        return False
    if conv.state == "priority":
        return conv.assigned_to == user.id
    if conv.state == "waiting":
        return False
    in_team = conv.team_id in user.team_ids
    if conv.state == "shared":
        return in_team
    # claimed or closed
    return conv.assigned_to == user.id or (in_team and user.is_staff)


def viewers(state: State, conv: Conversation) -> frozenset[str]:
    """The ids of every user who may see `conv` now."""
    if conv.state == "priority":
        user = state.users.get(conv.assigned_to or "")
        return frozenset({user.id}) if user and can_see(user, conv) else frozenset()
    if conv.state == "waiting":
        return frozenset()
    ids = {u.id for u in state.team_members(conv.team_id) if can_see(u, conv)}
    owner = state.users.get(conv.assigned_to or "")
    if owner is not None and can_see(owner, conv):
        ids.add(owner.id)
    return frozenset(ids)
