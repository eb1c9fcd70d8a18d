"""Desktop notifications through the freedesktop notification service on the session bus.

The call is made with jeepney (pure Python, already installed as keyring's Secret Service
transport) rather than QtDBus: from Python, PySide6's QtDBus marshals every int as `i` and an
empty list as `av`, and `Notify` is `susssasa{sv}i`; GNOME Shell, dunst and every GDBus-based
server refuse a call whose signature differs. One short connection per notification: they are
rare, and nothing stays open when the window closes.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from jeepney import DBusAddress, MessageType, new_method_call
from jeepney.io.asyncio import DBusRouter, open_dbus_connection

SERVICE = DBusAddress(
    "/org/freedesktop/Notifications",
    bus_name="org.freedesktop.Notifications",
    interface="org.freedesktop.Notifications",
)
TIMEOUT = 5.0
APP_NAME = "Agent Inbox"


class NotificationServiceError(Exception):
    """No notification service answered, or it refused the call (the message says which)."""


class DesktopNotifications:
    """Sends `Notify` to the session bus's notification service (or to `bus`, an address)."""

    def __init__(self, bus: str | None = None) -> None:
        self.bus = bus
        self.sent: list[tuple[str, str]] = []

    def _address(self) -> str:
        address = self.bus or os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        if not address:
            raise NotificationServiceError("no session bus (DBUS_SESSION_BUS_ADDRESS is unset)")
        return address

    async def _call(
        self, member: str, signature: str | None, body: tuple[object, ...]
    ) -> tuple[Any, ...]:
        address = self._address()
        try:
            async with asyncio.timeout(TIMEOUT):
                conn = await open_dbus_connection(address)
                try:
                    async with DBusRouter(conn) as router:
                        reply = await router.send_and_get_reply(
                            new_method_call(SERVICE, member, signature, body)
                        )
                finally:
                    await conn.close()
        except (OSError, EOFError, TimeoutError, ValueError) as exc:
            raise NotificationServiceError(f"the session bus did not answer: {exc!r}") from None
        if reply.header.message_type is MessageType.error:
            raise NotificationServiceError(f"the notification service refused: {reply.body!r}")
        return tuple(reply.body)

    async def notify(self, summary: str, body: str, *, urgent: bool = False) -> int:
        """Show a notification; returns its id (raises NotificationServiceError)."""
        hints = {
            "desktop-entry": ("s", "agent-inbox"),
            "category": ("s", "im.received"),
            "urgency": ("y", 2 if urgent else 1),
        }
        result = await self._call(
            "Notify",
            "susssasa{sv}i",
            (APP_NAME, 0, "agent-inbox", summary, body, [], hints, -1),
        )
        self.sent.append((summary, body))
        return int(result[0])

    async def server_name(self) -> str:
        """The running service's name and version ("dunst 1.9.0"), for the self-test."""
        name, vendor, version, _spec = await self._call("GetServerInformation", None, ())
        return f"{name} {version} ({vendor})"
