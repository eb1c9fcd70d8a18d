"""Take the toast screenshots (an alert, and the Undo of a Close) from the real app in demo
mode, offscreen, in both themes, at the default and the minimum window size.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/toast_screenshots.py docs/screenshots
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtWidgets import QApplication
from shot_support import run, until

from desktop_app.controller import AppController
from desktop_app.credentials import CredentialStore
from desktop_app.demo import start_demo
from desktop_app.preferences import Preferences
from desktop_app.theme import app_icon, apply_theme
from ui.main_window import MainWindow


async def shoot(out: Path) -> None:
    """Ana's window when her customer's priority message arrives, and after she closes one."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    demo = await start_demo(humans=("ana",))
    prefs = Preferences()
    prefs.sound = False
    controller = AppController(app_icon(), prefs, CredentialStore(), out / ".client")
    ana: MainWindow = controller.open_window(demo.url, "ana", await demo.token("ana"))
    ana.view.held.seconds = 9  # long enough for the four pictures of the Undo
    try:
        await until(lambda: any(n.kind == "priority_routed" for n in ana.notifier.shown))
        ana.tabs.setCurrentIndex(0)
        conv_id = ana.panes["priority"].model.conversation_id(0)
        note = next(n for n in ana.notifier.shown if n.kind == "priority_routed")
        sizes = {"": (1200, 720), "-min": (ana.minimumSizeHint().width(), 480)}
        for theme in ("light", "dark"):
            apply_theme(app, theme)
            for suffix, (width, height) in sizes.items():
                ana.resize(width, height)
                ana.toast.dismiss()
                ana.notifier.toast.emit(f"{note.title}: {note.body}", conv_id)
                await asyncio.sleep(0.5)
                ana.grab().save(str(out / f"toast-alert-{theme}{suffix}.png"))
        ana.toast.action.click()  # Open
        await until(lambda: ana.view.conversation_id == conv_id)
        ana.view.claim()
        await until(lambda: ana.view.close_button.isEnabled())
        ana.view.close_conv()
        for theme in ("light", "dark"):
            apply_theme(app, theme)
            for suffix, (width, height) in sizes.items():
                ana.resize(width, height)
                await asyncio.sleep(0.3)
                ana.grab().save(str(out / f"toast-undo-{theme}{suffix}.png"))
        ana.toasts.undo()
    finally:
        await controller.stop()
        await demo.stop()


if __name__ == "__main__":
    run(shoot)
