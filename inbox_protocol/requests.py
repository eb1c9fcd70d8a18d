"""Every client request as a strict model, and the discriminated union that parses them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from inbox_protocol.common import (
    Channel,
    Distribution,
    PresenceStatus,
    Role,
)
from inbox_protocol.request_base import Email, IdField, Name, Phone, Request
from inbox_protocol.requests_admin import (
    CreateUser,
    ImportUpload,
    PreviewRepChange,
    SetPassword,
)


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


class SearchContacts(Request):
    """Contacts whose name, phone or e-mail contains `query`, a page at a time."""

    type: Literal["search_contacts"]
    query: Annotated[str, Field(max_length=200)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    cursor: Annotated[str, Field(max_length=500)] | None = None


class GetContact(Request):
    """A contact with its assignment history."""

    type: Literal["get_contact"]
    contact_id: IdField


class CreateContact(Request):
    """A new contact (supervisors)."""

    type: Literal["create_contact"]
    name: Name
    phone: Phone | None = None
    email: Email | None = None
    account_rep_id: IdField | None = None
    priority_notifications: bool = False


class UpdateContact(Request):
    """Change some of a contact's fields (supervisors); `account_rep_id: null` clears it."""

    type: Literal["update_contact"]
    contact_id: IdField
    name: Name | None = None
    phone: Phone | None = None
    email: Email | None = None
    account_rep_id: IdField | None = None
    priority_notifications: bool | None = None


class ImportContacts(Request):
    """A bulk contact update from CSV (supervisors): the file inline, or an upload's id."""

    type: Literal["import_contacts"]
    csv: str | None = None
    upload_id: IdField | None = None
    dry_run: bool
    skip_errors: bool = False


class ChannelSettingsPatch(BaseModel):
    """Any part of one channel's settings."""

    model_config = ConfigDict(extra="forbid", strict=True)

    dedicated_routing: bool | None = None
    time_to_share: Annotated[int, Field(ge=5, le=3600)] | None = None
    capacity_wait: Annotated[int, Field(ge=5, le=3600)] | None = None


class UpdateSettings(Request):
    """Change any part of the settings (admins)."""

    type: Literal["update_settings"]
    sharing_enabled: bool | None = None
    presence_grace_seconds: Annotated[int, Field(ge=0, le=600)] | None = None
    channels: dict[Channel, ChannelSettingsPatch] | None = None
    phone_region: Annotated[str, Field(min_length=2, max_length=2)] | None = None
    silent_after_minutes: Annotated[int, Field(ge=1, le=240)] | None = None


class UpdateTeam(Request):
    """Rename a team or change its distribution (admins)."""

    type: Literal["update_team"]
    team_id: IdField
    name: Name | None = None
    distribution: Distribution | None = None


class UpdateUser(Request):
    """Change a user's name, e-mail, role, teams, capacity or disabled flag (admins)."""

    type: Literal["update_user"]
    user_id: IdField
    display_name: Name | None = None
    email: Email | None = None
    role: Role | None = None
    team_ids: Annotated[list[IdField], Field(max_length=100)] | None = None
    max_open: Annotated[int, Field(ge=1, le=1000)] | None = None
    disabled: bool | None = None


class ListGroups(Request):
    """Every reassignment group."""

    type: Literal["list_groups"]


class GroupInput(BaseModel):
    """A Group as sent to `save_group`: without `id` to create, with it to edit."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: IdField | None = None
    name: Name
    member_ids: Annotated[list[IdField], Field(max_length=500)]
    default_assignee_id: IdField
    method: Literal["round_robin", "least_open", "first_to_claim"]
    offer_seconds: Annotated[int, Field(ge=5, le=86_400)]


class SaveGroup(Request):
    """Create or edit a reassignment group (admins); the group is nested, as its `id` would
    clash with the request's."""

    type: Literal["save_group"]
    group: GroupInput


class DeleteGroup(Request):
    """Delete a reassignment group (admins)."""

    type: Literal["delete_group"]
    group_id: IdField


class ReassignContact(Request):
    """Let a reassignment group choose the contact's new rep (supervisors)."""

    type: Literal["reassign_contact"]
    contact_id: IdField
    group_id: IdField


class AcceptReassignment(Request):
    """Take a contact you were offered."""

    type: Literal["accept_reassignment"]
    contact_id: IdField


class DeclineReassignment(Request):
    """Pass on a contact you were offered."""

    type: Literal["decline_reassignment"]
    contact_id: IdField


class ListOffers(Request):
    """The reassignment offers the caller holds now."""

    type: Literal["list_offers"]


class SubscribeTeamLoad(Request):
    """Receive a team's load now and on every change (supervisors of the team)."""

    type: Literal["subscribe_team_load"]
    team_id: IdField


class SetAgentPresence(Request):
    """Set a team member's presence to away or offline (their team's supervisors, admins)."""

    type: Literal["set_agent_presence"]
    user_id: IdField
    status: Literal["away", "offline"]


class MovePriorityOn(Request):
    """Hand an agent's pending priority work to normal routing now (supervisors, admins)."""

    type: Literal["move_priority_on"]
    user_id: IdField


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
    | OutboundStatus
    | SearchContacts
    | GetContact
    | CreateContact
    | UpdateContact
    | ImportContacts
    | UpdateSettings
    | UpdateTeam
    | UpdateUser
    | ListGroups
    | SaveGroup
    | DeleteGroup
    | ReassignContact
    | AcceptReassignment
    | DeclineReassignment
    | ListOffers
    | SubscribeTeamLoad
    | SetAgentPresence
    | MovePriorityOn
    | CreateUser
    | SetPassword
    | ImportUpload
    | PreviewRepChange,
    Field(discriminator="type"),
]
REQUEST_ADAPTER: TypeAdapter[AnyRequest] = TypeAdapter(AnyRequest)


def command_name(model: type[Request]) -> str:
    """The command a request model is for: the value of its `type` literal."""
    name: str = model.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
    return name


COMMANDS: frozenset[str] = frozenset(command_name(m) for m in Request.__subclasses__())


def _numeric_bounds() -> dict[str, tuple[int, int]]:
    """Every bounded integer field of every request, by field name, from the models themselves
    (their JSON schema), so that error messages can name both bounds."""
    bounds: dict[str, tuple[int, int]] = {}

    def visit(node: object) -> None:
        if isinstance(node, dict):
            for name, field in (node.get("properties") or {}).items():
                for option in [field, *field.get("anyOf", [])]:
                    if "minimum" in option and "maximum" in option:
                        found = (option["minimum"], option["maximum"])
                        if bounds.setdefault(name, found) != found:
                            raise ValueError(f"field {name!r} has two different bounds")
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(REQUEST_ADAPTER.json_schema())
    return bounds


# The numeric ranges named whole in `bad_request` messages ("limit: must be between 1 and 200").
NUMERIC_BOUNDS: dict[str, tuple[int, int]] = _numeric_bounds()
