"""Take the README's screenshots from the real app in demo mode (offscreen).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py docs/screenshots
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication

from desktop_app.controller import AppController
from desktop_app.credentials import CredentialStore
from desktop_app.demo import start_demo
from desktop_app.preferences import Preferences
from desktop_app.theme import app_icon, apply_theme
from ui.main_window import MainWindow


async def until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Wait (polling: the app has no event for it) until `condition` holds."""
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.1)


async def shoot(out: Path) -> None:
    """Two demo agents' windows, photographed at the moments the README shows."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, "light")
    demo = await start_demo(humans=("ana", "ben"))
    controller = AppController(app_icon(), Preferences(), CredentialStore(), out / ".client")
    ana: MainWindow = controller.open_window(demo.url, "ana", await demo.token("ana"))
    ben: MainWindow = controller.open_window(demo.url, "ben", await demo.token("ben"))
    for window in (ana, ben):
        window.resize(1280, 760)
    try:
        await until(lambda: ana.panes["priority"].row_count() > 0)
        await asyncio.sleep(3)
        ana.tabs.setCurrentIndex(0)
        ana.panes["priority"].pick_row(0)
        await asyncio.sleep(2)
        ana.grab().save(str(out / "priority-countdown.png"))
        await until(lambda: ben.panes["shared"].row_count() > 1)
        ben.tabs.setCurrentIndex(1)
        ben.panes["shared"].pick_row(0)
        await asyncio.sleep(2)
        ben.grab().save(str(out / "shared-pane.png"))
        ben.view.claim()
        await asyncio.sleep(1)
        ben.view.reply.setPlainText("Hi! Yes, it ships today — tracking number follows.")
        ben.view.send()
        await asyncio.sleep(2)
        ben.tabs.setCurrentIndex(2)
        ben.grab().save(str(out / "conversation-timeline.png"))
    finally:
        await controller.stop()
        await demo.stop()


def main() -> None:
    """Save the screenshots into the folder named on the command line."""
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    QApplication.instance() or QApplication(["screenshots"])
    qasync.run(shoot(out))


if __name__ == "__main__":
    main()
