"""Conversions between engine dataclasses and database rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from routing_server.engine.model import (
    ChannelSettings,
    Contact,
    Conversation,
    Group,
    HistoryEntry,
    LastMessage,
    Message,
    Presence,
    Reassignment,
    Settings,
    Team,
    TimelineEntry,
    User,
)

Row = Mapping[str, Any]


def user_row(user: User) -> dict[str, Any]:
    """A users row, without the password hash."""
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "role": user.role,
        "team_ids": list(user.team_ids),
        "max_open": user.max_open,
        "disabled": user.disabled,
    }


def user_from(row: Row) -> User:
    """A User from its row."""
    return User(
        id=row["id"],
        username=row["username"],
        display_name=row["display_name"],
        email=row["email"],
        role=row["role"],
        team_ids=tuple(row["team_ids"]),
        max_open=row["max_open"],
        disabled=row["disabled"],
    )


def team_row(team: Team) -> dict[str, Any]:
    """A teams row."""
    return {
        "id": team.id,
        "name": team.name,
        "distribution": team.distribution,
        "rr_cursor": team.rr_cursor,
    }


def team_from(row: Row) -> Team:
    """A Team from its row."""
    return Team(
        id=row["id"], name=row["name"], distribution=row["distribution"], rr_cursor=row["rr_cursor"]
    )


def presence_row(p: Presence) -> dict[str, Any]:
    """A presence row (live connection counts are not stored)."""
    return {"user_id": p.user_id, "status": p.status, "since": p.since}


def presence_from(row: Row) -> Presence:
    """A Presence from its row."""
    return Presence(user_id=row["user_id"], status=row["status"], since=row["since"])


def contact_row(c: Contact) -> dict[str, Any]:
    """A contacts row."""
    return {
        "id": c.id,
        "name": c.name,
        "handle": c.handle,
        "phone": c.phone,
        "email": c.email,
        "account_rep_id": c.account_rep_id,
        "priority_notifications": c.priority_notifications,
        "reassignment": _reassignment_data(c.reassignment),
    }


def _reassignment_data(r: Reassignment | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "group_id": r.group_id,
        "started_at": r.started_at,
        "started_by": r.started_by,
        "offered_to": list(r.offered_to),
        "offer_expires": r.offer_expires,
        "passed": list(r.passed),
        "offers": r.offers,
    }


def _reassignment_from(data: Mapping[str, Any] | None) -> Reassignment | None:
    if data is None:
        return None
    return Reassignment(
        group_id=data["group_id"],
        started_at=data["started_at"],
        started_by=data["started_by"],
        offered_to=tuple(data["offered_to"]),
        offer_expires=data["offer_expires"],
        passed=tuple(data["passed"]),
        offers=data["offers"],
    )


def contact_from(row: Row) -> Contact:
    """A Contact from its row."""
    return Contact(
        id=row["id"],
        name=row["name"],
        handle=row["handle"],
        phone=row["phone"],
        email=row["email"],
        account_rep_id=row["account_rep_id"],
        priority_notifications=row["priority_notifications"],
        reassignment=_reassignment_from(row["reassignment"]),
    )


def conversation_row(c: Conversation) -> dict[str, Any]:
    """A conversations row."""
    last = c.last_message
    return {
        "id": c.id,
        "team_id": c.team_id,
        "channel": c.channel,
        "contact_id": c.contact_id,
        "address": c.address,
        "state": c.state,
        "assigned_to": c.assigned_to,
        "reason": c.reason,
        "routed_at": c.routed_at,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "share_at": c.share_at,
        "wait_until": c.wait_until,
        "last_direction": last.direction if last else None,
        "last_preview": last.preview if last else None,
        "last_at": last.at if last else None,
        "unread": c.unread,
        "was_shared": c.was_shared,
    }


def conversation_from(row: Row) -> Conversation:
    """A Conversation from its row."""
    last = (
        LastMessage(row["last_direction"], row["last_preview"], row["last_at"])
        if row["last_direction"]
        else None
    )
    return Conversation(
        id=row["id"],
        team_id=row["team_id"],
        channel=row["channel"],
        contact_id=row["contact_id"],
        address=row["address"],
        state=row["state"],
        assigned_to=row["assigned_to"],
        reason=row["reason"],
        routed_at=row["routed_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        share_at=row["share_at"],
        wait_until=row["wait_until"],
        last_message=last,
        unread=row["unread"],
        was_shared=row["was_shared"],
    )


def message_row(m: Message) -> dict[str, Any]:
    """A messages row (its `pos` is assigned by the database)."""
    return {
        "id": m.id,
        "conversation_id": m.conversation_id,
        "direction": m.direction,
        "body": m.body,
        "author_id": m.author_id,
        "at": m.at,
        "client_msg_id": m.client_msg_id,
        "external_id": m.external_id,
        "delivery": m.delivery,
    }


def message_from(row: Row) -> Message:
    """A Message from its row."""
    return Message(
        id=row["id"],
        conversation_id=row["conversation_id"],
        direction=row["direction"],
        body=row["body"],
        author_id=row["author_id"],
        at=row["at"],
        client_msg_id=row["client_msg_id"],
        external_id=row["external_id"],
        delivery=row["delivery"],
    )


def timeline_row(t: TimelineEntry) -> dict[str, Any]:
    """A timeline row."""
    return {
        "conversation_id": t.conversation_id,
        "at": t.at,
        "kind": t.kind,
        "reason": t.reason,
        "actor_id": t.actor_id,
        "state": t.state,
        "assigned_to": t.assigned_to,
        "details": t.details,
    }


def timeline_from(row: Row) -> TimelineEntry:
    """A TimelineEntry from its row."""
    return TimelineEntry(
        conversation_id=row["conversation_id"],
        at=row["at"],
        kind=row["kind"],
        reason=row["reason"],
        actor_id=row["actor_id"],
        state=row["state"],
        assigned_to=row["assigned_to"],
        details=dict(row["details"]),
    )


def settings_data(s: Settings) -> dict[str, Any]:
    """Settings as stored (the same shape as on the wire)."""
    return {
        "sharing_enabled": s.sharing_enabled,
        "presence_grace_seconds": s.presence_grace_seconds,
        "phone_region": s.phone_region,
        "silent_after_minutes": s.silent_after_minutes,
        "channels": {
            ch: {
                "dedicated_routing": c.dedicated_routing,
                "time_to_share": c.time_to_share,
                "capacity_wait": c.capacity_wait,
            }
            for ch, c in s.channels.items()
        },
    }


def settings_from(data: Mapping[str, Any]) -> Settings:
    """Settings from their stored form; channels missing from it keep their defaults."""
    result = Settings(
        sharing_enabled=data["sharing_enabled"],
        presence_grace_seconds=data["presence_grace_seconds"],
        phone_region=data.get("phone_region", "US"),
        silent_after_minutes=data.get("silent_after_minutes", 10),
    )
    for ch, c in data["channels"].items():
        result.channels[ch] = ChannelSettings(**c)
    return result


def history_row(h: HistoryEntry) -> dict[str, Any]:
    """A contact_history row."""
    return {
        "contact_id": h.contact_id,
        "at": h.at,
        "kind": h.kind,
        "actor_id": h.actor_id,
        "source": h.source,
        "details": h.details,
    }


def history_from(row: Row) -> HistoryEntry:
    """A HistoryEntry from its row."""
    return HistoryEntry(
        contact_id=row["contact_id"],
        at=row["at"],
        kind=row["kind"],
        actor_id=row["actor_id"],
        source=row["source"],
        details=dict(row["details"]),
    )


def group_row(g: Group) -> dict[str, Any]:
    """A groups row."""
    return {
        "id": g.id,
        "name": g.name,
        "member_ids": list(g.member_ids),
        "default_assignee_id": g.default_assignee_id,
        "method": g.method,
        "offer_seconds": g.offer_seconds,
        "rr_cursor": g.rr_cursor,
    }


def group_from(row: Row) -> Group:
    """A Group from its row."""
    return Group(
        id=row["id"],
        name=row["name"],
        member_ids=tuple(row["member_ids"]),
        default_assignee_id=row["default_assignee_id"],
        method=row["method"],
        offer_seconds=row["offer_seconds"],
        rr_cursor=row["rr_cursor"],
    )
