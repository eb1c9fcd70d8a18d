"""The window's Team and Admin menus: the supervisor's and admin's tools, shown by role.

Each tool opens once per window (opening it again raises it) and closes with the window. Other
tools add their actions to `team_menu` or `admin_menu`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from sync.session import SyncSession
from sync.store import Change
from ui.contacts_window import ContactsWindow
from ui.import_dialog import ImportDialog
from ui.users_window import UsersWindow

STAFF = frozenset({"supervisor", "admin"})
W = TypeVar("W", bound=QWidget)


class ToolsMenus(QObject):
    """Team > Contacts…, Team > Import contacts…, Admin > Users…."""

    def __init__(
        self, window: QMainWindow, session: SyncSession, team_menu: QMenu, admin_menu: QMenu
    ) -> None:
        """Add the tools to the window's Team and Admin menus (see ui/menus.py)."""
        super().__init__(window)
        self.window = window
        self.session = session
        self.open_tools: dict[str, QWidget] = {}
        self.team_menu = team_menu
        self.contacts_action = self.team_menu.addAction("&Contacts…")
        self.contacts_action.setShortcut("Ctrl+Shift+K")
        self.contacts_action.triggered.connect(self.open_contacts)
        self.import_action = self.team_menu.addAction("&Import contacts…")
        self.import_action.triggered.connect(self.open_import)
        self.admin_menu = admin_menu
        self.users_action = self.admin_menu.addAction("&Users…")
        self.users_action.triggered.connect(self.open_users)
        self.show_for_role()
        session.store.observe(self._on_change)

    def _on_change(self, change: Change) -> None:
        if change.kind == "reset":
            self.show_for_role()

    def show_for_role(self) -> None:
        """Supervisors and admins see Team; admins see Admin; agents see neither."""
        me = self.session.store.me
        role = me.role if me else None
        self.team_menu.menuAction().setVisible(role in STAFF)
        self.admin_menu.menuAction().setVisible(role == "admin")
        if role not in STAFF:
            self.close_all()

    def open_contacts(self) -> ContactsWindow:
        """Open (or raise) the contacts window."""
        return self._open("contacts", lambda: ContactsWindow(self.session, self.window))

    def open_import(self) -> ImportDialog:
        """Open (or raise) the import dialog."""
        return self._open("import", self._make_import)

    def _make_import(self) -> ImportDialog:
        dialog = ImportDialog(self.session, self.window)
        dialog.imported.connect(self._refresh_contacts)
        return dialog

    def _refresh_contacts(self) -> None:
        """An import changed contacts: an open contacts window searches again."""
        contacts = self.open_tools.get("contacts")
        if isinstance(contacts, ContactsWindow) and contacts.isVisible():
            contacts.model.refresh()

    def open_users(self) -> UsersWindow:
        """Open (or raise) the users window."""
        return self._open("users", lambda: UsersWindow(self.session, self.window))

    def _open(self, key: str, make: Callable[[], W]) -> W:
        existing = self.open_tools.get(key)
        if existing is not None and existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return existing  # type: ignore[return-value]
        tool = make()
        self.open_tools[key] = tool
        tool.destroyed.connect(lambda: self.open_tools.pop(key, None))
        tool.show()
        return tool

    def close_all(self) -> None:
        """Close every tool (the window is closing, or the role no longer allows them)."""
        for tool in list(self.open_tools.values()):
            tool.close()
