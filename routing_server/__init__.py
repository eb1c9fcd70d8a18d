"""The bundled Agent Inbox routing server."""

__version__ = "0.1.0"
