"""Desktop app fixtures: a real server in this process, and windows opened the app's way."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import QSettings

from desktop_app.controller import AppController
from desktop_app.credentials import CredentialStore
from desktop_app.preferences import Preferences
from desktop_app.theme import app_icon
from routing_client.client import Backoff
from tests.server.harness import FakeClock, Harness, start_harness, until
from ui.main_window import MainWindow

UNDO_SECONDS = 0.3


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in memory (the machine has no usable one)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


class Desk:
    """A server, and an app controller whose windows talk to it."""

    def __init__(self, harness: Harness, controller: AppController) -> None:
        self.harness = harness
        self.controller = controller

    async def window(self, username: str, role: str = "agent") -> MainWindow:
        """Create the user, open their window, and wait until it is online."""
        if await self.harness.storage.credentials(username) is None:
            await self.harness.add_user(username, role)  # type: ignore[arg-type]
        token = await self.harness.token(username)
        window = self.controller.open_window(self.harness.url, username, token)
        window.session.client.backoff = Backoff(first=0.05, cap=0.3)
        window.view.held.seconds = UNDO_SECONDS  # Close and Release wait this long for Undo
        await until(lambda: window.session.link.status == "online")
        await until(lambda: window.store.presence is not None
                    and window.store.presence.status == "online")  # fmt: skip
        return window


@pytest.fixture
def keyring_memory() -> Iterator[MemoryKeyring]:
    """An in-memory keyring for this test."""
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
async def desk(tmp_path: Path, qapp: object) -> AsyncIterator[Desk]:
    """A server on a fake clock and an app controller with its own settings and data folder."""
    harness = await start_harness(tmp_path, clock=FakeClock())
    prefs = Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))
    prefs.sound = False
    controller = AppController(app_icon(), prefs, CredentialStore(), tmp_path / "client")
    try:
        yield Desk(harness, controller)
    finally:
        await controller.stop()
        if controller.login_dialog is not None:
            controller.login_dialog.close()
        await harness.close()
        # Let connection handlers that finished closing run their last step on this loop:
        # the next test gets a new loop, and Qt would otherwise step them with none running.
        await asyncio.sleep(0.1)
