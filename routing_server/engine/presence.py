"""Presence: set by the user, held through a grace period after the last connection drops."""

from __future__ import annotations

from routing_server.engine.model import Presence, Status, User
from routing_server.engine.tx import Tx


def set_presence(tx: Tx, user: User, status: Status, set_by: str | None = None) -> Presence:
    """Set a user's presence (`set_by`: the supervisor who did, if not the user themselves);
    setting the same status again changes nothing."""
    presence = tx.state.presence[user.id]
    if presence.status != status:
        presence.status = status
        presence.since = tx.now
        presence.set_by = set_by
        tx.touch_presence(presence)
        tx.state.arm_presence(presence)
    return presence


def connected(tx: Tx, user: User) -> None:
    """A connection of `user` authenticated: cancel any pending grace-period expiry."""
    presence = tx.state.presence[user.id]
    presence.connections += 1
    presence.offline_at = None
    tx.state.arm_presence(presence)


def disconnected(tx: Tx, user: User) -> None:
    """A connection of `user` closed: after the last one, start the grace period."""
    presence = tx.state.presence[user.id]
    presence.connections = max(0, presence.connections - 1)
    if presence.connections == 0 and presence.status != "offline":
        presence.offline_at = tx.now + tx.state.settings.presence_grace_seconds
        if presence.offline_at <= tx.now:
            expire(tx, presence)
    tx.state.arm_presence(presence)


def expire(tx: Tx, presence: Presence) -> None:
    """The grace period ended with no connection: the user is offline."""
    presence.offline_at = None
    if presence.status != "offline":
        presence.status = "offline"
        presence.since = tx.now
        presence.set_by = None
        tx.touch_presence(presence)
        tx.state.arm_presence(presence)
