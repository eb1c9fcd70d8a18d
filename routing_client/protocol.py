"""The Agent Inbox wire protocol, version 1: every frame as a pydantic model.

The server validates requests with `REQUEST_ADAPTER` and builds results and events from the object
models here; the client library parses server frames with `SERVER_FRAME_ADAPTER`. `docs/protocol.md`
is the prose version of this module.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter

PROTOCOL_VERSION = 1
MAX_FRAME_BYTES = 1024 * 1024

Channel = Literal["sms", "email", "chat", "web_form"]
CHANNELS: tuple[Channel, ...] = ("sms", "email", "chat", "web_form")
ConversationState = Literal["priority", "shared", "claimed", "closed"]
Role = Literal["agent", "supervisor", "admin", "integration"]
PresenceStatus = Literal["online", "away", "offline"]
Delivery = Literal["pending", "sent", "delivered", "failed"]
Distribution = Literal["claim", "round_robin", "least_open"]
ErrorCode = Literal[
    "bad_request",
    "unauthenticated",
    "invalid_credentials",
    "invalid_token",
    "forbidden",
    "not_found",
    "already_claimed",
    "invalid_state",
    "reassignment_in_progress",
    "rate_limited",
    "too_large",
    "internal",
]
RoutingReason = Literal[
    "no_dedicated_agent",
    "channel_not_dedicated",
    "dedicated_available",
    "dedicated_unavailable",
    "dedicated_at_capacity",
    "capacity_freed",
    "capacity_wait_elapsed",
    "time_to_share_elapsed",
    "dedicated_went_unavailable",
    "released_by_agent",
    "account_rep_changed",
    "claimed",
    "auto_assigned_round_robin",
    "auto_assigned_least_open",
    "transferred",
]

# Close codes.
CLOSE_NOT_AUTHENTICATED = 4001
CLOSE_REVOKED = 4003
CLOSE_POLICY = 4008
CLOSE_TOO_LARGE = 1009
CLOSE_GOING_AWAY = 1001


class WireModel(BaseModel):
    """Base of every object the server sends: unknown fields are kept, not rejected.

    Clients must tolerate fields added by later server versions, so objects allow extras.
    """

    model_config = ConfigDict(extra="allow")


# ---------------------------------------------------------------------------------------------
# Objects


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


# ---------------------------------------------------------------------------------------------
# Client → server requests


class Request(BaseModel):
    """Base of every client request: strict types, no unknown fields."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: int = Field(ge=1)


Text = Annotated[str, Field(min_length=1, max_length=200)]
IdField = Annotated[str, Field(min_length=1, max_length=100)]


class Login(Request):
    """Exchange a username and password for a token."""

    type: Literal["login"]
    username: Annotated[str, Field(min_length=1, max_length=200)]
    password: Annotated[str, Field(min_length=1, max_length=1000)]


class Auth(Request):
    """Authenticate the connection with a token."""

    type: Literal["auth"]
    token: Annotated[str, Field(min_length=1, max_length=200)]


class Logout(Request):
    """Revoke the connection's token."""

    type: Literal["logout"]


class Ping(Request):
    """Check the connection."""

    type: Literal["ping"]


class Sync(Request):
    """Ask for a snapshot, or the events since `since`."""

    type: Literal["sync"]
    since: Annotated[int, Field(ge=0)] | None = None


class SetPresence(Request):
    """Set the caller's presence."""

    type: Literal["set_presence"]
    status: PresenceStatus


class GetConversation(Request):
    """A conversation with a page of its messages and its routing timeline."""

    type: Literal["get_conversation"]
    conversation_id: IdField
    before_message_id: IdField | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class Claim(Request):
    """Claim a conversation."""

    type: Literal["claim"]
    conversation_id: IdField


class Release(Request):
    """Hand a conversation back to normal routing."""

    type: Literal["release"]
    conversation_id: IdField


class SendMessage(Request):
    """Reply to a conversation."""

    type: Literal["send_message"]
    conversation_id: IdField
    body: Annotated[str, Field(min_length=1, max_length=10_000)]
    client_msg_id: Annotated[str, Field(min_length=1, max_length=64)]


class Close(Request):
    """Close a conversation."""

    type: Literal["close"]
    conversation_id: IdField


class Transfer(Request):
    """Make another team member the owner of a conversation."""

    type: Literal["transfer"]
    conversation_id: IdField
    to_user_id: IdField


class MarkRead(Request):
    """Reset a conversation's unread count."""

    type: Literal["mark_read"]
    conversation_id: IdField


class ListUsers(Request):
    """Every user."""

    type: Literal["list_users"]


class ListTeams(Request):
    """Every team."""

    type: Literal["list_teams"]


class GetSettings(Request):
    """The routing settings."""

    type: Literal["get_settings"]


class Inbound(Request):
    """A customer's message, from a channel gateway."""

    type: Literal["inbound"]
    channel: Channel
    from_: Annotated[str, Field(min_length=1, max_length=320, alias="from")]
    name: Annotated[str, Field(max_length=200)] | None = None
    body: Annotated[str, Field(min_length=1, max_length=10_000)]
    external_id: Annotated[str, Field(min_length=1, max_length=200)]
    team_id: IdField | None = None


class OutboundStatus(Request):
    """A gateway's report on a reply it was asked to deliver."""

    type: Literal["outbound_status"]
    message_id: IdField
    status: Literal["delivered", "failed"]
    error: Annotated[str, Field(max_length=1000)] | None = None


AnyRequest = Annotated[
    Login
    | Auth
    | Logout
    | Ping
    | Sync
    | SetPresence
    | GetConversation
    | Claim
    | Release
    | SendMessage
    | Close
    | Transfer
    | MarkRead
    | ListUsers
    | ListTeams
    | GetSettings
    | Inbound
    | OutboundStatus,
    Field(discriminator="type"),
]
REQUEST_ADAPTER: TypeAdapter[AnyRequest] = TypeAdapter(AnyRequest)
COMMANDS: frozenset[str] = frozenset(
    model.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
    for model in Request.__subclasses__()
)

# ---------------------------------------------------------------------------------------------
# Server → client frames


class Hello(BaseModel):
    """The first frame on every connection."""

    type: Literal["hello"] = "hello"
    protocol: int = PROTOCOL_VERSION
    server_version: str


class ErrorBody(BaseModel):
    """Why a request failed."""

    code: ErrorCode
    message: str
    details: dict[str, Any] | None = None


class Result(BaseModel):
    """The one reply to a request: `result` when `ok`, `error` otherwise."""

    model_config = ConfigDict(extra="allow")

    type: Literal["result"] = "result"
    id: int | None
    ok: bool
    result: dict[str, Any] | None = None
    error: ErrorBody | None = None


class Event(BaseModel):
    """A change pushed to the client, numbered by `seq`."""

    model_config = ConfigDict(extra="allow")

    type: Literal["event"] = "event"
    event: str
    seq: int
    data: dict[str, Any]


ServerFrame = Annotated[Hello | Result | Event, Field(discriminator="type")]
SERVER_FRAME_ADAPTER: TypeAdapter[ServerFrame] = TypeAdapter(ServerFrame)


# ---------------------------------------------------------------------------------------------
# Event payloads


class ConversationUpsert(BaseModel):
    """`conversation.upsert`: a conversation appeared or changed in the user's view."""

    conversation: Conversation


class ConversationRemoved(BaseModel):
    """`conversation.removed`: a conversation left the user's view."""

    conversation_id: str
    reason: str


class MessageEvent(BaseModel):
    """`message.new` and `message.updated`."""

    message: Message


class PresenceChanged(BaseModel):
    """`presence.changed`: a teammate's presence changed."""

    user_id: str
    status: PresenceStatus
    since: AwareDatetime


class SettingsUpdated(BaseModel):
    """`settings.updated`."""

    settings: Settings


class OutboundMessage(BaseModel):
    """`outbound.message`: a reply for a gateway to deliver."""

    message_id: str
    conversation_id: str
    channel: Channel
    to: str
    body: str


class Notification(BaseModel):
    """`notification`: something to show the user now."""

    kind: str
    title: str
    body: str
    conversation_id: str | None = None
    contact_id: str | None = None
    expires_at: datetime | None = None


EVENT_PAYLOADS: dict[str, type[BaseModel]] = {
    "conversation.upsert": ConversationUpsert,
    "conversation.removed": ConversationRemoved,
    "message.new": MessageEvent,
    "message.updated": MessageEvent,
    "presence.changed": PresenceChanged,
    "settings.updated": SettingsUpdated,
    "outbound.message": OutboundMessage,
    "notification": Notification,
}
