"""The `result` object of every command, as a model: the server builds these, a client may parse
a result with `parse_result(command, data)`.

A result names what it holds (`{"conversation": …}`, `{"users": […]}`), as the protocol says.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, model_serializer

from inbox_protocol.common import Channel, ConversationState, PresenceStatus
from inbox_protocol.frames import Event, Notification
from inbox_protocol.objects import (
    Contact,
    Conversation,
    Group,
    HistoryEntry,
    Message,
    Presence,
    Settings,
    Snapshot,
    Team,
    TeamLoad,
    TimelineEntry,
    User,
)


class ResultModel(BaseModel):
    """Base of every result: unknown fields are kept (a newer server may send more)."""

    model_config = ConfigDict(extra="allow")


class Empty(ResultModel):
    """`{}`: done, nothing to report (logout, ping, outbound_status, delete_group)."""


class LoginResult(ResultModel):
    """`login`: the new token and who it belongs to."""

    token: str
    user: User
    expires_at: AwareDatetime


class UserResult(ResultModel):
    """One user (`auth`, `update_user`)."""

    user: User


class PresenceResult(ResultModel):
    """`set_presence`: the server's view of the caller's presence."""

    status: PresenceStatus
    since: AwareDatetime


class SyncSnapshot(ResultModel):
    """`sync` when the client must start over from what it can see now."""

    mode: Literal["snapshot"]
    seq: int
    snapshot: Snapshot


class SyncDelta(ResultModel):
    """`sync` when the events since the client's `since` are enough."""

    mode: Literal["delta"]
    seq: int
    events: list[Event]


class ConversationResult(ResultModel):
    """One conversation (claim, release, close, transfer, mark_read)."""

    conversation: Conversation


class ConversationPage(ResultModel):
    """`get_conversation`: the conversation, a page of messages (oldest first), its timeline."""

    conversation: Conversation
    messages: list[Message]
    timeline: list[TimelineEntry]
    has_more: bool


class MessageResult(ResultModel):
    """`send_message`: the reply as stored."""

    message: Message


class UsersResult(ResultModel):
    """`list_users`."""

    users: list[User]


class TeamsResult(ResultModel):
    """`list_teams`."""

    teams: list[Team]


class TeamResult(ResultModel):
    """`update_team`."""

    team: Team


class SettingsResult(ResultModel):
    """`get_settings`, `update_settings`."""

    settings: Settings


class InboundResult(ResultModel):
    """`inbound`: where the customer's message went; `duplicate` for a retried external_id."""

    conversation_id: str
    message_id: str
    duplicate: bool


class ContactsPage(ResultModel):
    """`search_contacts`: a page, and the cursor of the next one (null at the end)."""

    contacts: list[Contact]
    next_cursor: str | None


class ContactResult(ResultModel):
    """One contact (create, update, reassign, accept or decline a reassignment)."""

    contact: Contact


class ContactWithHistory(ResultModel):
    """`get_contact`: the contact and every assignment of its rep."""

    contact: Contact
    history: list[HistoryEntry]


class Upload(BaseModel):
    """An upload in progress: characters received so far and their size in UTF-8 bytes."""

    upload_id: str
    received: int
    bytes: int


class UploadResult(ResultModel):
    """`import_upload`: the upload after this chunk."""

    upload: Upload


class PreviewConversation(BaseModel):
    """What a rep change would do to one open conversation the caller may see."""

    conversation_id: str
    channel: Channel
    state: ConversationState
    assigned_to: str | None
    effect: str


class RepChangePreview(BaseModel):
    """What a rep change would do: visible conversations one by one, private ones as counts."""

    changes_routing: bool
    conversations: list[PreviewConversation]
    private: dict[str, int]
    hidden: int


class RepChangePreviewResult(ResultModel):
    """`preview_rep_change` (changes nothing)."""

    preview: RepChangePreview


class ImportRow(BaseModel):
    """One CSV line's outcome; `contact_id` and `error` only when there is one."""

    line: int
    action: Literal["create", "update", "unchanged", "error"]
    contact_id: str | None = None
    error: str | None = None

    @model_serializer
    def _present_only(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line, "action": self.action}
        if self.contact_id is not None:
            out["contact_id"] = self.contact_id
        if self.error is not None:
            out["error"] = self.error
        return out


class ImportResult(ResultModel):
    """`import_contacts`: every row, the counts by action, and whether anything was applied."""

    rows: list[ImportRow]
    counts: dict[str, int]
    applied: bool


class GroupsResult(ResultModel):
    """`list_groups`."""

    groups: list[Group]


class GroupResult(ResultModel):
    """`save_group`."""

    group: Group


class OffersResult(ResultModel):
    """`list_offers`: the reassignment offers the caller holds now, as their notifications."""

    offers: list[Notification]


class TeamLoadResult(ResultModel):
    """`subscribe_team_load`: the team's load now (events follow)."""

    team_load: TeamLoad


class AgentPresenceResult(ResultModel):
    """`set_agent_presence`: the teammate's presence as the server now sees it."""

    user_id: str
    presence: Presence


class MovedOnResult(ResultModel):
    """`move_priority_on`: how many of the teammate's pending conversations were moved on."""

    user_id: str
    moved: int


# The result model of every command, by command name.
RESULTS: dict[str, type[BaseModel]] = {
    "login": LoginResult,
    "auth": UserResult,
    "logout": Empty,
    "ping": Empty,
    "set_presence": PresenceResult,
    "get_conversation": ConversationPage,
    "claim": ConversationResult,
    "release": ConversationResult,
    "send_message": MessageResult,
    "close": ConversationResult,
    "transfer": ConversationResult,
    "mark_read": ConversationResult,
    "list_users": UsersResult,
    "list_teams": TeamsResult,
    "get_settings": SettingsResult,
    "inbound": InboundResult,
    "outbound_status": Empty,
    "search_contacts": ContactsPage,
    "get_contact": ContactWithHistory,
    "create_contact": ContactResult,
    "update_contact": ContactResult,
    "import_contacts": ImportResult,
    "update_settings": SettingsResult,
    "update_team": TeamResult,
    "update_user": UserResult,
    "list_groups": GroupsResult,
    "save_group": GroupResult,
    "delete_group": Empty,
    "reassign_contact": ContactResult,
    "accept_reassignment": ContactResult,
    "decline_reassignment": ContactResult,
    "subscribe_team_load": TeamLoadResult,
    "list_offers": OffersResult,
    "create_user": UserResult,
    "set_password": Empty,
    "import_upload": UploadResult,
    "preview_rep_change": RepChangePreviewResult,
    "set_agent_presence": AgentPresenceResult,
    "move_priority_on": MovedOnResult,
}


def parse_result(command: str, data: dict[str, Any]) -> BaseModel:
    """A command's result as its model (`sync` gives a SyncSnapshot or a SyncDelta)."""
    if command == "sync":
        return (
            SyncSnapshot.model_validate(data)
            if data.get("mode") == "snapshot"
            else (SyncDelta.model_validate(data))
        )
    return RESULTS[command].model_validate(data)
