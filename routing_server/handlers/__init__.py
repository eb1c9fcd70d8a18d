"""Command handlers; importing this package registers every one with the dispatcher."""

from routing_server.handlers import agent, gateway, session, sync

__all__ = ["agent", "gateway", "session", "sync"]
