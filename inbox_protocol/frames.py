"""Server frames (hello, result, event) and the payloads of events."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter

from inbox_protocol.common import (
    PROTOCOL_VERSION,
    Channel,
    ErrorCode,
    PresenceStatus,
)
from inbox_protocol.objects import (
    Contact,
    Conversation,
    Message,
    Settings,
    TeamLoad,
)


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


class ConversationUpsert(BaseModel):
    """`conversation.upsert`: a conversation appeared or changed in the user's view."""

    conversation: Conversation


class ConversationRemoved(BaseModel):
    """`conversation.removed`: a conversation left the user's view."""

    conversation_id: str
    reason: str
    assigned_to: str | None = None


class MessageEvent(BaseModel):
    """`message.new` and `message.updated`."""

    message: Message


class PresenceChanged(BaseModel):
    """`presence.changed`: a teammate's presence changed."""

    user_id: str
    status: PresenceStatus
    since: AwareDatetime
    # The supervisor or admin who set it, when it was not the user.
    set_by: str | None = None


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


class ContactUpdated(BaseModel):
    """`contact.updated`: a contact's rep, notifications or reassignment changed."""

    contact: Contact


class TeamLoadUpdated(BaseModel):
    """`team_load`: a watched team's load changed (at most two a second)."""

    team_load: TeamLoad


EVENT_PAYLOADS: dict[str, type[BaseModel]] = {
    "conversation.upsert": ConversationUpsert,
    "conversation.removed": ConversationRemoved,
    "message.new": MessageEvent,
    "message.updated": MessageEvent,
    "presence.changed": PresenceChanged,
    "settings.updated": SettingsUpdated,
    "outbound.message": OutboundMessage,
    "notification": Notification,
    "contact.updated": ContactUpdated,
    "team_load": TeamLoadUpdated,
}
