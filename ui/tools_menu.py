"""Team > Contacts…, Team > Import contacts… and Admin > Users…: the contact and user tools.

Their actions go into the window's Team and Admin menus (`WindowMenus` shows those by role).
Each tool opens once per window (opening it again raises it) and closes with the window, or
when a new snapshot says the user's role no longer allows it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from sync.session import SyncSession
from sync.store import Change
from ui.contacts_window import ContactsWindow
from ui.import_dialog import ImportDialog
from ui.menus import WindowMenus, role_at_least
from ui.users_window import UsersWindow

W = TypeVar("W", bound=QWidget)


class ToolsMenus(QObject):
    """The contact and user tools of one window."""

    def __init__(self, menus: WindowMenus, session: SyncSession, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self.open_tools: dict[str, QWidget] = {}
        self.team_menu = menus.team
        self.admin_menu = menus.admin
        self.contacts_action = self.team_menu.addAction("&Contacts…")
        self.contacts_action.setShortcut("Ctrl+Shift+K")
        self.contacts_action.triggered.connect(self.open_contacts)
        self.import_action = self.team_menu.addAction("&Import contacts…")
        self.import_action.triggered.connect(self.open_import)
        self.admin_menu.addSeparator()
        self.users_action = self.admin_menu.addAction("&Users…")
        self.users_action.triggered.connect(self.open_users)
        session.store.observe(self._on_change)

    def _on_change(self, change: Change) -> None:
        if change.kind != "reset":
            return
        me = self.session.store.me
        role = me.role if me else None
        if not role_at_least(role, "supervisor"):
            self.close_all()
        elif not role_at_least(role, "admin"):
            users = self.open_tools.pop("users", None)
            if users is not None and shiboken6.isValid(users):
                users.close()

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
        if isinstance(contacts, ContactsWindow) and shiboken6.isValid(contacts):
            contacts.model.refresh()

    def open_users(self) -> UsersWindow:
        """Open (or raise) the users window."""
        return self._open("users", lambda: UsersWindow(self.session, self.window))

    def _open(self, key: str, make: Callable[[], W]) -> W:
        existing = self.open_tools.get(key)
        if existing is not None and shiboken6.isValid(existing) and existing.isVisible():
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
            # A tool deleted already (it closed itself) is only forgotten.
            if shiboken6.isValid(tool) and tool.isVisible():
                tool.close()
        self.open_tools.clear()
