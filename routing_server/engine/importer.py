"""Bulk contact update from CSV: plan every row first, then apply all or nothing.

Columns (a header row, names case-insensitive): `name`, `phone`, `email`, `account_rep` (a user's
e-mail or username; blank for none), `priority_notifications` (`X` on, blank off). A row matches
an existing contact by phone, then by e-mail, else creates one. A column left out of the file is
left alone on existing contacts.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from routing_server.engine.contacts import (
    check_rep,
    create_contact,
    set_account_rep,
    set_priority_notifications,
)
from routing_server.engine.errors import EngineError
from routing_server.engine.model import Contact
from routing_server.engine.phones import to_e164
from routing_server.engine.state import State
from routing_server.engine.tx import Notice, Tx

MAX_CSV_BYTES = 5 * 1024 * 1024
COLUMNS = ("name", "phone", "email", "account_rep", "priority_notifications")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
Action = Literal["create", "update", "unchanged", "error"]


@dataclass
class RowPlan:
    """What one data row does."""

    line: int
    action: Action
    contact_id: str | None = None
    error: str | None = None
    # For create and update: the values to set (only the columns the file has).
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportPlan:
    """Every row's plan, in file order."""

    rows: list[RowPlan]

    @property
    def counts(self) -> dict[str, int]:
        """How many rows of each action."""
        counts = dict.fromkeys(("create", "update", "unchanged", "error"), 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        """Whether any row is an error."""
        return any(row.action == "error" for row in self.rows)


def plan_import(state: State, text: str) -> ImportPlan:
    """Read the CSV and decide every row; nothing changes. Bad headers raise `bad_request`."""
    if len(text.encode()) > MAX_CSV_BYTES:
        raise EngineError("too_large", "csv: over 5 MiB; split the file")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise EngineError("bad_request", "csv: the file is empty; it needs a header row") from None
    except csv.Error as exc:
        raise EngineError("bad_request", f"csv: {exc}") from None
    columns = [h.strip().lower() for h in header]
    for name in columns:
        if name not in COLUMNS:
            raise EngineError("bad_request", f"csv: unknown column {name!r}")
    if len(set(columns)) != len(columns):
        raise EngineError("bad_request", "csv: a column appears twice")
    if "phone" not in columns and "email" not in columns:
        raise EngineError("bad_request", "csv: needs a phone or an email column to match on")
    reps = _rep_directory(state)
    seen: dict[str, int] = {}
    rows: list[RowPlan] = []
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > len(columns):
                rows.append(RowPlan(line, "error", error="row: more cells than columns"))
                continue
            cells = {
                c: (record[i].strip() if i < len(record) else "") for i, c in enumerate(columns)
            }
            rows.append(_plan_row(state, reps, seen, line, cells))
    except csv.Error as exc:
        raise EngineError("bad_request", f"csv: line {reader.line_num}: {exc}") from None
    return ImportPlan(rows)


def _rep_directory(state: State) -> dict[str, str]:
    reps: dict[str, str] = {}
    for user in state.users.values():
        if user.is_agent and not user.disabled:
            reps[user.username.lower()] = user.id
            if user.email:
                reps[user.email.lower()] = user.id
    return reps


def _plan_row(
    state: State, reps: dict[str, str], seen: dict[str, int], line: int, cells: dict[str, str]
) -> RowPlan:
    def error(message: str) -> RowPlan:
        return RowPlan(line, "error", error=message)

    raw_phone = cells.get("phone") or None
    phone = to_e164(raw_phone, state.settings.phone_region) if raw_phone else None
    email = cells.get("email") or None
    if raw_phone and phone is None:
        return error(f"phone: {raw_phone!r} is not a phone number")
    if email and not EMAIL.match(email):
        return error(f"email: {email!r} is not an e-mail address")
    if not phone and not email:
        return error("phone: a row needs a phone or an email")
    values: dict[str, Any] = {}
    if "account_rep" in cells:
        raw = cells["account_rep"]
        rep = reps.get(raw.lower()) if raw else None
        if raw and rep is None:
            return error(f"account_rep: no user with e-mail or username {raw!r}")
        values["account_rep_id"] = rep
    if "priority_notifications" in cells:
        flag = cells["priority_notifications"]
        if flag not in ("", "X", "x"):
            return error(f"priority_notifications: {flag!r}; use X or leave it blank")
        values["priority_notifications"] = flag != ""
    for key in (f"phone:{phone}" if phone else None, f"email:{email.lower()}" if email else None):
        if key is not None:
            if key in seen:
                return error(f"{key.split(':')[0]}: also on line {seen[key]}")
            seen[key] = line
    contact = _match(state, phone, email)
    if contact is None:
        if not cells.get("name"):
            return error("name: required for a new contact")
        values.update(name=cells["name"], phone=phone, email=email)
        return RowPlan(line, "create", values=values)
    for other_field, other in (("phone", phone), ("email", email)):
        owner = _match(state, other, None) if other_field == "phone" else _match(state, None, other)
        if other and owner is not None and owner.id != contact.id:
            return error(f"{other_field}: belongs to another contact")
    if cells.get("name"):
        values["name"] = cells["name"]
    if phone:
        values["phone"] = phone
    if email:
        values["email"] = email
    changed = {k: v for k, v in values.items() if getattr(contact, k) != v}
    if not changed:
        return RowPlan(line, "unchanged", contact_id=contact.id)
    if contact.reassignment is not None and (
        "account_rep_id" in changed or "priority_notifications" in changed
    ):
        return error("account_rep: a reassignment is in progress for this contact")
    return RowPlan(line, "update", contact_id=contact.id, values=changed)


def _match(state: State, phone: str | None, email: str | None) -> Contact | None:
    contact_id = (state.contact_by_phone.get(phone) if phone else None) or (
        state.contact_by_email.get(email.lower()) if email else None
    )
    return state.contacts.get(contact_id) if contact_id else None


def apply_import(tx: Tx, actor_id: str | None, plan: ImportPlan) -> None:
    """Apply every create and update row (errors are skipped); each rep is notified once."""
    assigned: defaultdict[str, list[Contact]] = defaultdict(list)
    for row in plan.rows:
        if row.action == "create":
            v = row.values
            check_rep(tx, v.get("account_rep_id"))
            contact = create_contact(
                tx, actor_id, v["name"], v.get("phone"), v.get("email"), None,
                v.get("priority_notifications", False), "bulk_import",
            )  # fmt: skip
            row.contact_id = contact.id
        elif row.action == "update" and row.contact_id is not None:
            contact = tx.state.contacts[row.contact_id]
            _update(tx, actor_id, contact, row.values)
        else:
            continue
        if "account_rep_id" not in row.values:
            continue
        rep = row.values["account_rep_id"]
        if contact.account_rep_id != rep:
            set_account_rep(tx, contact, rep, actor_id, "bulk_import", notify=False)
            if rep is not None:
                assigned[rep].append(contact)
    for rep, contacts in assigned.items():
        names = ", ".join(c.name for c in contacts[:5]) + (" …" if len(contacts) > 5 else "")
        tx.notify(
            rep,
            Notice(
                kind="account_rep_assigned",
                title=f"{len(contacts)} contact(s) assigned to you",
                body=f"A bulk import made you the account rep of {names}.",
                contact_id=contacts[0].id if len(contacts) == 1 else None,
            ),
        )


def _update(tx: Tx, actor_id: str | None, contact: Contact, values: dict[str, Any]) -> None:
    state = tx.state
    if {"name", "phone", "email"} & set(values):
        state.unindex_contact(contact)
        contact.name = values.get("name", contact.name)
        contact.phone = values.get("phone", contact.phone)
        contact.email = values.get("email", contact.email)
        state.index_contact(contact)
        tx.touch_contact(contact, announce=False)
    if "priority_notifications" in values:
        set_priority_notifications(
            tx, contact, values["priority_notifications"], actor_id, "bulk_import"
        )
