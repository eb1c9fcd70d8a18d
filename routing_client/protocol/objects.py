"""The objects the server sends: users, conversations, messages, settings, teams."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, Field

from routing_client.protocol.common import (
    Channel,
    ConversationState,
    Delivery,
    Distribution,
    PresenceStatus,
    Role,
    RoutingReason,
    WireModel,
)


class User(WireModel):
    """A person (or a channel gateway) who can sign in."""

    id: str
    username: str
    display_name: str
    email: str | None
    role: Role
    team_ids: list[str]
    max_open: int


class Presence(WireModel):
    """A user's presence as the server sees it."""

    status: PresenceStatus
    since: AwareDatetime


class ChannelSettings(WireModel):
    """Per-channel routing settings."""

    dedicated_routing: bool
    time_to_share: int
    capacity_wait: int


class Settings(WireModel):
    """Server-wide routing settings."""

    sharing_enabled: bool
    presence_grace_seconds: int
    channels: dict[Channel, ChannelSettings]


class ConversationContact(WireModel):
    """The contact as embedded in a conversation."""

    id: str
    name: str
    handle: str


class RoutingInfo(WireModel):
    """The latest routing step of a conversation."""

    reason: RoutingReason
    at: AwareDatetime


class LastMessage(WireModel):
    """A preview of the newest message of a conversation."""

    direction: Literal["in", "out"]
    preview: str
    at: AwareDatetime


class Conversation(WireModel):
    """A thread with one contact on one channel."""

    id: str
    team_id: str
    channel: Channel
    contact: ConversationContact
    state: ConversationState
    assigned_to: str | None
    share_at: AwareDatetime | None
    routing: RoutingInfo
    last_message: LastMessage | None
    unread: int
    created_at: AwareDatetime
    updated_at: AwareDatetime


class Message(WireModel):
    """One message of a conversation."""

    id: str
    conversation_id: str
    direction: Literal["in", "out"]
    body: str
    author_id: str | None
    at: AwareDatetime
    client_msg_id: str | None
    delivery: Delivery | None


class TimelineEntry(WireModel):
    """One routing step of a conversation, with its reason code."""

    at: AwareDatetime
    kind: str
    reason: RoutingReason | None
    actor_id: str | None
    state: ConversationState
    assigned_to: str | None
    details: dict[str, Any] = Field(default_factory=dict)


class TeamMember(WireModel):
    """A teammate's presence, as listed in a snapshot."""

    user_id: str
    display_name: str
    status: PresenceStatus
    since: AwareDatetime


class Team(WireModel):
    """A team and its members."""

    id: str
    name: str
    distribution: Distribution
    member_ids: list[str]


class Snapshot(WireModel):
    """Everything a user may see, as of one `seq`."""

    me: User
    presence: Presence
    settings: Settings
    conversations: list[Conversation]
    team: list[TeamMember]
