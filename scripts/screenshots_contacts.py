"""Screenshots of the contacts window, the import preview and the users window (offscreen),
light and dark, at the default and the minimum size, against the demo server.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots_contacts.py docs/screenshots
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget
from shot_support import run, until

from desktop_app.controller import AppController
from desktop_app.credentials import CredentialStore
from desktop_app.demo import start_demo
from desktop_app.preferences import Preferences
from desktop_app.theme import app_icon, apply_theme
from ui.contacts_window import MIN_SIZE as CONTACTS_MIN
from ui.import_dialog import MIN_SIZE as IMPORT_MIN
from ui.main_window import MainWindow
from ui.users_window import MIN_SIZE as USERS_MIN

PREVIEW_CSV = (
    "name,phone,email,account_rep,priority_notifications\n"
    "Maria Garcia,+15551230001,maria@example.com,ana,X\n"
    "Lee Chen,+15551230002,lee@example.com,ben,X\n"
    "Priya Natarajan,+15551230003,,,\n"
    "Tom Becker,12,tom@example.com,cleo,\n"
    "Ines Duarte,+15551230005,ines@example.com,nobody,X\n"
    "Omar Haddad,+15551230006,omar@example.com,sam,\n"
)


async def settle(widget: QWidget, size: tuple[int, int]) -> None:
    """Resize and let layouts and pending results settle."""
    widget.resize(*size)
    await asyncio.sleep(0.6)


async def shoot_theme(root: MainWindow, theme: str, csv: Path, out: Path) -> None:
    """The three tools in one theme, each at its default and its minimum size."""
    contacts = root.tools.open_contacts()
    await until(lambda: contacts.model.rowCount() > 0)
    contacts.list.setCurrentIndex(contacts.model.index(1))
    await until(lambda: contacts.editor.contact is not None)
    for label, dims in (("default", (980, 640)), ("min", CONTACTS_MIN)):
        await settle(contacts, dims)
        contacts.grab().save(str(out / f"contacts-{theme}-{label}.png"))
    dialog = root.tools.open_import()
    await dialog.load_file(csv)
    for label, dims in (("default", (820, 560)), ("min", IMPORT_MIN)):
        await settle(dialog, dims)
        dialog.grab().save(str(out / f"import-preview-{theme}-{label}.png"))
    dialog.close()
    users = root.tools.open_users()
    await until(lambda: users.table.rowCount() > 0)
    for label, dims in (("default", (900, 520)), ("min", USERS_MIN)):
        await settle(users, dims)
        users.grab().save(str(out / f"users-{theme}-{label}.png"))
    users.close()
    contacts.close()
    await asyncio.sleep(0.3)


async def shoot(out: Path) -> None:
    """Open the supervisor's and admin's tools on the demo and photograph them."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    demo = await start_demo(humans=("sam", "root"))
    controller = AppController(app_icon(), Preferences(), CredentialStore(), out / ".client")
    root: MainWindow = controller.open_window(demo.url, "root", await demo.token("root"))
    with tempfile.TemporaryDirectory() as folder:
        csv = Path(folder) / "contacts-update.csv"
        csv.write_text(PREVIEW_CSV, "utf-8")
        try:
            await until(lambda: root.store.me is not None)
            for theme in ("light", "dark"):
                apply_theme(app, theme)
                await shoot_theme(root, theme, csv, out)
        finally:
            await controller.stop()
            await demo.stop()


if __name__ == "__main__":
    run(shoot)
