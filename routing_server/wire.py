"""Engine objects rendered as the wire's objects (`routing_client.protocol` models)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from routing_client import protocol as p
from routing_server.engine.model import (
    Conversation,
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
    )


def presence(pr: Presence) -> p.Presence:
    """A Presence object."""
    return p.Presence(status=pr.status, since=ts(pr.since))


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
    )


def conversation(state: State, c: Conversation) -> p.Conversation:
    """A Conversation object, with its contact as the state knows it now."""
    contact = state.contacts.get(c.contact_id)
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
        user_id=u.id, display_name=u.display_name, status=pr.status, since=ts(pr.since)
    )


def dump(model: Any) -> dict[str, Any]:
    """A model as a JSON-ready dict."""
    return model.model_dump(mode="json")  # type: ignore[no-any-return]


def event_data(state: State, ev: EngineEvent) -> dict[str, Any]:
    """The `data` of an event frame."""
    payload = ev.payload
    if isinstance(payload, Conversation):
        return {"conversation": dump(conversation(state, payload))}
    if isinstance(payload, Removal):
        return {"conversation_id": payload.conversation_id, "reason": payload.reason}
    if isinstance(payload, Message):
        return {"message": dump(message(payload))}
    if isinstance(payload, Presence):
        return dump(
            p.PresenceChanged(
                user_id=payload.user_id, status=payload.status, since=ts(payload.since)
            )
        )
    if isinstance(payload, Outbound):
        return outbound_data(payload.message, payload.conversation)
    if isinstance(payload, Notice):
        return dump(
            p.Notification(
                kind=payload.kind,
                title=payload.title,
                body=payload.body,
                conversation_id=payload.conversation_id,
                contact_id=payload.contact_id,
                expires_at=ts(payload.expires_at) if payload.expires_at is not None else None,
            )
        )
    if isinstance(payload, Settings):
        return {"settings": dump(settings(payload))}
    raise TypeError(f"no wire form for {type(payload).__name__}")


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
