"""Schema version 3: phone numbers in E.164, and contacts that were one customer merged.

Before version 3, numbers were kept as typed, so "+1 555 0100" and "+15550100" could be two
contacts — and a customer's message could reach the one without their rep. This revision
rewrites every phone number it can parse in E.164 form (with the server's `phone_region`), and
merges each group of contacts that share a number into one: the contact whose rep was assigned
first is kept (its rep stays), the others' conversations and history move to it, an e-mail it
lacks is taken from them, and a `contacts_merged` entry in its history names what was merged.

Frozen: the tables are described here as version 3 found them, not imported.
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from alembic import op

from routing_server.engine.phones import DEFAULT_REGION, to_e164

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None

settings = sa.table("settings", sa.column("id", sa.Integer), sa.column("data", sa.JSON))
contacts = sa.table(
    "contacts",
    sa.column("id", sa.String),
    sa.column("name", sa.String),
    sa.column("handle", sa.String),
    sa.column("phone", sa.String),
    sa.column("email", sa.String),
    sa.column("account_rep_id", sa.String),
)
conversations = sa.table(
    "conversations", sa.column("id", sa.String), sa.column("contact_id", sa.String)
)
history = sa.table(
    "contact_history",
    sa.column("contact_id", sa.String),
    sa.column("at", sa.Float),
    sa.column("kind", sa.String),
    sa.column("actor_id", sa.String),
    sa.column("source", sa.String),
    sa.column("details", sa.JSON),
)


def upgrade() -> None:
    """Normalise every contact's phone number and merge contacts that share one."""
    conn = op.get_bind()
    stored = conn.execute(sa.select(settings.c.data).where(settings.c.id == 1)).scalar()
    region = (stored or {}).get("phone_region", DEFAULT_REGION)
    by_number: dict[str, list[Any]] = {}
    for row in conn.execute(sa.select(contacts).where(contacts.c.phone.is_not(None))).all():
        number = to_e164(row.phone, region)
        if number is not None:
            by_number.setdefault(number, []).append(row)
    first_assigned = dict(
        conn.execute(
            sa.select(history.c.contact_id, sa.func.min(history.c.at))
            .where(history.c.kind == "account_rep_assigned")
            .group_by(history.c.contact_id)
        ).all()
    )
    for number, rows in by_number.items():
        rows.sort(key=lambda r: (r.account_rep_id is None, first_assigned.get(r.id, 0.0), r.id))
        keep, merged = rows[0], rows[1:]
        values: dict[str, Any] = {"phone": number}
        if keep.handle == keep.phone:
            values["handle"] = number
        if keep.email is None:
            values["email"] = next((r.email for r in merged if r.email), None)
        conn.execute(sa.update(contacts).where(contacts.c.id == keep.id).values(**values))
        if merged:
            _merge(conn, keep.id, number, merged)
    op.execute(sa.text("UPDATE schema_version SET version = 3"))


def _merge(conn: sa.Connection, keep_id: str, number: str, merged: list[Any]) -> None:
    """Move the merged contacts' conversations and history to `keep_id`, and say so."""
    ids = [r.id for r in merged]
    conn.execute(
        sa.update(conversations)
        .where(conversations.c.contact_id.in_(ids))
        .values(contact_id=keep_id)
    )
    conn.execute(sa.update(history).where(history.c.contact_id.in_(ids)).values(contact_id=keep_id))
    conn.execute(sa.delete(contacts).where(contacts.c.id.in_(ids)))
    conn.execute(
        sa.insert(history).values(
            contact_id=keep_id,
            at=time.time(),
            kind="contacts_merged",
            actor_id=None,
            source="manual",
            details={
                "phone": number,
                "merged": [{"id": r.id, "name": r.name, "phone": r.phone} for r in merged],
            },
        )
    )


def downgrade() -> None:
    """Back to version 2; numbers stay in E.164 (valid there too), merged contacts stay merged."""
    op.execute(sa.text("UPDATE schema_version SET version = 2"))
