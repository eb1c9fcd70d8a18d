"""One running app per user: a second launch hands its link to the first over a local socket
(QLocalServer / QLocalSocket) and exits; `agent-inbox://` links name what to open."""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import re
from dataclasses import dataclass

from platformdirs import user_data_dir
from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

SCHEME = "agent-inbox"
ACTIVATE = "activate"  # what a second launch without a link sends: bring the window forward
HANDOVER_MS = 3000
# Ids are the server's (`ct_…`): letters, digits, `_` and `-`.
_LINK = re.compile(r"^agent-inbox://(?P<kind>contact|conversation)/(?P<id>[A-Za-z0-9_-]{1,64})/?$")


@dataclass(frozen=True)
class Link:
    """What an `agent-inbox://KIND/ID` link opens."""

    kind: str
    id: str


class BadLink(ValueError):
    """A string that is not an Agent Inbox link (the message says what one looks like)."""


def parse_link(text: str) -> Link:
    """Parse `agent-inbox://contact/<id>` (or `…/conversation/<id>`)."""
    match = _LINK.match(text.strip())
    if match is None:
        raise BadLink(
            f"not an Agent Inbox link: {text!r} (expected agent-inbox://contact/<id> or "
            "agent-inbox://conversation/<id>)"
        )
    return Link(match["kind"], match["id"])


def instance_name() -> str:
    """The local socket's name: one per user and data folder, so one app per profile
    (AGENT_INBOX_INSTANCE overrides it)."""
    override = os.environ.get("AGENT_INBOX_INSTANCE")
    if override:
        return override
    profile = f"{getpass.getuser()}|{user_data_dir('agent-inbox', appauthor=False)}"
    return f"agent-inbox-{hashlib.sha256(profile.encode()).hexdigest()[:12]}"


def hand_over(message: str, name: str | None = None) -> bool:
    """Give `message` (a link, or ACTIVATE) to the running app; True when it took it, False
    when none is running. Blocking: it runs before this process starts its own loop."""
    socket = QLocalSocket()
    socket.connectToServer(name or instance_name())
    if not socket.waitForConnected(HANDOVER_MS):
        return False
    socket.write((message + "\n").encode())
    socket.flush()  # writes it all (waitForBytesWritten would then say false: nothing pending)
    reply = b""
    while b"\n" not in reply and (socket.bytesAvailable() or socket.waitForReadyRead(HANDOVER_MS)):
        reply += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return reply.decode(errors="replace").strip() == "ok"


class InstanceServer(QObject):
    """Listens for later launches; emits what each hands over."""

    received = Signal(str)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or instance_name()
        self.server = QLocalServer(self)
        # Only this user may hand links over.
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        """Start listening (taking over a socket file a crashed app left behind)."""
        if self.server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)
        if self.server.listen(self.name):
            return True
        log.warning("single instance off: %s", self.server.errorString())
        return False

    def close(self) -> None:
        """Stop listening."""
        self.server.close()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            buffer = bytearray()
            done: list[bool] = []

            def read(
                socket: QLocalSocket = socket, buffer: bytearray = buffer, done: list[bool] = done
            ) -> None:
                buffer.extend(bytes(socket.readAll().data()))
                if b"\n" in buffer and not done:
                    done.append(True)
                    line = bytes(buffer).split(b"\n", 1)[0].decode(errors="replace").strip()
                    socket.write(b"ok\n")
                    socket.flush()
                    socket.disconnectFromServer()
                    self.received.emit(line)

            socket.readyRead.connect(read)
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                read()
