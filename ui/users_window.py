"""Admin > Users…: every account, and creating, editing, disabling and enabling them, and
resetting passwords. Admins only (the server refuses the rest)."""

from __future__ import annotations

import asyncio
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sync.session import SyncSession
from ui.user_dialog import PasswordDialog, UserDialog, error_text

D = TypeVar("D", UserDialog, PasswordDialog)
HEADERS = ("Username", "Name", "Role", "Teams", "Capacity", "E-mail", "Status")
MIN_SIZE = (640, 360)


class UsersWindow(QWidget):
    """The table of users and the actions on the selected one."""

    closed = Signal()

    def __init__(self, session: SyncSession, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Users — Agent Inbox")
        self.session = session
        self.resize(900, 520)
        self.setMinimumSize(*MIN_SIZE)
        self.users: list[dict[str, Any]] = []
        self.teams: list[dict[str, Any]] = []
        self.dialog: UserDialog | PasswordDialog | None = None
        self.confirm: QMessageBox | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setAccessibleName("Users")
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit_user())
        self.new_button = QPushButton("New user…", self)
        self.new_button.clicked.connect(self.new_user)
        self.edit_button = QPushButton("Edit…", self)
        self.edit_button.clicked.connect(self.edit_user)
        self.toggle_button = QPushButton("Disable", self)
        self.toggle_button.clicked.connect(self.toggle_selected)
        self.password_button = QPushButton("Reset password…", self)
        self.password_button.clicked.connect(self.reset_password)
        self.status = QLabel("Loading…", self)
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.toggle_button,
                       self.password_button):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self._update_buttons()
        self._spawn(self.reload())

    async def reload(self) -> None:
        """Fetch users and teams and fill the table."""
        try:
            users = await self.session.request("list_users")
            teams = await self.session.request("list_teams")
        except Exception as exc:
            self.status.setText(f"Could not load users: {error_text(exc)}")
            return
        self.teams = teams["teams"]
        selected = self.selected()
        self.users = [u for u in users["users"] if u["role"] != "integration"]
        self._fill(selected["id"] if selected else None)

    def _fill(self, keep: str | None) -> None:
        names = {t["id"]: t["name"] for t in self.teams}
        self.table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            cells = (
                user["username"], user["display_name"], user["role"].title(),
                ", ".join(names.get(t, t) for t in user["team_ids"]) or "—",
                str(user["max_open"]), user["email"] or "—",
                "Disabled" if user.get("disabled") else "Active",
            )  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if user.get("disabled"):
                    item.setForeground(self.palette().placeholderText())
                self.table.setItem(row, column, item)
            if user["id"] == keep:
                self.table.selectRow(row)
        disabled = sum(1 for u in self.users if u.get("disabled"))
        self.status.setText(
            f"{len(self.users)} users" + (f", {disabled} disabled" if disabled else "")
            + ". Gateways (integration accounts) are managed with inbox-server token create."
        )  # fmt: skip
        self._update_buttons()

    def selected(self) -> dict[str, Any] | None:
        """The selected user."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.users[rows[0].row()] if rows and rows[0].row() < len(self.users) else None

    def select(self, username: str) -> None:
        """Select a user's row."""
        for row, user in enumerate(self.users):
            if user["username"] == username:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        user = self.selected()
        me = self.session.store.me
        for button in (self.edit_button, self.toggle_button, self.password_button):
            button.setEnabled(user is not None)
        if user is not None:
            self.toggle_button.setText("Enable" if user.get("disabled") else "Disable")
            # Disabling oneself would lock the admin out of this very window.
            self.toggle_button.setEnabled(me is None or user["id"] != me.id)

    # -- actions ------------------------------------------------------------------------------

    def new_user(self) -> UserDialog:
        """Open the New user dialog."""
        return self._open(UserDialog(self.session, self.teams, None, self))

    def edit_user(self) -> UserDialog | None:
        """Open the selected user's details."""
        user = self.selected()
        return self._open(UserDialog(self.session, self.teams, user, self)) if user else None

    def reset_password(self) -> PasswordDialog | None:
        """Open the password reset for the selected user."""
        user = self.selected()
        return self._open(PasswordDialog(self.session, user, self)) if user else None

    def _open(self, dialog: D) -> D:
        dialog.saved.connect(lambda _user: self._spawn(self.reload()))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog = dialog
        dialog.open()
        return dialog

    def toggle_selected(self) -> None:
        """Enable the selected user at once; disable them after a confirmation."""
        user = self.selected()
        if user is None:
            return
        if user.get("disabled"):
            self._spawn(self.set_disabled(user["id"], False))
            return
        box = QMessageBox(QMessageBox.Icon.Warning, f"Disable {user['display_name']}?",
                          "", parent=self)  # fmt: skip
        box.setText(f"Disable {user['display_name']} ({user['username']})?")
        box.setInformativeText(
            "They are signed out at once and cannot sign in until enabled again. Their "
            "priority work goes to the shared inbox; claimed conversations stay theirs."
        )
        disable = box.addButton("Disable", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def done() -> None:
            if box.clickedButton() is disable:
                self._spawn(self.set_disabled(user["id"], True))
            self.confirm = None

        box.finished.connect(done)
        self.confirm = box
        box.open()

    async def set_disabled(self, user_id: str, disabled: bool) -> bool:
        """Disable or enable a user; True when the server did."""
        try:
            await self.session.request("update_user", user_id=user_id, disabled=disabled)
        except Exception as exc:
            self.status.setText(f"Not changed: {error_text(exc)}")
            return False
        await self.reload()
        return True

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop loading; the window goes with its tasks."""
        for task in list(self._tasks):
            task.cancel()
        self.closed.emit()
        super().closeEvent(event)
