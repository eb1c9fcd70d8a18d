"""Engine objects rendered as the wire's objects (`inbox_protocol` models)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import inbox_protocol as p
from routing_server.engine.model import (
    Contact,
    Conversation,
    Group,
    HistoryEntry,
    Message,
    Presence,
    Settings,
    Team,
    TimelineEntry,
    User,
)
from routing_server.engine.state import State
from routing_server.engine.tx import EngineEvent, Notice, Outbound, Removal


def ts(t: float) -> datetime:
    """An engine time (epoch seconds) as an aware UTC datetime."""
    return datetime.fromtimestamp(t, UTC)


def iso(t: float) -> str:
    """An engine time as the wire's ISO 8601 string ending in Z."""
    return ts(t).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def user(u: User) -> p.User:
    """A User object."""
    return p.User(
        id=u.id,
        username=u.username,
        display_name=u.display_name,
        email=u.email,
        role=u.role,
        team_ids=list(u.team_ids),
        max_open=u.max_open,
        disabled=u.disabled,
    )


def presence(pr: Presence) -> p.Presence:
    """A Presence object."""
    return p.Presence(status=pr.status, since=ts(pr.since), set_by=pr.set_by)


def settings(s: Settings) -> p.Settings:
    """A Settings object."""
    return p.Settings(
        sharing_enabled=s.sharing_enabled,
        presence_grace_seconds=s.presence_grace_seconds,
        channels={
            ch: p.ChannelSettings(
                dedicated_routing=c.dedicated_routing,
                time_to_share=c.time_to_share,
                capacity_wait=c.capacity_wait,
            )
            for ch, c in s.channels.items()
        },
        phone_region=s.phone_region,
        silent_after_minutes=s.silent_after_minutes,
    )


def conversation(state: State, c: Conversation) -> p.Conversation:
    """A Conversation object, with its contact as the state knows it now."""
    return conversation_with(c, state.contacts.get(c.contact_id))


def conversation_with(c: Conversation, contact: Contact | None) -> p.Conversation:
    """A Conversation object with the given contact (a copy taken earlier, for snapshots)."""
    last = c.last_message
    return p.Conversation(
        id=c.id,
        team_id=c.team_id,
        channel=c.channel,
        contact=p.ConversationContact(
            id=c.contact_id,
            name=contact.name if contact else c.address,
            handle=contact.handle if contact else c.address,
        ),
        state="shared" if c.state == "waiting" else c.state,
        assigned_to=c.assigned_to,
        share_at=ts(c.share_at) if c.share_at is not None and c.state == "priority" else None,
        routing=p.RoutingInfo(reason=c.reason, at=ts(c.routed_at)),
        last_message=p.LastMessage(direction=last.direction, preview=last.preview, at=ts(last.at))
        if last
        else None,
        unread=c.unread,
        created_at=ts(c.created_at),
        updated_at=ts(c.updated_at),
    )


def message(m: Message) -> p.Message:
    """A Message object."""
    return p.Message(
        id=m.id,
        conversation_id=m.conversation_id,
        direction=m.direction,
        body=m.body,
        author_id=m.author_id,
        at=ts(m.at),
        client_msg_id=m.client_msg_id,
        delivery=m.delivery,
    )


def timeline_entry(t: TimelineEntry) -> p.TimelineEntry:
    """A routing step of a conversation."""
    return p.TimelineEntry(
        at=ts(t.at),
        kind=t.kind,
        reason=t.reason,
        actor_id=t.actor_id,
        state="shared" if t.state == "waiting" else t.state,
        assigned_to=t.assigned_to,
        details=dict(t.details),
    )


def team(state: State, t: Team) -> p.Team:
    """A Team object with its members."""
    return p.Team(
        id=t.id,
        name=t.name,
        distribution=t.distribution,
        member_ids=sorted(u.id for u in state.team_members(t.id)),
    )


def team_member(state: State, u: User) -> p.TeamMember:
    """A teammate's presence."""
    pr = state.presence[u.id]
    return p.TeamMember(
        user_id=u.id,
        display_name=u.display_name,
        status=pr.status,
        since=ts(pr.since),
        set_by=pr.set_by,
    )


def dump(model: Any) -> dict[str, Any]:
    """A model as a JSON-ready dict."""
    return model.model_dump(mode="json")  # type: ignore[no-any-return]


def event_data(state: State, ev: EngineEvent) -> dict[str, Any]:
    """The `data` of an event frame: its payload model (`inbox_protocol.EVENT_PAYLOADS`) as
    JSON-ready data, rendered once for every recipient and for the events log."""
    payload = ev.payload
    if isinstance(payload, Conversation):
        return dump(p.ConversationUpsert(conversation=conversation(state, payload)))
    if isinstance(payload, Removal):
        return dump(
            p.ConversationRemoved(
                conversation_id=payload.conversation_id,
                reason=payload.reason,
                assigned_to=payload.assigned_to,
            )
        )
    if isinstance(payload, Message):
        return dump(p.MessageEvent(message=message(payload)))
    if isinstance(payload, Presence):
        return dump(
            p.PresenceChanged(
                user_id=payload.user_id,
                status=payload.status,
                since=ts(payload.since),
                set_by=payload.set_by,
            )
        )
    if isinstance(payload, Outbound):
        return outbound_data(payload.message, payload.conversation)
    if isinstance(payload, Notice):
        return dump(notification(payload))
    if isinstance(payload, Settings):
        return dump(p.SettingsUpdated(settings=settings(payload)))
    if isinstance(payload, Contact):
        return dump(p.ContactUpdated(contact=contact(payload)))
    raise TypeError(f"no wire form for {type(payload).__name__}")


def notification(n: Notice) -> p.Notification:
    """A Notification object (a `notification` event's data, or an entry of `list_offers`)."""
    return p.Notification(
        kind=n.kind,
        title=n.title,
        body=n.body,
        conversation_id=n.conversation_id,
        contact_id=n.contact_id,
        expires_at=ts(n.expires_at) if n.expires_at is not None else None,
    )


def outbound_data(m: Message, conv: Conversation) -> dict[str, Any]:
    """The `data` of an `outbound.message` event."""
    return dump(
        p.OutboundMessage(
            message_id=m.id,
            conversation_id=m.conversation_id,
            channel=conv.channel,
            to=conv.address,
            body=m.body,
        )
    )


def contact(c: Contact) -> p.Contact:
    """A Contact object."""
    r = c.reassignment
    return p.Contact(
        id=c.id,
        name=c.name,
        handle=c.handle,
        phone=c.phone,
        email=c.email,
        account_rep_id=c.account_rep_id,
        priority_notifications=c.priority_notifications,
        reassignment=p.ReassignmentInfo(
            group_id=r.group_id,
            started_at=ts(r.started_at),
            offered_to=list(r.offered_to),
            offer_expires_at=ts(r.offer_expires) if r.offer_expires is not None else None,
        )
        if r
        else None,
    )


def history_entry(h: HistoryEntry) -> p.HistoryEntry:
    """A contact history entry."""
    return p.HistoryEntry(
        at=ts(h.at), kind=h.kind, actor_id=h.actor_id, source=h.source, details=dict(h.details)
    )


def group(g: Group) -> p.Group:
    """A Group object."""
    return p.Group(
        id=g.id,
        name=g.name,
        member_ids=list(g.member_ids),
        default_assignee_id=g.default_assignee_id,
        method=g.method,
        offer_seconds=g.offer_seconds,
    )


def team_load(
    state: State, team_id: str, now: float, history: Sequence[tuple[float, int]] = ()
) -> p.TeamLoad:
    """A team's live load, counted from the state as it is now (`history`: the shared queue's
    sampled depth over the last hour, kept by the caller)."""
    # Read from the routing index: the cost follows the team, not every open conversation.
    index = state.index
    queue = [state.conversations[conv_id] for conv_id in index.shared_queue(team_id)]
    members = sorted(state.team_members(team_id), key=lambda u: u.display_name.lower())
    silent_after = state.settings.silent_after_minutes * 60.0
    agents = [_agent_load(state, u, now, silent_after) for u in members]
    day = state.stats.today(team_id, now)
    return p.TeamLoad(
        team_id=team_id,
        at=ts(now),
        queue=p.QueueLoad(
            shared=len(queue),
            oldest_shared_since=ts(min(c.routed_at for c in queue)) if queue else None,
            waiting_for_capacity=index.waiting_count(team_id),
        ),
        agents=agents,
        today=p.TodayFigures(
            routed_priority=day.routed_priority,
            claimed_from_priority=day.claimed_from_priority,
            shared_after_timeout=day.shared_after_timeout,
            claimed=day.claimed,
            closed=day.closed,
            median_seconds_to_claim=day.median_seconds_to_claim,
            rep_adherence_percent=day.rep_adherence_percent,
        ),
        shared_history=[p.QueueSample(at=ts(at), shared=depth) for at, depth in history],
    )


def _agent_load(state: State, u: User, now: float, silent_after: float) -> p.AgentLoad:
    """One agent's row of team load, from their own slice of the index (at most their load)."""
    mine = sorted(
        (state.conversations[c] for c in state.index.assigned(u.id)), key=lambda c: c.routed_at
    )
    priority = [c.routed_at for c in mine if c.state == "priority"]
    claimed = [c for c in mine if c.state == "claimed"]
    rows = []
    for c in claimed:
        last = c.last_message
        awaiting = last.at if last is not None and last.direction == "in" else None
        contact = state.contacts.get(c.contact_id)
        rows.append(
            p.ClaimedLoad(
                conversation_id=c.id,
                contact_name=contact.name if contact else c.address,
                channel=c.channel,
                claimed_at=ts(c.routed_at),
                awaiting_reply_since=ts(awaiting) if awaiting is not None else None,
            )
        )
    awaiting_all = [
        c.last_message.at
        for c in claimed
        if c.last_message is not None and c.last_message.direction == "in"
    ]
    oldest_awaiting = min(awaiting_all) if awaiting_all else None
    pr = state.presence[u.id]
    return p.AgentLoad(
        user_id=u.id,
        display_name=u.display_name,
        status=pr.status,
        status_since=ts(pr.since),
        open=len(claimed),
        priority=len(priority),
        max_open=u.max_open,
        oldest_priority_since=ts(min(priority)) if priority else None,
        waiting=len(state.index.waiting_for(u.id)),
        silent=pr.status == "online"
        and oldest_awaiting is not None
        and now - oldest_awaiting >= silent_after,
        awaiting_reply_since=ts(oldest_awaiting) if oldest_awaiting is not None else None,
        set_by=pr.set_by,
        claimed=rows,
    )
