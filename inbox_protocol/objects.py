"""The objects the server sends: users, conversations, messages, settings, teams."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, Field

from inbox_protocol.common import (
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
    disabled: bool = False


class Presence(WireModel):
    """A user's presence as the server sees it."""

    status: PresenceStatus
    since: AwareDatetime
    # The supervisor or admin who set this status, when it was not the user.
    set_by: str | None = None


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
    phone_region: str
    silent_after_minutes: int = 10


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
    set_by: str | None = None


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
    team_load: TeamLoad | None = None


class ReassignmentInfo(WireModel):
    """A reassignment group choosing the contact's new rep."""

    group_id: str
    started_at: AwareDatetime
    # Who holds a live offer now, and when it lapses (absent from servers before 0.2).
    offered_to: list[str] = Field(default_factory=list)
    offer_expires_at: AwareDatetime | None = None


class Contact(WireModel):
    """A customer."""

    id: str
    name: str
    handle: str
    phone: str | None
    email: str | None
    account_rep_id: str | None
    priority_notifications: bool
    reassignment: ReassignmentInfo | None


class HistoryEntry(WireModel):
    """One change of a contact's account rep or priority notifications."""

    at: AwareDatetime
    kind: str
    actor_id: str | None
    source: Literal["manual", "bulk_import", "reassignment_group", "routing"]
    details: dict[str, Any] = Field(default_factory=dict)


class Group(WireModel):
    """A reassignment group."""

    id: str
    name: str
    member_ids: list[str]
    default_assignee_id: str
    method: Literal["round_robin", "least_open", "first_to_claim"]
    offer_seconds: int


class QueueLoad(WireModel):
    """The team's shared inbox and what waits for capacity."""

    shared: int
    oldest_shared_since: AwareDatetime | None
    waiting_for_capacity: int


class ClaimedLoad(WireModel):
    """One claimed open conversation of an agent, as the team-load panel lists it."""

    conversation_id: str
    contact_name: str
    channel: Channel
    claimed_at: AwareDatetime
    # When the customer's unanswered message arrived (null when the agent spoke last).
    awaiting_reply_since: AwareDatetime | None


class QueueSample(WireModel):
    """The shared queue's depth at one moment."""

    at: AwareDatetime
    shared: int


class AgentLoad(WireModel):
    """One agent's load."""

    user_id: str
    display_name: str
    status: PresenceStatus
    status_since: AwareDatetime
    open: int
    priority: int
    max_open: int
    oldest_priority_since: AwareDatetime | None
    waiting: int = 0
    silent: bool = False
    # Since when the longest-unanswered customer of a claimed conversation has waited.
    awaiting_reply_since: AwareDatetime | None = None
    set_by: str | None = None
    claimed: list[ClaimedLoad] = Field(default_factory=list)


class TodayFigures(WireModel):
    """The team's figures since UTC midnight."""

    routed_priority: int
    claimed_from_priority: int
    shared_after_timeout: int
    claimed: int
    closed: int
    median_seconds_to_claim: float | None
    # claimed_from_priority / (claimed_from_priority + shared_after_timeout), in percent.
    rep_adherence_percent: float | None = None


class TeamLoad(WireModel):
    """A team's live load."""

    team_id: str
    at: AwareDatetime
    queue: QueueLoad
    agents: list[AgentLoad]
    today: TodayFigures
    # The shared queue's depth over the last hour, oldest first (kept in the server's memory).
    shared_history: list[QueueSample] = Field(default_factory=list)
