"""Take the Team load panel's screenshots from the real app in demo mode (offscreen): light
and dark, at the panel's default and minimum sizes.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/team_load_screenshots.py docs/screenshots
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication
from shot_support import run, until

from desktop_app.controller import AppController
from desktop_app.credentials import CredentialStore
from desktop_app.demo import start_demo
from desktop_app.preferences import Preferences
from desktop_app.theme import app_icon, apply_theme
from ui.main_window import MainWindow
from ui.team_load_panel import TeamLoadPanel


def busy(panel: TeamLoadPanel) -> bool:
    """Someone holds claimed work, someone pending priority work, and the queue has history."""
    load = panel.load
    if load is None:
        return False
    return (
        any(a.open for a in load.agents)
        and any(a.priority for a in load.agents)
        and len(load.shared_history) > 3
    )


async def shoot(out: Path) -> None:
    """Sam's window next to Ana's (online, slow to claim) in the demo."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, "light")
    demo = await start_demo(humans=("ana", "sam"))
    controller = AppController(app_icon(), Preferences(), CredentialStore(), out / ".client")
    ana: MainWindow = controller.open_window(demo.url, "ana", await demo.token("ana"))
    sam: MainWindow = controller.open_window(demo.url, "sam", await demo.token("sam"))
    try:
        await until(lambda: bool(sam.findChildren(TeamLoadPanel)))
        panel = sam.findChildren(TeamLoadPanel)[0]
        # Ana claims the first shared conversation and never answers: "silent" after a minute.
        ana.tabs.setCurrentIndex(1)
        while ana.panes["mine"].row_count() == 0:
            # The demo's bot may claim it first: try the next one until Ana holds one.
            await until(lambda: ana.panes["shared"].row_count() > 0)
            ana.panes["shared"].pick_row(0)
            await asyncio.sleep(0.5)
            ana.view.claim()
            await asyncio.sleep(1)
        await until(lambda: busy(panel))
        await until(lambda: panel.load is not None and any(a.silent for a in panel.load.agents))
        panel.select_agent(next(a.user_id for a in panel.load.agents if a.silent))  # type: ignore[union-attr]
        for theme in ("light", "dark"):
            apply_theme(app, theme)
            panel.load_chart.restyle()
            panel.queue_chart.restyle()
            for size, name in (((1200, 720), "window"), ((900, 600), "window-minimum")):
                sam.resize(*size)
                await asyncio.sleep(0.5)
                # As a user would after resizing: give the panel the room the window has.
                sam.resizeDocks([panel], [sam.height()], Qt.Orientation.Vertical)
                await asyncio.sleep(1.5)
                sam.grab().save(str(out / f"team-load-{name}-{theme}.png"))

        panel.setFloating(True)
        for theme in ("light", "dark"):
            apply_theme(app, theme)
            panel.load_chart.restyle()
            panel.queue_chart.restyle()
            # The smallest size at which nothing scrolls: the panel's content, and its title.
            body = panel.widget().widget()  # type: ignore[attr-defined]
            hint = body.minimumSizeHint() + QSize(4, 28)
            for size, (width, height) in (
                ("default", (1100, 620)),
                ("minimum", (hint.width(), hint.height())),
            ):
                panel.resize(width, height)
                await asyncio.sleep(1.5)
                panel.grab().save(str(out / f"team-load-{theme}-{size}.png"))
        await until(lambda: any(a.claimed for a in panel.load.agents))  # type: ignore[union-attr]
        holder = next(a for a in panel.load.agents if a.claimed)  # type: ignore[union-attr]
        dialog = panel.open_conversation(holder.claimed[0].conversation_id)
        await dialog.wait_loaded()
        for theme in ("light", "dark"):
            apply_theme(app, theme)
            await asyncio.sleep(1)
            dialog.grab().save(str(out / f"team-load-read-only-{theme}.png"))
        dialog.close()
    finally:
        await controller.stop()
        await demo.stop()


if __name__ == "__main__":
    run(shoot)
