"""Schema version 1, the first released schema: users, teams, presence, contacts,
conversations, messages, the routing timeline, the events log, tokens and settings.

Frozen: written out column by column as version 1 had them, never built from the live tables.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the version 1 tables and the default team `support`."""
    version = op.create_table(
        "schema_version",
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    )
    meta = op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.JSON, nullable=False),
    )
    teams = op.create_table(
        "teams",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("distribution", sa.String(20), nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("username", sa.String(200), nullable=False, unique=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320)),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("team_ids", sa.JSON, nullable=False),
        sa.Column("max_open", sa.Integer, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("password_hash", sa.Text),
    )
    op.create_table(
        "presence",
        sa.Column("user_id", sa.String(100), primary_key=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("since", sa.Float, nullable=False),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("handle", sa.String(320), nullable=False),
        sa.Column("phone", sa.String(64)),
        sa.Column("email", sa.String(320)),
        sa.Column("account_rep_id", sa.String(100)),
        sa.Column("priority_notifications", sa.Boolean, nullable=False),
    )
    op.create_table(
        "conversations",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("team_id", sa.String(100), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("contact_id", sa.String(100), nullable=False),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("assigned_to", sa.String(100)),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("routed_at", sa.Float, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.Column("share_at", sa.Float),
        sa.Column("wait_until", sa.Float),
        sa.Column("last_direction", sa.String(3)),
        sa.Column("last_preview", sa.Text),
        sa.Column("last_at", sa.Float),
        sa.Column("unread", sa.Integer, nullable=False),
        sa.Column("was_shared", sa.Boolean, nullable=False),
    )
    op.create_index("ix_conversations_state", "conversations", ["state"])
    op.create_index("ix_conversations_contact", "conversations", ["contact_id"])
    op.create_table(
        "messages",
        sa.Column("pos", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(100), nullable=False, unique=True),
        sa.Column("conversation_id", sa.String(100), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("author_id", sa.String(100)),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("client_msg_id", sa.String(64)),
        sa.Column("external_id", sa.String(200)),
        sa.Column("delivery", sa.String(10)),
        sa.UniqueConstraint("author_id", "client_msg_id", name="uq_messages_client_msg"),
        sa.UniqueConstraint("external_id", name="uq_messages_external"),
    )
    op.create_index("ix_messages_conversation", "messages", ["conversation_id", "pos"])
    op.create_index("ix_messages_undelivered", "messages", ["direction", "delivery"])
    op.create_table(
        "timeline",
        sa.Column("pos", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(100), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("reason", sa.String(40)),
        sa.Column("actor_id", sa.String(100)),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("assigned_to", sa.String(100)),
        sa.Column("details", sa.JSON, nullable=False),
    )
    op.create_index("ix_timeline_conversation", "timeline", ["conversation_id", "pos"])
    op.create_table(
        "events",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("audience", sa.JSON, nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_table(
        "tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(100), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
    )
    op.create_index("ix_tokens_user", "tokens", ["user_id"])
    op.create_table(
        "settings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.bulk_insert(teams, [{"id": "support", "name": "support", "distribution": "claim"}])
    op.bulk_insert(meta, [{"key": "last_seq", "value": 0}])
    op.bulk_insert(version, [{"version": 1}])


def downgrade() -> None:
    """Drop every table (an empty database)."""
    for table in (
        "settings", "tokens", "events", "timeline", "messages", "conversations",
        "contacts", "presence", "users", "teams", "meta", "schema_version",
    ):  # fmt: skip
        op.drop_table(table)
