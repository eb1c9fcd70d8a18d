"""Schema version 2: rotation cursors, reassignments, contact history and groups.

Frozen: the columns and tables as version 2 added them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add round-robin cursors, contact reassignments, the contact history and groups."""
    op.add_column("teams", sa.Column("rr_cursor", sa.String(100)))
    op.add_column("contacts", sa.Column("reassignment", sa.JSON))
    op.create_table(
        "contact_history",
        sa.Column("pos", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("contact_id", sa.String(100), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("actor_id", sa.String(100)),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("details", sa.JSON, nullable=False),
    )
    op.create_index("ix_contact_history_contact", "contact_history", ["contact_id", "pos"])
    op.create_table(
        "groups",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("member_ids", sa.JSON, nullable=False),
        sa.Column("default_assignee_id", sa.String(100), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("offer_seconds", sa.Integer, nullable=False),
        sa.Column("rr_cursor", sa.String(100)),
    )
    op.create_index("ix_contacts_name", "contacts", ["name"])
    op.create_index("ix_timeline_at", "timeline", ["at"])
    op.execute(sa.text("UPDATE schema_version SET version = 2"))


def downgrade() -> None:
    """Back to version 1: groups, the contact history and the new columns go."""
    op.drop_index("ix_timeline_at", "timeline")
    op.drop_index("ix_contacts_name", "contacts")
    op.drop_table("groups")
    op.drop_table("contact_history")
    with op.batch_alter_table("contacts") as contacts:
        contacts.drop_column("reassignment")
    with op.batch_alter_table("teams") as teams:
        teams.drop_column("rr_cursor")
    op.execute(sa.text("UPDATE schema_version SET version = 1"))
