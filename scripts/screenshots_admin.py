"""Screenshots of the routing settings dialog, the groups window and the offer card (offscreen),
in the light and dark themes, at their default and minimum sizes, against the demo server.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_admin.py docs/screenshots
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.controller import AppController
from desktop_app.credentials import CredentialStore
from desktop_app.demo import DemoServer, start_demo
from desktop_app.preferences import Preferences
from desktop_app.theme import app_icon, apply_theme
from inbox_protocol import Contact
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
    client_dir = tempfile.TemporaryDirectory(prefix="agent-inbox-shots-")
    controller = AppController(app_icon(), Preferences(), CredentialStore(), Path(client_dir.name))
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
            group_id = next(iter(groups.groups))
            groups.close()
            await asyncio.sleep(0.2)
            await _offer(out, theme, windows, group_id)
    finally:
        apply_theme(app, "light")
        await controller.stop()
        await demo.stop()
        client_dir.cleanup()


async def _offer(out: Path, theme: str, windows: dict[str, MainWindow], group_id: str) -> None:
    """The reassign dialog in the admin's window, then the offer card in Ben's."""
    from ui.reassign_dialog import ReassignDialog

    root, ben = windows["root"], windows["ben"]
    found = await root.session.request("search_contacts", limit=20)
    contact = next(c for c in found["contacts"] if c["reassignment"] is None)
    dialog = ReassignDialog(root.session, Contact.model_validate(contact), root)
    dialog.show()
    await until(lambda: dialog.next_button.isEnabled())
    dialog.next_button.click()
    await asyncio.sleep(0.3)
    dialog.grab().save(str(out / f"reassign-{theme}.png"))
    assert await dialog.start()
    await until(lambda: bool(ben.offers.cards) or bool(windows["ana"].offers.cards))
    holder = ben if ben.offers.cards else windows["ana"]
    holder.resize(1200, 720)
    await asyncio.sleep(1.5)
    await both_sizes(holder, out, "offer", theme)
    for card in list(holder.offers.cards.values()):
        await card.answer(False)


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
