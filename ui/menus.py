"""The window's menu bar: File (preferences, switch user, sign out), View, and role-gated Admin.

Menus that a role may not use are hidden, not greyed out: an agent never sees admin tools. The
server enforces the same rules; hiding them only keeps the window honest about what works.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

ROLE_RANK = {"agent": 0, "supervisor": 1, "admin": 2}


def role_at_least(role: str | None, needed: str) -> bool:
    """Whether `role` may do what `needed` may (agent < supervisor < admin)."""
    return role is not None and ROLE_RANK.get(role, -1) >= ROLE_RANK[needed]


class WindowMenus(QObject):
    """The menu bar of one window; its actions are signals the window's owner connects."""

    preferences_requested = Signal()
    switch_user_requested = Signal()
    sign_out_requested = Signal()
    routing_settings_requested = Signal()
    groups_requested = Signal()

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        bar = window.menuBar()
        self.file: QMenu = bar.addMenu("&File")
        self.preferences = self._action(self.file, "&Preferences…", self.preferences_requested)
        self.preferences.setShortcut(QKeySequence(QKeySequence.StandardKey.Preferences))
        self.file.addSeparator()
        self.switch_user = self._action(self.file, "S&witch user…", self.switch_user_requested)
        self.switch_user.setShortcut(QKeySequence("Ctrl+Shift+U"))
        self.sign_out = self._action(self.file, "&Sign out", self.sign_out_requested)
        self.sign_out.setShortcut(QKeySequence("Ctrl+Shift+Q"))
        # View and Team start empty (other screens add to them); an empty menu stays hidden.
        self.view: QMenu = bar.addMenu("&View")
        self.team: QMenu = bar.addMenu("&Team")
        self.admin: QMenu = bar.addMenu("&Admin")
        self.routing_settings = self._action(
            self.admin, "&Routing settings…", self.routing_settings_requested
        )
        self.groups = self._action(self.admin, "Reassignment &groups…", self.groups_requested)
        self.show_role(None)

    def _action(self, menu: QMenu, text: str, signal: SignalInstance) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(lambda: signal.emit())
        return action

    def show_role(self, role: str | None) -> None:
        """Show only the menus this role may use."""
        admin = role_at_least(role, "admin")
        self.admin.menuAction().setVisible(admin)
        # Hidden actions keep their shortcuts alive in Qt; disabling them too prevents that.
        for action in self.admin.actions():
            action.setEnabled(admin)
        supervisor = role_at_least(role, "supervisor")
        self.team.menuAction().setVisible(supervisor and bool(self.team.actions()))
        for action in self.team.actions():
            action.setEnabled(supervisor)
        self.view.menuAction().setVisible(bool(self.view.actions()))
