"""Reassignment groups: offering a contact to members until one accepts, else the default."""

from __future__ import annotations

from routing_server.engine.contacts import check_rep, set_account_rep
from routing_server.engine.errors import EngineError, not_found
from routing_server.engine.model import (
    Contact,
    Group,
    GroupMethod,
    HistorySource,
    Reassignment,
    User,
)
from routing_server.engine.routing import loads, next_in_rotation
from routing_server.engine.state import State
from routing_server.engine.tx import Notice, Tx

SOURCE: HistorySource = "reassignment_group"


def save_group(
    tx: Tx,
    group_id: str | None,
    name: str,
    member_ids: list[str],
    default_assignee_id: str,
    method: GroupMethod,
    offer_seconds: int,
) -> Group:
    """Create a group (no id) or edit one; an edit keeps the rotation where it was."""
    state = tx.state
    for member in member_ids:
        check_rep(tx, member, "member_ids")
    check_rep(tx, default_assignee_id, "default_assignee_id")
    if len(set(member_ids)) != len(member_ids):
        raise EngineError("bad_request", "member_ids: a member is listed twice")
    for other in state.groups.values():
        if other.id != group_id and other.name.lower() == name.lower():
            raise EngineError("bad_request", f"name: a group called {name!r} exists")
    if group_id is None:
        group = Group(
            tx.new_id("g"), name, tuple(member_ids), default_assignee_id, method, offer_seconds
        )
        state.groups[group.id] = group
    else:
        found = state.groups.get(group_id)
        if found is None:
            raise not_found("group")
        group = found
        group.name, group.member_ids = name, tuple(member_ids)
        group.default_assignee_id, group.method = default_assignee_id, method
        group.offer_seconds = offer_seconds
    tx.touch_group(group)
    return group


def delete_group(tx: Tx, group_id: str) -> None:
    """Delete a group that is not choosing a rep right now."""
    state = tx.state
    if group_id not in state.groups:
        raise not_found("group")
    for contact_id in state.reassigning:
        reassignment = state.contacts[contact_id].reassignment
        if reassignment is not None and reassignment.group_id == group_id:
            raise EngineError("invalid_state", "the group is choosing a rep for a contact")
    del state.groups[group_id]
    tx.delete_group(group_id)


def start(tx: Tx, actor: User, contact_id: str, group_id: str) -> Contact:
    """Lock the contact and make the first offer by the group's method."""
    state = tx.state
    contact = state.contacts.get(contact_id)
    if contact is None:
        raise not_found("contact")
    group = state.groups.get(group_id)
    if group is None:
        raise EngineError("bad_request", f"group_id: no such group {group_id!r}")
    if contact.reassignment is not None:
        raise EngineError("reassignment_in_progress", "a reassignment is already in progress")
    contact.reassignment = Reassignment(group.id, tx.now, actor.id)
    state.reassigning.add(contact.id)
    tx.touch_contact(contact)
    tx.history(
        contact, "reassignment_started", actor.id, SOURCE, group_id=group.id, group_name=group.name
    )
    _offer_next(tx, contact, group)
    return contact


def accept(tx: Tx, user: User, contact_id: str) -> Contact:
    """The offered member takes the contact."""
    contact, _ = _offer_for(tx, user, contact_id)
    _complete(tx, contact, user.id, user.id, "accepted")
    return contact


def decline(tx: Tx, user: User, contact_id: str) -> Contact:
    """The offered member passes; the offer moves on."""
    contact, reassignment = _offer_for(tx, user, contact_id)
    reassignment.offered_to = tuple(m for m in reassignment.offered_to if m != user.id)
    reassignment.passed = (*reassignment.passed, user.id)
    tx.touch_contact(contact)
    tx.history(contact, "reassignment_declined", user.id, SOURCE, user_id=user.id)
    if not reassignment.offered_to:
        reassignment.offer_expires = None
        _offer_next(tx, contact, tx.state.groups[reassignment.group_id])
    return contact


def offer_expired(tx: Tx, contact: Contact) -> None:
    """Nobody took the offer in time: those offered have passed."""
    reassignment = contact.reassignment
    if reassignment is None:
        return
    expired = reassignment.offered_to
    reassignment.passed = (*reassignment.passed, *expired)
    reassignment.offered_to, reassignment.offer_expires = (), None
    tx.touch_contact(contact)
    tx.history(contact, "reassignment_offer_expired", None, SOURCE, user_ids=list(expired))
    group = tx.state.groups.get(reassignment.group_id)
    if group is None:
        _complete(tx, contact, None, None, "group_deleted")
    else:
        _offer_next(tx, contact, group)


def _offer_for(tx: Tx, user: User, contact_id: str) -> tuple[Contact, Reassignment]:
    contact = tx.state.contacts.get(contact_id)
    if contact is None:
        raise not_found("contact")
    reassignment = contact.reassignment
    if reassignment is None or user.id not in reassignment.offered_to:
        raise EngineError("invalid_state", "you hold no offer for this contact")
    return contact, reassignment


def _offer_next(tx: Tx, contact: Contact, group: Group) -> None:
    """Offer the contact to the next member(s), or give it to the default assignee."""
    state = tx.state
    reassignment = contact.reassignment
    assert reassignment is not None
    # first_to_claim makes one offer to everyone at once; when it is gone, the round is over.
    if group.method == "first_to_claim" and reassignment.offers > 0:
        _complete(tx, contact, group.default_assignee_id, None, "default_assignee")
        return
    remaining = [
        m
        for m in group.member_ids
        if m not in reassignment.passed and m in state.users and not state.users[m].disabled
    ]
    unavailable = [m for m in remaining if not state.is_available(m)]
    if unavailable:
        reassignment.passed = (*reassignment.passed, *unavailable)
        tx.history(
            contact, "reassignment_skipped", None, SOURCE, user_ids=unavailable, why="unavailable"
        )
    candidates = [m for m in remaining if m not in unavailable]
    if not candidates:
        _complete(tx, contact, group.default_assignee_id, None, "default_assignee")
        return
    if group.method == "first_to_claim":
        offered = tuple(candidates)
    elif group.method == "round_robin":
        chosen = next_in_rotation(sorted(candidates), group.rr_cursor)
        group.rr_cursor = chosen
        tx.touch_group(group)
        offered = (chosen,)
    else:
        load = loads(state)
        offered = (min(candidates, key=lambda m: (load[m], m)),)
    reassignment.offers += 1
    reassignment.offered_to = offered
    reassignment.offer_expires = tx.now + group.offer_seconds
    tx.state.arm_offer(contact)
    tx.touch_contact(contact)
    tx.history(contact, "reassignment_offered", None, SOURCE, user_ids=list(offered))
    for member in offered:
        tx.notify(member, offer_notice(contact, group, reassignment.offer_expires))


def offer_notice(contact: Contact, group: Group | None, expires_at: float | None) -> Notice:
    """The `reassignment_offer` notification for one offer (sent, and listed again later)."""
    name = group.name if group is not None else "A reassignment"
    return Notice(
        kind="reassignment_offer",
        title=f"Become {contact.name}'s account rep?",
        body=f"The {name} group offers you {contact.name}.",
        contact_id=contact.id,
        expires_at=expires_at,
    )


def live_offers(state: State, user_id: str) -> list[Notice]:
    """The offers `user_id` holds now, the soonest to lapse first."""
    found = []
    for contact_id in state.reassigning:
        contact = state.contacts[contact_id]
        reassignment = contact.reassignment
        if reassignment is None or user_id not in reassignment.offered_to:
            continue
        group = state.groups.get(reassignment.group_id)
        found.append(offer_notice(contact, group, reassignment.offer_expires))
    return sorted(found, key=lambda n: (n.expires_at or 0.0, n.contact_id or ""))


def _complete(tx: Tx, contact: Contact, rep_id: str | None, actor_id: str | None, how: str) -> None:
    reassignment = contact.reassignment
    group_id = reassignment.group_id if reassignment else None
    contact.reassignment = None
    tx.state.reassigning.discard(contact.id)
    tx.touch_contact(contact)
    tx.history(
        contact,
        "reassignment_completed",
        actor_id,
        SOURCE,
        group_id=group_id,
        user_id=rep_id,
        how=how,
    )
    set_account_rep(tx, contact, rep_id, actor_id, SOURCE)
