"""Screenshots of the routing settings dialog, the groups window and the offer card (offscreen),
in the light and dark themes, at their default and minimum sizes, against the demo server.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_admin.py docs/screenshots
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget
from shot_support import run, until

from desktop_app.controller import AppController
from desktop_app.credentials import CredentialStore
from desktop_app.demo import DemoServer, start_demo
from desktop_app.preferences import Preferences
from desktop_app.theme import app_icon, apply_theme
from ui.main_window import MainWindow


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
    """Reassign a shared conversation's contact from the admin's contact panel (the dialog and
    the panel photographed), then the offer card in a member's window."""
    root = windows["root"]
    shared = root.panes["shared"]
    await until(lambda: shared.row_count() > 0, timeout=90)
    root.resize(1200, 720)
    root.tabs.setCurrentIndex(1)
    strip = root.contact.reassign
    for row in range(shared.row_count()):
        shared.pick_row(row)
        await until(lambda: _shown_contact(root) is not None)
        if strip.contact is not None and strip.contact.reassignment is None:
            break
    dialog = strip.open_dialog()
    assert dialog is not None
    await until(lambda: dialog.next_button.isEnabled())
    await asyncio.sleep(0.3)
    dialog.grab().save(str(out / f"reassign-choose-{theme}.png"))
    dialog.next_button.click()
    await asyncio.sleep(0.3)
    dialog.grab().save(str(out / f"reassign-{theme}.png"))
    assert await dialog.start()
    await until(lambda: not strip.in_progress.isHidden())
    await asyncio.sleep(1.0)
    root.grab().save(str(out / f"reassign-panel-{theme}.png"))
    members = [windows["ben"], windows["ana"]]
    await until(lambda: any(w.offers.cards for w in members))
    holder = next(w for w in members if w.offers.cards)
    holder.resize(1200, 720)
    await asyncio.sleep(1.5)
    await both_sizes(holder, out, "offer", theme)
    # Accepting ends the reassignment at once (a decline would leave the others' offers open).
    for card in list(holder.offers.cards.values()):
        await card.answer(True)


def _shown_contact(window: MainWindow) -> str | None:
    """The contact of the open conversation, once the contact panel shows it."""
    conv = window.store.conversations.get(window.view.conversation_id or "")
    strip = window.contact.reassign
    if conv is None or strip.contact is None or strip.contact.id != conv.contact.id:
        return None
    return conv.contact.id


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


if __name__ == "__main__":
    run(shoot)
