"""The engine's whole in-memory state, with the indexes routing needs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from routing_server.engine.indexes import OFFER_EXPIRY, PRESENCE_EXPIRY, RoutingIndex
from routing_server.engine.model import (
    Contact,
    Conversation,
    Group,
    Presence,
    Settings,
    Team,
    User,
)
from routing_server.engine.stats import DailyStats


@dataclass
class State:
    """Users, teams, presence, contacts, conversations and settings.

    `conversations` holds every open conversation plus closed ones loaded on demand; the storage
    layer holds the rest. Messages live only in storage.
    """

    users: dict[str, User] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    presence: dict[str, Presence] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    conversations: dict[str, Conversation] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    stats: DailyStats = field(default_factory=DailyStats)
    last_seq: int = 0
    # Indexes, kept in step by the add/index methods below.
    contact_by_phone: dict[str, str] = field(default_factory=dict)
    contact_by_email: dict[str, str] = field(default_factory=dict)
    contact_by_handle: dict[str, str] = field(default_factory=dict)
    open_by_contact_channel: dict[tuple[str, str], str] = field(default_factory=dict)
    # Contacts with a reassignment in progress (their offers have deadlines).
    reassigning: set[str] = field(default_factory=set)
    # Load, queues and timers, kept in step by `reindex` and the `arm_*` methods.
    index: RoutingIndex = field(default_factory=RoutingIndex)

    def add_user(self, user: User, presence: Presence) -> None:
        """Add or replace a user and their presence."""
        self.users[user.id] = user
        self.presence[user.id] = presence
        self.arm_presence(presence)

    def reindex(self, conv: Conversation) -> None:
        """File a conversation anew after its state, owner or deadlines changed."""
        self.index.file(conv)

    def arm_presence(self, presence: Presence) -> None:
        """Note a presence change: its grace-period timer, and routing may move work."""
        if presence.offline_at is not None:
            self.index.add_timer(presence.offline_at, PRESENCE_EXPIRY, presence.user_id)
        self.index.dirty_agents.add(presence.user_id)

    def arm_offer(self, contact: Contact) -> None:
        """Arm the expiry of a contact's current reassignment offer, if any."""
        reassignment = contact.reassignment
        if reassignment is not None and reassignment.offer_expires is not None:
            self.index.add_timer(reassignment.offer_expires, OFFER_EXPIRY, contact.id)

    def agent_changed(self, user_id: str) -> None:
        """Note that a user's capacity, teams or account changed: routing may move work."""
        self.index.dirty_agents.add(user_id)

    def add_contact(self, contact: Contact) -> None:
        """Add a contact and index it by phone, e-mail and handle."""
        self.contacts[contact.id] = contact
        self.index_contact(contact)
        if contact.reassignment is not None:
            self.reassigning.add(contact.id)
            self.arm_offer(contact)

    def index_contact(self, contact: Contact) -> None:
        """(Re)index a contact after its phone, e-mail or handle changed."""
        if contact.phone:
            self.contact_by_phone[contact.phone] = contact.id
        if contact.email:
            self.contact_by_email[contact.email.lower()] = contact.id
        self.contact_by_handle[contact.handle] = contact.id

    def unindex_contact(self, contact: Contact) -> None:
        """Drop a contact's index entries (before they change)."""
        for index, key in (
            (self.contact_by_phone, contact.phone),
            (self.contact_by_email, contact.email.lower() if contact.email else None),
            (self.contact_by_handle, contact.handle),
        ):
            if key and index.get(key) == contact.id:
                del index[key]

    def add_conversation(self, conv: Conversation) -> None:
        """Add a conversation; an open one becomes its contact's open thread on its channel."""
        self.conversations[conv.id] = conv
        if conv.is_open:
            self.open_by_contact_channel[(conv.contact_id, conv.channel)] = conv.id
        self.reindex(conv)

    def conversation_closed(self, conv: Conversation) -> None:
        """Forget that a just-closed conversation is its contact's open thread."""
        key = (conv.contact_id, conv.channel)
        if self.open_by_contact_channel.get(key) == conv.id:
            del self.open_by_contact_channel[key]

    def find_contact(self, address: str) -> Contact | None:
        """The contact whose phone, then e-mail, then handle is `address`."""
        contact_id = (
            self.contact_by_phone.get(address)
            or self.contact_by_email.get(address.lower())
            or self.contact_by_handle.get(address)
        )
        return self.contacts.get(contact_id) if contact_id else None

    def open_conversation(self, contact_id: str, channel: str) -> Conversation | None:
        """The contact's open conversation on a channel, if any."""
        conv_id = self.open_by_contact_channel.get((contact_id, channel))
        return self.conversations.get(conv_id) if conv_id else None

    def team_members(self, team_id: str) -> Iterator[User]:
        """Every enabled user of a team, gateways excluded."""
        for user in self.users.values():
            if team_id in user.team_ids and user.is_agent and not user.disabled:
                yield user

    def teammates(self, user: User) -> set[str]:
        """The ids of everyone who shares a team with `user`, and the user."""
        teams = set(user.team_ids)
        ids = {u.id for u in self.users.values() if teams.intersection(u.team_ids)}
        ids.add(user.id)
        return ids

    def integrations(self) -> Iterable[User]:
        """Every enabled channel gateway."""
        return (u for u in self.users.values() if u.role == "integration" and not u.disabled)

    def open_conversations(self) -> Iterator[Conversation]:
        """Every open conversation."""
        return (c for c in self.conversations.values() if c.is_open)

    def is_present(self, user_id: str) -> bool:
        """Presence `online` on an enabled account (connected or inside the grace period)."""
        presence = self.presence.get(user_id)
        user = self.users.get(user_id)
        return (
            presence is not None
            and user is not None
            and not user.disabled
            and presence.status == "online"
        )

    def is_available(self, user_id: str) -> bool:
        """Online and connected: the only state in which routing gives an agent work."""
        return self.is_present(user_id) and self.presence[user_id].connections > 0
