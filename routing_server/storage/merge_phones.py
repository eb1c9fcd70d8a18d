"""Schema version 3: phone numbers in E.164, and contacts that were one customer merged.

Before version 3, numbers were kept as typed, so "+1 555 0100" and "+15550100" could be two
contacts — and a customer's message could reach the one without their rep. This migration
rewrites every phone number it can parse in E.164 form (with the server's `phone_region`), and
merges each group of contacts that share a number into one: the contact whose rep was assigned
first is kept (its rep stays), the others' conversations and history move to it, an e-mail it
lacks is taken from them, and a `contacts_merged` entry in its history names what was merged.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from routing_server.engine.phones import DEFAULT_REGION, to_e164
from routing_server.storage.schema import contact_history, contacts, conversations, settings


def merge_phones(conn: Connection) -> None:
    """Normalise every contact's phone number and merge contacts that share one."""
    stored = conn.execute(select(settings.c.data).where(settings.c.id == 1)).scalar_one_or_none()
    region = (stored or {}).get("phone_region", DEFAULT_REGION)
    groups: dict[str, list[Any]] = {}
    for row in conn.execute(select(contacts).where(contacts.c.phone.is_not(None))).all():
        number = to_e164(row.phone, region)
        if number is not None:
            groups.setdefault(number, []).append(row)
    first_assigned = dict(
        conn.execute(
            select(contact_history.c.contact_id, func.min(contact_history.c.at))
            .where(contact_history.c.kind == "account_rep_assigned")
            .group_by(contact_history.c.contact_id)
        ).all()
    )
    for number, rows in groups.items():
        rows.sort(key=lambda r: (r.account_rep_id is None, first_assigned.get(r.id, 0.0), r.id))
        keep, merged = rows[0], rows[1:]
        values: dict[str, Any] = {"phone": number}
        if keep.handle == keep.phone:
            values["handle"] = number
        if keep.email is None:
            values["email"] = next((r.email for r in merged if r.email), None)
        conn.execute(update(contacts).where(contacts.c.id == keep.id).values(**values))
        if not merged:
            continue
        ids = [r.id for r in merged]
        conn.execute(
            update(conversations)
            .where(conversations.c.contact_id.in_(ids))
            .values(contact_id=keep.id)
        )
        conn.execute(
            update(contact_history)
            .where(contact_history.c.contact_id.in_(ids))
            .values(contact_id=keep.id)
        )
        conn.execute(delete(contacts).where(contacts.c.id.in_(ids)))
        conn.execute(
            insert(contact_history).values(
                contact_id=keep.id,
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
