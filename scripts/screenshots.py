"""Take the README's screenshots from the real app in demo mode (offscreen).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py docs/screenshots

Each view is taken in the light and the dark theme, at the window's default size and at its
minimum size: list-*, conversation-*, minimum-*, empty-*, search-empty-* and sign-in-error-*.
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget
from shot_support import run, until

from desktop_app.controller import AppController
from desktop_app.credentials import CredentialStore
from desktop_app.demo import start_demo
from desktop_app.preferences import Preferences
from desktop_app.theme import app_icon, apply_theme
from ui.main_window import MainWindow

THEMES = ("light", "dark")


async def snap(app: QApplication, window: QWidget, out: Path, name: str) -> None:
    """Save `window` as `name`-light.png and `name`-dark.png (back in the light theme after)."""
    for theme in THEMES:
        apply_theme(app, theme)
        await asyncio.sleep(0.4)  # let restyled widgets lay out and repaint
        window.grab().save(str(out / f"{name}-{theme}.png"))
    apply_theme(app, "light")


async def shoot(out: Path) -> None:
    """Two demo agents' windows, photographed at the moments the README shows."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, "light")
    demo = await start_demo(humans=("ana", "ben"), pace="fast")  # the moments come sooner
    controller = AppController(app_icon(), Preferences(), CredentialStore(), out / ".client")
    ana: MainWindow = controller.open_window(demo.url, "ana", await demo.token("ana"))
    ben: MainWindow = controller.open_window(demo.url, "ben", await demo.token("ben"))
    try:
        # Ben's Mine pane before he claims anything, nothing open: the empty states.
        await until(lambda: ben.session.link.status == "online")
        ben.tabs.setCurrentIndex(2)
        await snap(app, ben, out, "empty")
        # Ana's Priority pane: her customers, with the countdown to the shared inbox.
        await until(lambda: ana.panes["priority"].row_count() > 0)
        await asyncio.sleep(3)
        ana.tabs.setCurrentIndex(0)
        ana.panes["priority"].pick_row(0)
        await asyncio.sleep(2)
        await snap(app, ana, out, "list")
        # Ben claims from Shared and replies: bubbles, delivery state, routing steps inline.
        await until(lambda: ben.panes["shared"].row_count() > 0)
        ben.tabs.setCurrentIndex(1)
        ben.panes["shared"].pick_row(0)
        await asyncio.sleep(2)
        ben.view.claim()
        await asyncio.sleep(1)
        ben.view.reply.setPlainText("Hi! Yes, it ships today — the tracking number follows.")
        ben.view.send()
        await asyncio.sleep(2)
        ben.tabs.setCurrentIndex(2)
        await snap(app, ben, out, "conversation")
        # The same window at its minimum size, then a search that finds nothing.
        default = ben.size()
        ben.resize(ben.minimumSize())
        await snap(app, ben, out, "minimum")
        ben.tabs.setCurrentIndex(1)
        ben.panes["shared"].search.setText("abc")
        await snap(app, ben, out, "search-empty")
        ben.panes["shared"].search.clear()
        ben.resize(default)
        await sign_in_error(app, controller, out)
    finally:
        await controller.stop()
        await demo.stop()


async def sign_in_error(app: QApplication, controller: AppController, out: Path) -> None:
    """The sign-in dialog after a real attempt at a port where nothing listens."""
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dialog = controller.show_login(f"ws://127.0.0.1:{port}", "ana")
    dialog.password.setText("not-the-password")
    await dialog.submit()
    await until(lambda: dialog.error.text() != "")
    await snap(app, dialog, out, "sign-in-error")
    dialog.close()


if __name__ == "__main__":
    run(shoot)
