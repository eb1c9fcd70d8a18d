"""Deadlines kept in the state, and firing the ones that are due.

Every timer is a deadline field: a presence's `offline_at`, a priority conversation's `share_at`,
a waiting one's `wait_until`, a reassignment offer's `offer_expires`. The server arms one task for
the earliest and the engine fires what is due before each command, so after a restart every
overdue deadline fires at once.
"""

from __future__ import annotations

from routing_server.engine import groups
from routing_server.engine.indexes import CAPACITY_WAIT, OFFER_EXPIRY, PRESENCE_EXPIRY, SHARE_AT
from routing_server.engine.presence import expire
from routing_server.engine.routing import normal_routing
from routing_server.engine.state import State
from routing_server.engine.tx import Tx


def next_deadline(state: State) -> float | None:
    """The earliest deadline in the state, or None when nothing is timed (a peek)."""
    index = state.index
    while (top := index.peek_timer()) is not None:
        if _live(state, top):
            return top[0]
        index.pop_timer()
    return None


def fire_due(tx: Tx) -> None:
    """Fire every deadline at or before `tx.now`, earliest first.

    The due timers are collected before any fires, so a deadline that firing sets (a new offer,
    say) waits for the next command or timer, as every deadline set by a command does.
    """
    state, now, index = tx.state, tx.now, tx.state.index
    due: list[tuple[float, int, str]] = []
    while (top := index.peek_timer()) is not None and top[0] <= now:
        index.pop_timer()
        if _live(state, top) and (not due or due[-1] != top):
            due.append(top)
    for _, kind, key in due:
        if kind == PRESENCE_EXPIRY:
            expire(tx, state.presence[key])
        elif kind == SHARE_AT:
            conv = state.conversations[key]
            if state.settings.sharing_enabled and conv.state == "priority":
                normal_routing(tx, conv, "time_to_share_elapsed")
        elif kind == CAPACITY_WAIT:
            conv = state.conversations[key]
            if conv.state == "waiting":
                normal_routing(tx, conv, "capacity_wait_elapsed")
        else:
            groups.offer_expired(tx, state.contacts[key])
    if index.timer_count() > 64 and index.timer_count() > 4 * len(due) + 2 * _armed(state):
        index.compact_timers([t for t in index.timers() if _live(state, t)])


def _live(state: State, timer: tuple[float, int, str]) -> bool:
    """Whether a timer still matches the state (it is stale once its deadline moved or went)."""
    at, kind, key = timer
    if kind == PRESENCE_EXPIRY:
        presence = state.presence.get(key)
        return presence is not None and presence.offline_at == at
    if kind == OFFER_EXPIRY:
        contact = state.contacts.get(key)
        reassignment = contact.reassignment if contact is not None else None
        return reassignment is not None and reassignment.offer_expires == at
    slot = state.index.filed(key)
    if slot is None:
        return False
    if kind == SHARE_AT:
        return state.settings.sharing_enabled and slot.share_at == at
    return slot.wait_until == at


def _armed(state: State) -> int:
    """An upper bound on the live timers: one per user, contact offer and open conversation."""
    return len(state.presence) + len(state.reassigning) + state.index.open_count()


def recover(tx: Tx) -> None:
    """After a restart nobody is connected: start every present user's grace period now."""
    grace = tx.state.settings.presence_grace_seconds
    for presence in tx.state.presence.values():
        presence.connections = 0
        if presence.status != "offline":
            presence.offline_at = tx.now + grace
        tx.state.arm_presence(presence)
