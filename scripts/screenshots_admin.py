"""Screenshots of the routing settings dialog, the groups window and the offer card (offscreen),
in the light and dark themes, at their default and minimum sizes, against the demo server.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_admin.py docs/screenshots
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.controller import AppController
from desktop_app.credentials import CredentialStore
from desktop_app.demo import DemoServer, start_demo
from desktop_app.preferences import Preferences
from desktop_app.theme import app_icon, apply_theme
from ui.main_window import MainWindow


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Wait (polling: nothing signals these moments) until `condition` holds."""
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.05)


async def both_sizes(widget: QWidget, out: Path, name: str, theme: str) -> None:
    """Save `name-theme.png` at the default size and `name-theme-min.png` at the minimum."""
    default = widget.size()
    await asyncio.sleep(0.3)
    widget.grab().save(str(out / f"{name}-{theme}.png"))
    widget.resize(widget.minimumSizeHint().expandedTo(widget.minimumSize()))
    await asyncio.sleep(0.3)
    widget.grab().save(str(out / f"{name}-{theme}-min.png"))
    widget.resize(default)


async def shoot(out: Path) -> None:
    """Open the admin's and an agent's windows, then each screen in each theme."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    demo: DemoServer = await start_demo(humans=("ana", "ben", "root"))
    controller = AppController(app_icon(), Preferences(), CredentialStore(), out / ".client")
    windows: dict[str, MainWindow] = {}
    for name in ("root", "ana", "ben"):
        windows[name] = controller.open_window(demo.url, name, await demo.token(name))
    try:
        await until(lambda: all(w.store.me is not None for w in windows.values()))
        await until(lambda: all(w.session.link.status == "online" for w in windows.values()))
        root = windows["root"]
        for theme in ("light", "dark"):
            apply_theme(app, theme)
            settings = root.admin_screens.open_routing_settings()
            await until(lambda s=settings: s.team.count() > 0)  # type: ignore[misc]
            await both_sizes(settings, out, "settings", theme)
            settings.close()
            groups = root.admin_screens.open_groups()
            await until(lambda g=groups: g.editor.members.count() > 0)  # type: ignore[misc]
            if not groups.groups:
                await _make_group(groups, windows)
            await both_sizes(groups, out, "groups", theme)
            groups.close()
            await asyncio.sleep(0.2)
    finally:
        apply_theme(app, "light")
        await controller.stop()
        await demo.stop()


async def _make_group(groups: object, windows: dict[str, MainWindow]) -> None:
    from ui.groups_window import GroupsWindow

    assert isinstance(groups, GroupsWindow)
    groups.new_group()
    groups.editor.name.setText("Key accounts")
    for name in ("ana", "ben"):
        me = windows[name].store.me
        assert me is not None
        groups.editor.set_member(me.id, True)
    groups.editor.default.setCurrentIndex(1)
    groups.editor.offer.setValue(600)
    assert await groups.save()


def main() -> None:
    """Save the screenshots into the folder named on the command line."""
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    QApplication.instance() or QApplication(["screenshots"])
    qasync.run(shoot(out))


if __name__ == "__main__":
    main()
