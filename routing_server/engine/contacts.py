"""Contacts: creating and editing them, and what a change of account rep sets in motion."""

from __future__ import annotations

from typing import Any

from routing_server.engine.errors import EngineError, not_found
from routing_server.engine.model import CHANNELS, Contact, HistorySource, User
from routing_server.engine.phones import to_e164
from routing_server.engine.routing import route_new
from routing_server.engine.tx import Notice, Tx

EDITABLE = frozenset({"name", "phone", "email", "account_rep_id", "priority_notifications"})


def check_rep(tx: Tx, rep_id: str | None, field: str = "account_rep_id") -> None:
    """A rep must be an enabled user who works conversations."""
    if rep_id is None:
        return
    user = tx.state.users.get(rep_id)
    if user is None or user.disabled or not user.is_agent:
        raise EngineError("bad_request", f"{field}: no such user {rep_id!r}")


def normal_phone(tx: Tx, phone: str | None) -> str | None:
    """A phone number as stored (E.164), or `bad_request` naming the field."""
    if not phone:
        return None
    number = to_e164(phone, tx.state.settings.phone_region)
    if number is None:
        raise EngineError("bad_request", f"phone: {phone!r} is not a phone number")
    return number


def check_unique(tx: Tx, contact_id: str | None, phone: str | None, email: str | None) -> None:
    """No two contacts share a phone number or an e-mail address."""
    state = tx.state
    if phone and state.contact_by_phone.get(phone, contact_id) != contact_id:
        raise EngineError("bad_request", f"phone: another contact has {phone!r}")
    if email and state.contact_by_email.get(email.lower(), contact_id) != contact_id:
        raise EngineError("bad_request", f"email: another contact has {email!r}")


def create_contact(
    tx: Tx,
    actor_id: str | None,
    name: str,
    phone: str | None,
    email: str | None,
    account_rep_id: str | None,
    priority_notifications: bool,
    source: HistorySource = "manual",
) -> Contact:
    """A new contact; its rep, if any, is assigned (with history and a notification)."""
    check_rep(tx, account_rep_id)
    phone = normal_phone(tx, phone)
    check_unique(tx, None, phone, email)
    contact_id = tx.new_id("ct")
    contact = Contact(
        id=contact_id, name=name, handle=phone or email or contact_id, phone=phone, email=email
    )
    tx.state.add_contact(contact)
    tx.touch_contact(contact, announce=source != "bulk_import")
    set_priority_notifications(tx, contact, priority_notifications, actor_id, source)
    set_account_rep(tx, contact, account_rep_id, actor_id, source)
    return contact


def update_contact(tx: Tx, actor: User, contact_id: str, fields: dict[str, Any]) -> Contact:
    """Change the given fields (`account_rep_id: None` clears the rep)."""
    contact = tx.state.contacts.get(contact_id)
    if contact is None:
        raise not_found("contact")
    if contact.reassignment is not None:
        raise EngineError(
            "reassignment_in_progress", "a reassignment group is choosing this contact's rep"
        )
    unknown = set(fields) - EDITABLE
    if unknown:
        raise EngineError("bad_request", f"{sorted(unknown)[0]}: unknown field")
    if "name" in fields and not fields["name"]:
        raise EngineError("bad_request", "name: may not be empty")
    if "account_rep_id" in fields:
        check_rep(tx, fields["account_rep_id"])
    phone = normal_phone(tx, fields["phone"]) if "phone" in fields else contact.phone
    email = fields.get("email", contact.email)
    check_unique(tx, contact.id, phone, email)
    if (
        phone != contact.phone
        or email != contact.email
        or fields.get("name", contact.name) != contact.name
    ):
        tx.state.unindex_contact(contact)
        contact.name = fields.get("name", contact.name)
        contact.phone, contact.email = phone, email
        tx.state.index_contact(contact)
        tx.touch_contact(contact)
    if "priority_notifications" in fields:
        set_priority_notifications(
            tx, contact, fields["priority_notifications"], actor.id, "manual"
        )
    if "account_rep_id" in fields:
        set_account_rep(tx, contact, fields["account_rep_id"], actor.id, "manual")
    return contact


def set_account_rep(
    tx: Tx,
    contact: Contact,
    rep_id: str | None,
    actor_id: str | None,
    source: HistorySource,
    *,
    notify: bool = True,
) -> None:
    """Assign or unassign the rep: history, a notification, and open priority work re-routed."""
    old = contact.account_rep_id
    if old == rep_id:
        return
    contact.account_rep_id = rep_id
    tx.touch_contact(contact, announce=source != "bulk_import")
    if old is not None:
        tx.history(contact, "account_rep_unassigned", actor_id, source, user_id=old)
    if rep_id is not None:
        tx.history(contact, "account_rep_assigned", actor_id, source, user_id=rep_id)
        if notify and rep_id != actor_id:
            tx.notify(
                rep_id,
                Notice(
                    kind="account_rep_assigned",
                    title=f"You are now {contact.name}'s account rep",
                    body=f"{contact.name} ({contact.phone or contact.email or contact.handle}) "
                    "was assigned to you.",
                    contact_id=contact.id,
                ),
            )
    reroute_open(tx, contact)


def set_priority_notifications(
    tx: Tx, contact: Contact, on: bool, actor_id: str | None, source: HistorySource
) -> None:
    """Turn priority notifications on or off (with history); open priority work is re-routed."""
    if contact.priority_notifications == on:
        return
    contact.priority_notifications = on
    tx.touch_contact(contact, announce=source != "bulk_import")
    kind = "priority_notifications_on" if on else "priority_notifications_off"
    tx.history(contact, kind, actor_id, source)
    reroute_open(tx, contact)


def reroute_open(tx: Tx, contact: Contact) -> None:
    """Route the contact's priority and waiting conversations afresh (`account_rep_changed`)."""
    for channel in CHANNELS:
        conv = tx.state.open_conversation(contact.id, channel)
        if conv is not None and conv.state in ("priority", "waiting"):
            route_new(tx, conv, contact, reason="account_rep_changed")
