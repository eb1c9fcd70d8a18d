"""The routing engine's state: plain dataclasses, times as float seconds since the epoch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Channel = Literal["sms", "email", "chat", "web_form"]
CHANNELS: tuple[Channel, ...] = ("sms", "email", "chat", "web_form")
Role = Literal["agent", "supervisor", "admin", "integration"]
Status = Literal["online", "away", "offline"]
Distribution = Literal["claim", "round_robin", "least_open"]
# `waiting` is internal: held for a dedicated agent at capacity, invisible to everyone.
ConvState = Literal["priority", "shared", "claimed", "closed", "waiting"]
Delivery = Literal["pending", "sent", "delivered", "failed"]
GroupMethod = Literal["round_robin", "least_open", "first_to_claim"]
HistorySource = Literal["manual", "bulk_import", "reassignment_group", "routing"]

STAFF_ROLES: frozenset[str] = frozenset({"supervisor", "admin"})
OPEN_STATES: frozenset[str] = frozenset({"priority", "shared", "claimed", "waiting"})
DEFAULT_TEAM_ID = "support"


@dataclass(slots=True)
class User:
    """Someone who can sign in: an agent, a supervisor, an admin or a channel gateway."""

    id: str
    username: str
    display_name: str
    email: str | None
    role: Role
    team_ids: tuple[str, ...]
    max_open: int = 5
    disabled: bool = False

    @property
    def is_staff(self) -> bool:
        """Supervisors and admins: they see their teams' claimed and closed conversations."""
        return self.role in STAFF_ROLES

    @property
    def is_agent(self) -> bool:
        """Anyone who works conversations (every role but `integration`)."""
        return self.role != "integration"


@dataclass(slots=True)
class Team:
    """A group of agents sharing one inbox."""

    id: str
    name: str
    distribution: Distribution = "claim"
    # The member who was assigned last by round robin: the rotation goes on after them.
    rr_cursor: str | None = None


@dataclass(slots=True)
class Presence:
    """A user's presence; `connections` is live only, never persisted."""

    user_id: str
    status: Status
    since: float
    connections: int = 0
    # When the grace period after the last connection dropped ends (then: offline).
    offline_at: float | None = None
    # The supervisor who set this status, when it was not the user (kept in memory only: a
    # restart forgets who, never the status itself).
    set_by: str | None = None


@dataclass(slots=True)
class Contact:
    """A customer."""

    id: str
    name: str
    handle: str
    phone: str | None = None
    email: str | None = None
    account_rep_id: str | None = None
    priority_notifications: bool = False
    reassignment: Reassignment | None = None


@dataclass(slots=True)
class Reassignment:
    """A reassignment group choosing a contact's new rep; the contact is locked meanwhile."""

    group_id: str
    started_at: float
    started_by: str | None
    # Members holding a live offer (all of them at once for `first_to_claim`).
    offered_to: tuple[str, ...] = ()
    offer_expires: float | None = None
    # Members who declined, let their offer expire, or were skipped as unavailable.
    passed: tuple[str, ...] = ()
    # How many offers have been made (first_to_claim makes exactly one).
    offers: int = 0


@dataclass(slots=True)
class Group:
    """A reassignment group: who may be offered a contact, how, and who gets it at the end."""

    id: str
    name: str
    member_ids: tuple[str, ...]
    default_assignee_id: str
    method: GroupMethod = "round_robin"
    offer_seconds: int = 300
    # The member offered last by round robin: membership changes do not reset the rotation.
    rr_cursor: str | None = None


@dataclass(slots=True)
class HistoryEntry:
    """One change of a contact's account rep or priority notifications."""

    contact_id: str
    at: float
    kind: str
    actor_id: str | None
    source: HistorySource
    details: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class LastMessage:
    """The preview of a conversation's newest message."""

    direction: Literal["in", "out"]
    preview: str
    at: float


@dataclass(slots=True)
class Conversation:
    """A thread with one contact on one channel, and where routing has put it."""

    id: str
    team_id: str
    channel: Channel
    contact_id: str
    # The contact's address on this channel (phone, e-mail or visitor id): where replies go.
    address: str
    state: ConvState
    assigned_to: str | None
    reason: str
    routed_at: float
    created_at: float
    updated_at: float
    share_at: float | None = None
    wait_until: float | None = None
    last_message: LastMessage | None = None
    unread: int = 0
    # Whether it was ever in the shared inbox: then its team may learn it was claimed.
    was_shared: bool = False

    @property
    def is_open(self) -> bool:
        """Whether the conversation still takes the contact's messages."""
        return self.state in OPEN_STATES


@dataclass(slots=True)
class Message:
    """One inbound or outbound message."""

    id: str
    conversation_id: str
    direction: Literal["in", "out"]
    body: str
    author_id: str | None
    at: float
    client_msg_id: str | None = None
    external_id: str | None = None
    delivery: Delivery | None = None


@dataclass(slots=True)
class TimelineEntry:
    """One step in a conversation's routing history."""

    conversation_id: str
    at: float
    kind: str
    reason: str | None
    actor_id: str | None
    state: ConvState
    assigned_to: str | None
    details: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class ChannelSettings:
    """Routing settings of one channel."""

    dedicated_routing: bool
    time_to_share: int = 300
    capacity_wait: int = 300


def default_channels() -> dict[Channel, ChannelSettings]:
    """Dedicated routing on for every channel but chat; five-minute timers."""
    return {ch: ChannelSettings(dedicated_routing=ch != "chat") for ch in CHANNELS}


@dataclass(slots=True)
class Settings:
    """Server-wide routing settings."""

    sharing_enabled: bool = True
    presence_grace_seconds: int = 30
    channels: dict[Channel, ChannelSettings] = field(default_factory=default_channels)
    # The region of phone numbers typed without a country code (ISO 3166 alpha-2).
    phone_region: str = "US"
    # An online agent holding a claimed conversation whose customer has waited this long for a
    # reply shows as "silent" in team load.
    silent_after_minutes: int = 10
