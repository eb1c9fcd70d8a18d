"""Deadlines kept in the state, and firing the ones that are due."""

from __future__ import annotations

from routing_server.engine.presence import expire
from routing_server.engine.state import State
from routing_server.engine.tx import Tx


def next_deadline(state: State) -> float | None:
    """The earliest deadline in the state, or None when nothing is timed."""
    deadlines = [p.offline_at for p in state.presence.values() if p.offline_at is not None]
    return min(deadlines) if deadlines else None


def fire_due(tx: Tx) -> None:
    """Fire every deadline at or before `tx.now`."""
    for presence in list(tx.state.presence.values()):
        if presence.offline_at is not None and presence.offline_at <= tx.now:
            expire(tx, presence)


def recover(tx: Tx) -> None:
    """After a restart nobody is connected: start every present user's grace period now."""
    grace = tx.state.settings.presence_grace_seconds
    for presence in tx.state.presence.values():
        presence.connections = 0
        if presence.status != "offline":
            presence.offline_at = tx.now + grace
