"""The database schema as the server reads and writes it (SQLAlchemy Core).

These are the live definitions; the database itself is created and upgraded only by the frozen
Alembic revisions in `migrations/versions/` (see `migrate.py`). A test checks that the two agree:
after changing a table here, add a revision that makes the same change.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", JSON, nullable=False),
)

teams = Table(
    "teams",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("distribution", String(20), nullable=False),
    Column("rr_cursor", String(100)),
)

users = Table(
    "users",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("username", String(200), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("email", String(320)),
    Column("role", String(20), nullable=False),
    Column("team_ids", JSON, nullable=False),
    Column("max_open", Integer, nullable=False),
    Column("disabled", Boolean, nullable=False),
    Column("password_hash", Text),
)

presence = Table(
    "presence",
    metadata,
    Column("user_id", String(100), primary_key=True),
    Column("status", String(10), nullable=False),
    Column("since", Float, nullable=False),
)

contacts = Table(
    "contacts",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("handle", String(320), nullable=False),
    Column("phone", String(64)),
    Column("email", String(320)),
    Column("account_rep_id", String(100)),
    Column("priority_notifications", Boolean, nullable=False),
    Column("reassignment", JSON),
    Index("ix_contacts_name", "name"),
)

contact_history = Table(
    "contact_history",
    metadata,
    Column("pos", Integer, primary_key=True, autoincrement=True),
    Column("contact_id", String(100), nullable=False),
    Column("at", Float, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("actor_id", String(100)),
    Column("source", String(20), nullable=False),
    Column("details", JSON, nullable=False),
    Index("ix_contact_history_contact", "contact_id", "pos"),
)

groups = Table(
    "groups",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("member_ids", JSON, nullable=False),
    Column("default_assignee_id", String(100), nullable=False),
    Column("method", String(20), nullable=False),
    Column("offer_seconds", Integer, nullable=False),
    Column("rr_cursor", String(100)),
)

conversations = Table(
    "conversations",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("team_id", String(100), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("contact_id", String(100), nullable=False),
    Column("address", String(320), nullable=False),
    Column("state", String(20), nullable=False),
    Column("assigned_to", String(100)),
    Column("reason", String(40), nullable=False),
    Column("routed_at", Float, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("share_at", Float),
    Column("wait_until", Float),
    Column("last_direction", String(3)),
    Column("last_preview", Text),
    Column("last_at", Float),
    Column("unread", Integer, nullable=False),
    Column("was_shared", Boolean, nullable=False),
    Index("ix_conversations_state", "state"),
    Index("ix_conversations_contact", "contact_id"),
)

messages = Table(
    "messages",
    metadata,
    # `pos` orders messages and pages them; ids are random.
    Column("pos", Integer, primary_key=True, autoincrement=True),
    Column("id", String(100), nullable=False, unique=True),
    Column("conversation_id", String(100), nullable=False),
    Column("direction", String(3), nullable=False),
    Column("body", Text, nullable=False),
    Column("author_id", String(100)),
    Column("at", Float, nullable=False),
    Column("client_msg_id", String(64)),
    Column("external_id", String(200)),
    Column("delivery", String(10)),
    Index("ix_messages_conversation", "conversation_id", "pos"),
    UniqueConstraint("author_id", "client_msg_id", name="uq_messages_client_msg"),
    UniqueConstraint("external_id", name="uq_messages_external"),
    Index("ix_messages_undelivered", "direction", "delivery"),
)

timeline = Table(
    "timeline",
    metadata,
    Column("pos", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(100), nullable=False),
    Column("at", Float, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("reason", String(40)),
    Column("actor_id", String(100)),
    Column("state", String(20), nullable=False),
    Column("assigned_to", String(100)),
    Column("details", JSON, nullable=False),
    Index("ix_timeline_conversation", "conversation_id", "pos"),
    Index("ix_timeline_at", "at"),
)

events = Table(
    "events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("name", String(40), nullable=False),
    Column("data", JSON, nullable=False),
    Column("audience", JSON, nullable=False),
    Column("at", Float, nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(100), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("revoked", Boolean, nullable=False),
    Index("ix_tokens_user", "user_id"),
)

settings = Table(
    "settings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("data", JSON, nullable=False),
)
