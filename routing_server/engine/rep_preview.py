"""What a change of a contact's rep would do to its open conversations, changing nothing.

The supervisor asking sees the conversations they may see (shared and claimed ones of their
teams) one by one; priority and waiting ones are private to a rep, so they come only as counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from routing_server.engine.model import CHANNELS, Contact, Conversation, User
from routing_server.engine.routing import has_capacity, loads
from routing_server.engine.state import State
from routing_server.engine.visibility import can_see

# Effects, as the wire names them.
STAYS_WITH_OWNER = "stays_with_owner"
STAYS_SHARED = "stays_shared"
TO_NEW_REP = "to_new_rep"
WAITS_FOR_NEW_REP = "waits_for_new_rep"
NORMAL_ROUTING = "normal_routing"
UNCHANGED = "unchanged"


@dataclass
class RepChangePreview:
    """The open conversations a rep change touches: seen ones listed, private ones counted."""

    changes_routing: bool
    visible: list[tuple[Conversation, str]] = field(default_factory=list)
    private: dict[str, int] = field(default_factory=dict)
    hidden: int = 0


def preview_rep_change(
    state: State,
    viewer: User,
    contact: Contact,
    rep_id: str | None,
    priority_notifications: bool | None,
) -> RepChangePreview:
    """What `update_contact` with this rep (and priority notifications) would do."""
    notify = (
        contact.priority_notifications if priority_notifications is None else priority_notifications
    )
    changes = rep_id != contact.account_rep_id or notify != contact.priority_notifications
    preview = RepChangePreview(changes_routing=changes)
    for channel in CHANNELS:
        conv = state.open_conversation(contact.id, channel)
        if conv is None:
            continue
        if conv.state in ("priority", "waiting"):
            effect = _rerouted(state, conv, rep_id, notify) if changes else UNCHANGED
            preview.private[conv.state] = preview.private.get(conv.state, 0) + 1
            preview.private[effect] = preview.private.get(effect, 0) + 1
        elif can_see(viewer, conv):
            preview.visible.append(
                (conv, STAYS_SHARED if conv.state == "shared" else STAYS_WITH_OWNER)
            )
        else:
            preview.hidden += 1
    return preview


def _rerouted(state: State, conv: Conversation, rep_id: str | None, notify: bool) -> str:
    """Where routing afresh (`account_rep_changed`) would send a priority or waiting one."""
    rep = state.users.get(rep_id or "") if notify else None
    if rep is None or not state.settings.channels[conv.channel].dedicated_routing:
        return NORMAL_ROUTING
    if not state.is_available(rep.id) or conv.team_id not in rep.team_ids:
        return NORMAL_ROUTING
    load = loads(state)
    if conv.assigned_to == rep.id and conv.state == "priority":
        return TO_NEW_REP  # routed afresh to the same agent: it stays theirs
    return TO_NEW_REP if has_capacity(state, rep.id, load) else WAITS_FOR_NEW_REP
