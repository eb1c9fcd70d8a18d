"""The client's copy of what the server lets the user see, and fine-grained change events.

The store applies snapshots and events and tells its observers exactly what changed — one
conversation added, changed or removed; one conversation's messages changed — so that Qt models
can insert, remove or update single rows instead of rebuilding lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from inbox_protocol import Conversation, Message, Notification, TeamMember, User

ChangeKind = Literal[
    "reset",  # a snapshot replaced everything
    "conversation_added",
    "conversation_changed",
    "conversation_removed",
    "messages_changed",
    "presence_changed",
    "notification",
    "settings_changed",
    "contact_changed",
    "team_load",
]


@dataclass(frozen=True)
class Change:
    """One change: its kind, and the id (conversation, user) it concerns, if any."""

    kind: ChangeKind
    key: str | None = None
    # Extra information: the removal reason, the notification, the previous conversation.
    detail: Any = None


Observer = Callable[[Change], None]


@dataclass
class PendingReply:
    """A reply typed here that the server has not acknowledged yet."""

    client_msg_id: str
    conversation_id: str
    body: str
    at: datetime


@dataclass
class Store:
    """Conversations, their loaded messages, teammates' presence, and notifications."""

    me: User | None = None
    presence: TeamMember | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    conversations: dict[str, Conversation] = field(default_factory=dict)
    messages: dict[str, dict[str, Message]] = field(default_factory=dict)
    pending: dict[str, PendingReply] = field(default_factory=dict)
    team: dict[str, TeamMember] = field(default_factory=dict)
    notifications: list[Notification] = field(default_factory=list)
    removed_reasons: dict[str, str] = field(default_factory=dict)
    # Who had a conversation when it left the view (`assigned_to` of `conversation.removed`).
    removed_to: dict[str, str] = field(default_factory=dict)
    team_load: dict[str, Any] | None = None
    _observers: list[Observer] = field(default_factory=list)

    # -- observers ----------------------------------------------------------------------------

    def observe(self, observer: Observer) -> Callable[[], None]:
        """Call `observer` with every change; returns the function that stops it."""
        self._observers.append(observer)
        return lambda: self._observers.remove(observer)

    def detach_observers(self) -> None:
        """Forget every observer."""
        self._observers.clear()

    def _emit(self, kind: ChangeKind, key: str | None = None, detail: Any = None) -> None:
        change = Change(kind, key, detail)
        for observer in list(self._observers):
            observer(change)

    # -- applying the server's view -----------------------------------------------------------

    def apply_sync(self, result: dict[str, Any]) -> None:
        """Apply a `sync` result: a snapshot replaces everything, a delta is a list of events."""
        if result["mode"] == "snapshot":
            snap = result["snapshot"]
            self.me = User.model_validate(snap["me"])
            self.settings = snap["settings"]
            self.conversations = {
                c["id"]: Conversation.model_validate(c) for c in snap["conversations"]
            }
            self.messages = {k: v for k, v in self.messages.items() if k in self.conversations}
            self.team = {m["user_id"]: TeamMember.model_validate(m) for m in snap["team"]}
            self.presence = self.team.get(self.me.id)
            self.team_load = snap.get("team_load")
            self._emit("reset")
            return
        for item in result["events"]:
            self.apply_event(item["event"], item["data"])

    def apply_event(self, name: str, data: dict[str, Any]) -> None:
        """Apply one event."""
        if name == "conversation.upsert":
            conv = Conversation.model_validate(data["conversation"])
            before = self.conversations.get(conv.id)
            self.conversations[conv.id] = conv
            self.removed_reasons.pop(conv.id, None)
            self._emit("conversation_changed" if before else "conversation_added", conv.id, before)
        elif name == "conversation.removed":
            conv_id = data["conversation_id"]
            self.removed_reasons[conv_id] = data["reason"]
            if data.get("assigned_to"):
                self.removed_to[conv_id] = data["assigned_to"]
            if self.conversations.pop(conv_id, None) is not None:
                self._emit("conversation_removed", conv_id, data["reason"])
        elif name in ("message.new", "message.updated"):
            message = Message.model_validate(data["message"])
            loaded = self.messages.get(message.conversation_id)
            if loaded is not None:
                loaded[message.id] = message
            if message.client_msg_id and message.client_msg_id in self.pending:
                del self.pending[message.client_msg_id]
            self._emit("messages_changed", message.conversation_id)
        elif name == "presence.changed":
            member = self.team.get(data["user_id"])
            if member is not None:
                # `since` and `set_by` too: the window says since when, and who set it.
                updated = TeamMember.model_validate(
                    {
                        **member.model_dump(mode="json"),
                        "status": data["status"],
                        "since": data.get("since", member.since.isoformat()),
                        "set_by": data.get("set_by"),
                    }
                )
                self.team[member.user_id] = updated
                if self.me is not None and member.user_id == self.me.id:
                    self.presence = updated
                self._emit("presence_changed", member.user_id)
        elif name == "notification":
            note = Notification.model_validate(data)
            self.notifications.append(note)
            self._emit("notification", note.conversation_id, note)
        elif name == "settings.updated":
            self.settings = data["settings"]
            self._emit("settings_changed")
        elif name == "contact.updated":
            self._emit("contact_changed", data["contact"]["id"], data["contact"])
        elif name == "team_load":
            self.team_load = data["team_load"]
            self._emit("team_load")

    def set_messages(self, conversation_id: str, messages: list[dict[str, Any]]) -> None:
        """Messages fetched with `get_conversation` (merged with any already known)."""
        loaded = self.messages.setdefault(conversation_id, {})
        for raw in messages:
            message = Message.model_validate(raw)
            loaded[message.id] = message
        self._emit("messages_changed", conversation_id)

    def add_pending(self, reply: PendingReply) -> None:
        """Show a reply that is queued for sending."""
        self.pending[reply.client_msg_id] = reply
        self._emit("messages_changed", reply.conversation_id)

    # -- reading ------------------------------------------------------------------------------

    def thread(self, conversation_id: str) -> list[Message | PendingReply]:
        """A conversation's messages, oldest first, then the replies still queued here."""
        known = sorted(self.messages.get(conversation_id, {}).values(), key=lambda m: m.at)
        sent = {m.client_msg_id for m in known if m.client_msg_id}
        queued = [
            p
            for p in self.pending.values()
            if p.conversation_id == conversation_id and p.client_msg_id not in sent
        ]
        return [*known, *sorted(queued, key=lambda p: p.at)]

    def member_name(self, user_id: str | None) -> str:
        """A teammate's display name (or the id when unknown)."""
        if user_id is None:
            return ""
        member = self.team.get(user_id)
        return member.display_name if member else user_id
