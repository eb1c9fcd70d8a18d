"""One engine transaction: what a command changed and the events it causes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from routing_server.engine.model import (
    Contact,
    Conversation,
    Group,
    HistoryEntry,
    HistorySource,
    Message,
    Presence,
    Settings,
    Team,
    TimelineEntry,
    User,
)
from routing_server.engine.state import State
from routing_server.engine.visibility import viewers


@dataclass(frozen=True, slots=True)
class Removal:
    """A conversation that left some users' view."""

    conversation_id: str
    reason: str
    # Who has it now (the claimer, the transfer's target, the new rep), null when nobody does.
    assigned_to: str | None = None


@dataclass(frozen=True, slots=True)
class Outbound:
    """A reply for the channel gateways to deliver."""

    message: Message
    conversation: Conversation


@dataclass(frozen=True, slots=True)
class Notice:
    """A notification for one user."""

    kind: str
    title: str
    body: str
    conversation_id: str | None = None
    contact_id: str | None = None
    expires_at: float | None = None


EventPayload = Conversation | Removal | Message | Presence | Outbound | Notice | Settings | Contact


@dataclass(frozen=True, slots=True)
class EngineEvent:
    """An event to persist and push to `audience` (user ids), named as on the wire."""

    name: str
    payload: EventPayload
    audience: frozenset[str]


@dataclass
class Changes:
    """Everything one transaction changed: the storage layer writes it all in one commit."""

    users: list[User] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    presence: list[Presence] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    conversations: list[Conversation] = field(default_factory=list)
    settings: Settings | None = None
    new_messages: list[Message] = field(default_factory=list)
    updated_messages: list[Message] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    deleted_groups: list[str] = field(default_factory=list)
    events: list[EngineEvent] = field(default_factory=list)
    # Teams whose load changed: not persisted, only pushed.
    load_changed: set[str] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        """Whether there is nothing to write."""
        return not (
            self.users
            or self.teams
            or self.presence
            or self.contacts
            or self.conversations
            or self.settings
            or self.new_messages
            or self.updated_messages
            or self.timeline
            or self.history
            or self.groups
            or self.deleted_groups
            or self.events
        )


class Tx:
    """Collects a command's changes; `finish` turns them into `Changes` with audiences.

    Commands call `touch` before they mutate a conversation, so the transaction knows who could
    see it before: users who could see it and no longer can get `conversation.removed`.
    """

    def __init__(self, state: State, now: float, new_id: Callable[[str], str]) -> None:
        self.state = state
        self.now = now
        self.new_id = new_id
        self._viewers_before: dict[str, frozenset[str]] = {}
        self._conversations: dict[str, Conversation] = {}
        self._created: set[str] = set()
        self._users: dict[str, User] = {}
        self._teams: dict[str, Team] = {}
        self._presence: dict[str, Presence] = {}
        self._contacts: dict[str, Contact] = {}
        self._groups: dict[str, Group] = {}
        self._settings: Settings | None = None
        self._changes = Changes()
        # Events other than conversation upserts and removals, in the order they happened.
        self._later: list[tuple[str, EventPayload, Conversation | None, frozenset[str]]] = []

    # -- recording ----------------------------------------------------------------------------

    def touch(self, conv: Conversation) -> None:
        """Note that `conv` is about to change (remembering who can see it now)."""
        if conv.id not in self._viewers_before:
            self._viewers_before[conv.id] = viewers(self.state, conv)
            self._conversations[conv.id] = conv

    def created(self, conv: Conversation) -> None:
        """Note a conversation that did not exist before this transaction."""
        self.state.add_conversation(conv)
        self._viewers_before[conv.id] = frozenset()
        self._conversations[conv.id] = conv
        self._created.add(conv.id)

    def is_unrouted(self, conv: Conversation) -> bool:
        """Whether `conv` was created in this transaction and has taken no routing step yet."""
        return conv.id in self._created and not any(
            t.conversation_id == conv.id for t in self._changes.timeline
        )

    def touch_user(self, user: User) -> None:
        """Note that a user changed."""
        self._users[user.id] = user
        self.state.agent_changed(user.id)

    def touch_team(self, team: Team) -> None:
        """Note that a team changed."""
        self._teams[team.id] = team
        self.state.index.dirty_teams.add(team.id)

    def touch_presence(self, presence: Presence, *, announce: bool = True) -> None:
        """Note that a presence changed; `announce` pushes `presence.changed` to teammates."""
        self._presence[presence.user_id] = presence
        if announce:
            user = self.state.users[presence.user_id]
            self._later.append(
                ("presence.changed", presence, None, frozenset(self.state.teammates(user)))
            )

    def touch_contact(self, contact: Contact, *, announce: bool = True) -> None:
        """Note that a contact changed; `announce` pushes `contact.updated` to every agent."""
        self._contacts[contact.id] = contact
        if announce:
            self._later.append(("contact.updated", contact, None, self._agents()))

    def _agents(self) -> frozenset[str]:
        return frozenset(u.id for u in self.state.users.values() if u.is_agent and not u.disabled)

    def touch_group(self, group: Group) -> None:
        """Note that a reassignment group was created or changed."""
        self._groups[group.id] = group

    def delete_group(self, group_id: str) -> None:
        """Note that a reassignment group was deleted."""
        self._groups.pop(group_id, None)
        self._changes.deleted_groups.append(group_id)

    def history(
        self,
        contact: Contact,
        kind: str,
        actor_id: str | None,
        source: HistorySource,
        **details: object,
    ) -> None:
        """Record a change of a contact's rep (or priority notifications) in its history."""
        self._changes.history.append(
            HistoryEntry(contact.id, self.now, kind, actor_id, source, dict(details))
        )

    def settings_changed(self, settings: Settings) -> None:
        """Note new settings and announce them to everyone."""
        self._settings = settings
        self._later.append(("settings.updated", settings, None, self._agents()))

    def message_new(self, message: Message, conv: Conversation) -> None:
        """A new message, pushed to whoever sees its conversation when the command ends."""
        self._changes.new_messages.append(message)
        self._later.append(("message.new", message, conv, frozenset()))

    def message_updated(self, message: Message, conv: Conversation) -> None:
        """A changed message (delivery state), pushed like `message_new`."""
        self._changes.updated_messages.append(message)
        self._later.append(("message.updated", message, conv, frozenset()))

    def outbound(self, message: Message, conv: Conversation) -> None:
        """A reply for every channel gateway to deliver."""
        audience = frozenset(u.id for u in self.state.integrations())
        self._later.append(("outbound.message", Outbound(message, conv), None, audience))

    def outbound_messages(self) -> list[Outbound]:
        """The replies this transaction hands to the channel gateways, in order."""
        return [
            payload
            for name, payload, _, _ in self._later
            if name == "outbound.message" and isinstance(payload, Outbound)
        ]

    def tell(self, user_id: str, name: str, payload: EventPayload) -> None:
        """An event for one user alone (for instance when their own access changed)."""
        self._later.append((name, payload, None, frozenset({user_id})))

    def notify(self, user_id: str, notice: Notice) -> None:
        """A notification for one user."""
        self._later.append(("notification", notice, None, frozenset({user_id})))

    def timeline(
        self,
        conv: Conversation,
        kind: str,
        reason: str | None,
        actor_id: str | None,
        **details: object,
    ) -> None:
        """Record a routing step of `conv` as it stands now (and count it in today's figures)."""
        from_state = details.get("from")
        self.state.stats.record(
            conv.team_id,
            self.now,
            kind,
            reason,
            from_state if isinstance(from_state, str) else None,
            conv.created_at,
        )
        self._changes.timeline.append(
            TimelineEntry(
                conversation_id=conv.id,
                at=self.now,
                kind=kind,
                reason=reason,
                actor_id=actor_id,
                state=conv.state,
                assigned_to=conv.assigned_to,
                details=dict(details),
            )
        )

    @property
    def touched(self) -> bool:
        """Whether the transaction recorded any change."""
        return bool(
            self._conversations
            or self._users
            or self._teams
            or self._presence
            or self._contacts
            or self._settings
            or self._groups
            or self._later
            or self._changes.timeline
            or self._changes.new_messages
        )

    # -- result -------------------------------------------------------------------------------

    def finish(self) -> Changes:
        """The transaction's changes and events, with audiences from the final state."""
        changes = self._changes
        changes.conversations = list(self._conversations.values())
        changes.users = list(self._users.values())
        changes.teams = list(self._teams.values())
        changes.presence = list(self._presence.values())
        changes.contacts = list(self._contacts.values())
        changes.settings = self._settings
        changes.groups = list(self._groups.values())
        people = [*changes.users, *(self.state.users[p.user_id] for p in changes.presence)]
        for person in people:
            changes.load_changed.update(person.team_ids)
        for conv in changes.conversations:
            changes.load_changed.add(conv.team_id)
            before = self._viewers_before[conv.id]
            after = viewers(self.state, conv)
            gone = before - after
            if gone:
                reason = "closed" if conv.state == "closed" else conv.reason
                changes.events.append(
                    EngineEvent(
                        "conversation.removed", Removal(conv.id, reason, conv.assigned_to), gone
                    )
                )
            if after:
                changes.events.append(EngineEvent("conversation.upsert", conv, after))
            if not conv.is_open:
                self.state.conversation_closed(conv)
        for name, payload, conv_of, audience in self._later:
            if conv_of is not None:
                audience = viewers(self.state, conv_of)
            if audience:
                changes.events.append(EngineEvent(name, payload, audience))
        return changes
