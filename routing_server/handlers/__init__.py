"""Command handlers; importing this package registers every one with the dispatcher."""

from routing_server.handlers import (
    admin,
    agent,
    contacts,
    gateway,
    groups,
    session,
    supervision,
    sync,
    uploads,
    users,
)

__all__ = [
    "admin", "agent", "contacts", "gateway", "groups", "session", "supervision", "sync",
    "uploads", "users",
]  # fmt: skip
