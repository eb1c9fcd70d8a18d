"""Contacts: search, read, create, edit and bulk import."""

from __future__ import annotations

import base64
import heapq
import json

import inbox_protocol as p
from routing_server import wire
from routing_server.connection import Connection
from routing_server.dispatcher import caller, command
from routing_server.engine import contacts as contact_cmd
from routing_server.engine import importer, rep_preview
from routing_server.engine.errors import EngineError, not_found
from routing_server.engine.model import Contact


@command(p.SearchContacts)
async def handle_search_contacts(conn: Connection, req: p.SearchContacts) -> p.ContactsPage:
    """Contacts whose name, phone, e-mail or handle contains the query, by name."""
    state = conn.ctx.core.state
    query = (req.query or "").strip().lower()
    after = _decode_cursor(req.cursor) if req.cursor else None
    matches = (
        c
        for c in state.contacts.values()
        if (not query or query in _haystack(c)) and (after is None or _sort_key(c) > after)
    )
    # One pass, keeping only a page and one more (not a sort of every match): a search costs
    # one scan of the contacts, whatever the page.
    found = heapq.nsmallest(req.limit + 1, matches, key=_sort_key)
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
    """Plan every row of the inline or uploaded file; apply all of them unless a row is an
    error (or `skip_errors`)."""
    core = conn.ctx.core
    if (req.csv is None) == (req.upload_id is None):
        raise EngineError("bad_request", "csv: give either csv or upload_id")
    text = req.csv if req.csv is not None else conn.uploads.get(req.upload_id or "").text()
    await core.refresh_directory()  # reps are named by e-mail or username
    async with core.write() as tx:
        plan = importer.plan_import(tx.state, text)
        apply = not req.dry_run and (req.skip_errors or not plan.has_errors)
        if apply:
            importer.apply_import(tx, caller(conn).id, plan)
    if apply and req.upload_id is not None:
        conn.uploads.discard()  # applied: a second apply of the same file needs a new upload
    return import_result(plan, apply)


def import_result(plan: importer.ImportPlan, applied: bool) -> p.ImportResult:
    """The result object of `import_contacts`."""
    rows = [
        p.ImportRow(line=row.line, action=row.action, contact_id=row.contact_id, error=row.error)
        for row in plan.rows
    ]
    return p.ImportResult(rows=rows, counts=plan.counts, applied=applied)


@command(p.PreviewRepChange, min_role="supervisor")
async def handle_preview_rep_change(
    conn: Connection, req: p.PreviewRepChange
) -> p.RepChangePreviewResult:
    """What changing the contact's rep would do to each of its open conversations."""
    core = conn.ctx.core
    contact = core.state.contacts.get(req.contact_id)
    if contact is None:
        raise not_found("contact")
    if req.account_rep_id is not None and await core.ensure_user(req.account_rep_id) is None:
        raise EngineError("bad_request", f"account_rep_id: no such user {req.account_rep_id!r}")
    preview = rep_preview.preview_rep_change(
        core.state, caller(conn), contact, req.account_rep_id, req.priority_notifications
    )
    return p.RepChangePreviewResult(
        preview=p.RepChangePreview(
            changes_routing=preview.changes_routing,
            conversations=[
                p.PreviewConversation(
                    conversation_id=conv.id,
                    channel=conv.channel,
                    state=conv.state,
                    assigned_to=conv.assigned_to,
                    effect=effect,
                )
                for conv, effect in preview.visible
            ],
            private={
                key: preview.private.get(key, 0)
                for key in (
                    "priority",
                    "waiting",
                    rep_preview.TO_NEW_REP,
                    rep_preview.WAITS_FOR_NEW_REP,
                    rep_preview.NORMAL_ROUTING,
                    rep_preview.UNCHANGED,
                )
            },
            hidden=preview.hidden,
        )
    )
