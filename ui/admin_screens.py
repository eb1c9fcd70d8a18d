"""Opens the admin screens of one window, one of each at a time (a second request raises it)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from sync.session import SyncSession
from ui.groups_window import GroupsWindow
from ui.settings_dialog import RoutingSettingsDialog


class AdminScreens:
    """The routing settings dialog and the groups window of one main window."""

    def __init__(self, session: SyncSession, parent: QWidget) -> None:
        self.session = session
        self.parent = parent
        self.settings: RoutingSettingsDialog | None = None
        self.groups: GroupsWindow | None = None

    def open_routing_settings(self) -> RoutingSettingsDialog:
        """Show the routing settings dialog."""
        if self.settings is None:
            dialog = RoutingSettingsDialog(self.session, self.parent)
            dialog.finished.connect(lambda _: self._forget(dialog))
            self.settings = dialog
        self.settings.show()
        self.settings.raise_()
        return self.settings

    def open_groups(self) -> GroupsWindow:
        """Show the reassignment groups window."""
        if self.groups is None:
            window = GroupsWindow(self.session, self.parent)
            window.finished.connect(lambda _: self._forget(window))
            self.groups = window
        self.groups.show()
        self.groups.raise_()
        return self.groups

    def _forget(self, dialog: QDialog) -> None:
        if dialog is self.settings:
            self.settings = None
        if dialog is self.groups:
            self.groups = None
