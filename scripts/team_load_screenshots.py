"""Take the Team load panel's screenshots from the real app in demo mode (offscreen): light
and dark, at the panel's default and minimum sizes.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/team_load_screenshots.py docs/screenshots
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
from ui.team_load_panel import TeamLoadPanel


async def until(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    """Wait (polling: the app has no event for it) until `condition` holds."""
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.2)


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
            await asyncio.sleep(1.5)
            sam.grab().save(str(out / f"team-load-window-{theme}.png"))
        panel.setFloating(True)
        for theme in ("light", "dark"):
            apply_theme(app, theme)
            panel.load_chart.restyle()
            panel.queue_chart.restyle()
            hint = panel.minimumSizeHint()
            for size, (width, height) in (
                ("default", (1100, 620)),
                ("minimum", (hint.width(), hint.height())),
            ):
                panel.resize(width, height)
                await asyncio.sleep(1.5)
                panel.grab().save(str(out / f"team-load-{theme}-{size}.png"))
        silent = next(a for a in panel.load.agents if a.silent)  # type: ignore[union-attr]
        dialog = panel.open_conversation(silent.claimed[0].conversation_id)
        await dialog.wait_loaded()
        for theme in ("light", "dark"):
            apply_theme(app, theme)
            await asyncio.sleep(1)
            dialog.grab().save(str(out / f"team-load-read-only-{theme}.png"))
        dialog.close()
    finally:
        await controller.stop()
        await demo.stop()


def main() -> None:
    """Save the screenshots into the folder named on the command line."""
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    QApplication.instance() or QApplication(["team-load-screenshots"])
    qasync.run(shoot(out))


if __name__ == "__main__":
    main()
