"""A private session bus (a real dbus-daemon) and a fake freedesktop notification service on it."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from jeepney import HeaderFields, MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

NAME = "org.freedesktop.Notifications"


@contextmanager
def session_bus() -> Iterator[str]:
    """Start `dbus-daemon --session` (Debian's dbus-daemon); yields its address."""
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        assert address.startswith("unix:"), address
        yield address
    finally:
        daemon.terminate()
        daemon.wait(5)


@dataclass
class FakeNotificationService:
    """Answers `Notify` and `GetServerInformation` like a notification daemon, recording every
    call with its D-Bus signature (a real daemon refuses any other than the spec's)."""

    address: str
    calls: list[tuple[str, str, tuple[Any, ...]]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        assert ready.wait(5), "the fake notification service did not start"

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def notifications(self) -> list[tuple[Any, ...]]:
        return [body for member, _sig, body in self.calls if member == "Notify"]

    def _serve(self, ready: threading.Event) -> None:
        with open_dbus_connection(bus=self.address) as conn:
            conn.send_and_get_reply(message_bus.RequestName(NAME))
            ready.set()
            while not self._stop.is_set():
                try:
                    msg = conn.receive(timeout=0.1)
                except TimeoutError:
                    continue
                if msg.header.message_type is not MessageType.method_call:
                    continue
                member = str(msg.header.fields.get(HeaderFields.member))
                signature = str(msg.header.fields.get(HeaderFields.signature, ""))
                self.calls.append((member, signature, tuple(msg.body)))
                if member == "Notify" and signature == "susssasa{sv}i":
                    conn.send(new_method_return(msg, "u", (len(self.calls),)))
                elif member == "GetServerInformation":
                    conn.send(new_method_return(msg, "ssss", ("fake-notifyd", "tests", "1.0",
                                                              "1.2")))  # fmt: skip
                else:
                    conn.send(new_error(msg, "org.freedesktop.DBus.Error.InvalidArgs"))


@contextmanager
def notification_service() -> Iterator[FakeNotificationService]:
    """A session bus with the fake service registered on it."""
    with session_bus() as address:
        service = FakeNotificationService(address)
        service.start()
        try:
            yield service
        finally:
            service.stop()
