"""Every client request as a strict model, and the discriminated union that parses them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from routing_client.protocol.common import (
    Channel,
    PresenceStatus,
)


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
