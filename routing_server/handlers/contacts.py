"""Contacts: search, read, create, edit and bulk import."""

from __future__ import annotations

import base64
import json

import inbox_protocol as p
from routing_server import wire
from routing_server.connection import Connection
from routing_server.dispatcher import caller, command
from routing_server.engine import contacts as contact_cmd
from routing_server.engine import importer
from routing_server.engine.errors import EngineError, not_found
from routing_server.engine.model import Contact


@command(p.SearchContacts)
async def handle_search_contacts(conn: Connection, req: p.SearchContacts) -> p.ContactsPage:
    """Contacts whose name, phone, e-mail or handle contains the query, by name."""
    state = conn.ctx.core.state
    query = (req.query or "").strip().lower()
    after = _decode_cursor(req.cursor) if req.cursor else None
    found = sorted(
        (c for c in state.contacts.values() if not query or query in _haystack(c)),
        key=_sort_key,
    )
    if after is not None:
        found = [c for c in found if _sort_key(c) > after]
    page = found[: req.limit]
    more = len(found) > req.limit
    return p.ContactsPage(
        contacts=[wire.contact(c) for c in page],
        next_cursor=_encode_cursor(_sort_key(page[-1])) if more and page else None,
    )


def _haystack(c: Contact) -> str:
    return " ".join(filter(None, (c.name, c.phone, c.email, c.handle))).lower()


def _sort_key(c: Contact) -> tuple[str, str]:
    return (c.name.lower(), c.id)


def _encode_cursor(key: tuple[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


def _decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        name, contact_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return (str(name), str(contact_id))
    except (ValueError, TypeError):
        raise EngineError("bad_request", "cursor: not a cursor this server gave out") from None


@command(p.GetContact)
async def handle_get_contact(conn: Connection, req: p.GetContact) -> p.ContactWithHistory:
    """A contact and every change of its rep and priority notifications."""
    core = conn.ctx.core
    contact = core.state.contacts.get(req.contact_id)
    if contact is None:
        raise not_found("contact")
    history = await core.storage.contact_history(contact.id)
    return p.ContactWithHistory(
        contact=wire.contact(contact), history=[wire.history_entry(h) for h in history]
    )


@command(p.CreateContact, min_role="supervisor")
async def handle_create_contact(conn: Connection, req: p.CreateContact) -> p.ContactResult:
    """A new contact."""
    if req.account_rep_id is not None:
        await conn.ctx.core.ensure_user(req.account_rep_id)
    async with conn.ctx.core.write() as tx:
        contact = contact_cmd.create_contact(
            tx, caller(conn).id, req.name, req.phone, req.email, req.account_rep_id,
            req.priority_notifications,
        )  # fmt: skip
        return p.ContactResult(contact=wire.contact(contact))


@command(p.UpdateContact, min_role="supervisor")
async def handle_update_contact(conn: Connection, req: p.UpdateContact) -> p.ContactResult:
    """Change the fields the request names (`null` clears phone, e-mail or rep)."""
    fields = {k: getattr(req, k) for k in req.model_fields_set - {"id", "type", "contact_id"}}
    for required in ("name", "priority_notifications"):
        if required in fields and fields[required] is None:
            raise EngineError("bad_request", f"{required}: may not be null")
    if fields.get("account_rep_id") is not None:
        await conn.ctx.core.ensure_user(fields["account_rep_id"])
    async with conn.ctx.core.write() as tx:
        contact = contact_cmd.update_contact(tx, caller(conn), req.contact_id, fields)
        return p.ContactResult(contact=wire.contact(contact))


@command(p.ImportContacts, min_role="supervisor")
async def handle_import_contacts(conn: Connection, req: p.ImportContacts) -> p.ImportResult:
    """Plan every row; apply all of them unless a row is an error (or `skip_errors`)."""
    core = conn.ctx.core
    await core.refresh_directory()  # reps are named by e-mail or username
    async with core.write() as tx:
        plan = importer.plan_import(tx.state, req.csv)
        apply = not req.dry_run and (req.skip_errors or not plan.has_errors)
        if apply:
            importer.apply_import(tx, caller(conn).id, plan)
    return import_result(plan, apply)


def import_result(plan: importer.ImportPlan, applied: bool) -> p.ImportResult:
    """The result object of `import_contacts`."""
    rows = [
        p.ImportRow(line=row.line, action=row.action, contact_id=row.contact_id, error=row.error)
        for row in plan.rows
    ]
    return p.ImportResult(rows=rows, counts=plan.counts, applied=applied)
