"""The storage interface the server depends on; SQLite implements it now, PostgreSQL later."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from routing_server.engine.model import (
    Conversation,
    HistoryEntry,
    Message,
    Team,
    TimelineEntry,
    User,
)
from routing_server.engine.state import State
from routing_server.engine.tx import Changes


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as persisted: its number, wire name and data, and who may receive it."""

    seq: int
    name: str
    data: dict[str, Any]
    audience: frozenset[str]


@dataclass
class PreparedWrite:
    """One transaction's rows, rendered when it ended."""

    upserts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)
    deliveries: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    deleted_groups: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Credentials:
    """What login needs of a user."""

    user_id: str
    password_hash: str | None


class Storage(Protocol):
    """Durable state. Every method is one transaction; `commit` writes a command's whole effect."""

    async def open(self) -> None:
        """Connect and bring the schema up to date."""

    async def close(self) -> None:
        """Release connections."""

    async def claim_writer(self) -> bool:
        """Become the one process that writes the database; False when another one is."""

    async def load_state(self) -> State:
        """Users, teams, presence, contacts, open conversations, settings and the last seq."""

    def prepare(self, changes: Changes, events: list[StoredEvent], at: float) -> PreparedWrite:
        """Render a transaction's rows now (later commands may change the same objects)."""

    async def commit_prepared(self, batch: Sequence[PreparedWrite]) -> None:
        """Write prepared transactions, in order, in one commit."""

    async def commit(self, changes: Changes, events: list[StoredEvent], at: float) -> None:
        """Write a transaction's changes and its events atomically."""

    async def load_directory(self) -> tuple[list[Team], list[User]]:
        """Every team and user."""

    async def load_user(self, user_id: str) -> User | None:
        """One user, straight from the database (for users added while the server runs)."""

    async def load_team(self, team_id: str) -> Team | None:
        """One team, straight from the database."""

    async def credentials(self, username: str) -> Credentials | None:
        """The user id and password hash for a username."""

    async def set_password_hash(self, user_id: str, password_hash: str) -> None:
        """Replace a user's password hash (after a rehash)."""

    async def create_user(self, user: User, password_hash: str | None) -> None:
        """Insert a new user with a presence of offline."""

    async def create_team(self, team: Team) -> None:
        """Insert a new team."""

    async def save_token(self, token_hash: str, user_id: str, now: float, expires: float) -> None:
        """Store a new token's hash."""

    async def token_user(self, token_hash: str, now: float) -> str | None:
        """The user a live token belongs to, or None when unknown, expired or revoked."""

    async def revoke_token(self, token_hash: str) -> None:
        """Revoke one token."""

    async def load_conversation(self, conversation_id: str) -> Conversation | None:
        """One conversation, open or closed."""

    async def find_outbound(self, author_id: str, client_msg_id: str) -> Message | None:
        """The reply an author already sent with this `client_msg_id`."""

    async def find_inbound(self, external_id: str) -> Message | None:
        """The inbound message a gateway already delivered with this `external_id`."""

    async def get_message(self, message_id: str) -> Message | None:
        """One message."""

    async def messages_page(
        self, conversation_id: str, before_message_id: str | None, limit: int
    ) -> tuple[list[Message], bool]:
        """Up to `limit` messages before a message (or the newest), oldest first; has_more."""

    async def timeline(self, conversation_id: str) -> list[TimelineEntry]:
        """Every routing step of a conversation, oldest first."""

    async def events_since(self, seq: int, limit: int) -> list[StoredEvent] | None:
        """Events after `seq`, or None when more than `limit` or some were pruned."""

    async def contact_history(self, contact_id: str) -> list[HistoryEntry]:
        """Every change of a contact's rep and priority notifications, oldest first."""

    async def revoke_user_tokens(self, user_id: str) -> None:
        """Revoke every token of a user."""

    async def undelivered_outbound(self) -> list[Message]:
        """Replies that no gateway has acknowledged yet, oldest first."""
