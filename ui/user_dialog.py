"""The dialogs of the Users window: a user's details (new or edited) and a password reset."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from routing_client.rpc import RequestFailed
from sync.session import SyncSession
from ui.contact_editor import FieldError

ROLES = (("agent", "Agent"), ("supervisor", "Supervisor"), ("admin", "Admin"))
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{1,200}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
MIN_PASSWORD = 8


def error_text(exc: Exception) -> str:
    """What to tell the admin about a failed request."""
    if isinstance(exc, RequestFailed):
        return exc.message
    return f"Not connected to the server: {str(exc) or 'try again'}"


class _FormDialog(QDialog):
    """A form with an error line per field and OK / Cancel; OK sends the request."""

    saved = Signal(dict)

    def __init__(
        self, session: SyncSession, title: str, ok_text: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title)
        self.session = session
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.errors: dict[str, FieldError] = {}
        self.general = FieldError(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText(ok_text)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general)
        layout.addWidget(self.buttons)

    def add_field(self, key: str, label: str, widget: QWidget) -> None:
        """A labelled field with its error line."""
        widget.setAccessibleName(label)
        self.form.addRow(label, widget)
        self.errors[key] = FieldError(self)
        self.form.addRow("", self.errors[key])

    def show_error(self, message: str) -> None:
        """Next to the field the message names (`username: …`), else below the form."""
        field, _, text = message.partition(": ")
        if field in self.errors and text:
            sentence = text[:1].upper() + text[1:]
            self.errors[field].show_message(sentence if sentence.endswith(".") else sentence + ".")
        else:
            self.general.show_message(message)

    def clear_errors(self) -> None:
        """Hide every message."""
        for label in [*self.errors.values(), self.general]:
            label.show_message("")

    @asyncSlot()
    async def submit(self) -> None:
        """OK: send, and close once the server took it."""
        await self.submit_now()

    async def submit_now(self) -> bool:
        """Send the form; True (and the dialog closes) when the server took it."""
        self.clear_errors()
        request = self.request()
        if request is None:
            return False
        command, fields = request
        self.buttons.setEnabled(False)
        try:
            result = await self.session.request(command, **fields)
        except Exception as exc:
            self.show_error(error_text(exc))
            return False
        finally:
            self.buttons.setEnabled(True)
        self.saved.emit(result.get("user") or fields)
        self.accept()
        return True

    def request(self) -> tuple[str, dict[str, Any]] | None:
        """The command and fields to send, or None with errors shown."""
        raise NotImplementedError


class UserDialog(_FormDialog):
    """New user (with a first password) or an existing user's details."""

    def __init__(
        self,
        session: SyncSession,
        teams: list[dict[str, Any]],
        user: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            session, "Edit user" if user else "New user",
            "Save changes" if user else "Create user", parent,
        )  # fmt: skip
        self.user = user
        self.username = QLineEdit(self)
        self.display_name = QLineEdit(self)
        self.email = QLineEdit(self)
        self.email.setPlaceholderText("name@example.com (for assignment e-mails)")
        self.role = QComboBox(self)
        for value, label in ROLES:
            self.role.addItem(label, value)
        self.teams = QListWidget(self)
        self.teams.setMaximumHeight(110)
        for team in teams:
            item = QListWidgetItem(team["name"], self.teams)
            item.setData(Qt.ItemDataRole.UserRole, team["id"])
            member = team["id"] in (user["team_ids"] if user else ["support"])
            item.setCheckState(Qt.CheckState.Checked if member else Qt.CheckState.Unchecked)
        self.max_open = QSpinBox(self)
        self.max_open.setRange(1, 1000)
        self.max_open.setValue(user["max_open"] if user else 5)
        self.max_open.setSuffix(" open conversations")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(self)
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        if user is None:
            self.add_field("username", "Username", self.username)
        self.add_field("display_name", "Display name", self.display_name)
        self.add_field("email", "E-mail", self.email)
        self.add_field("role", "Role", self.role)
        self.add_field("team_ids", "Teams", self.teams)
        self.add_field("max_open", "Capacity", self.max_open)
        if user is None:
            self.add_field("password", "Password", self.password)
            self.add_field("confirm", "Repeat password", self.confirm)
        else:
            self.display_name.setText(user["display_name"])
            self.email.setText(user["email"] or "")
            self.role.setCurrentIndex(max(0, self.role.findData(user["role"])))
        self.resize(460, self.sizeHint().height())

    def chosen_teams(self) -> list[str]:
        """The ids of the ticked teams."""
        items = (self.teams.item(i) for i in range(self.teams.count()))
        return [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    def request(self) -> tuple[str, dict[str, Any]] | None:
        """create_user or update_user with what changed."""
        username = self.username.text().strip()
        name, email = self.display_name.text().strip(), self.email.text().strip()
        teams = self.chosen_teams()
        ok = True
        if self.user is None and not USERNAME.match(username):
            self.errors["username"].show_message("Letters, digits and _ . @ - only.")
            ok = False
        if email and not EMAIL.match(email):
            self.errors["email"].show_message("An e-mail address has one @.")
            ok = False
        if not teams:
            self.errors["team_ids"].show_message("Tick at least one team.")
            ok = False
        if self.user is None:
            if len(self.password.text()) < MIN_PASSWORD:
                self.errors["password"].show_message(f"At least {MIN_PASSWORD} characters.")
                ok = False
            elif self.password.text() != self.confirm.text():
                self.errors["confirm"].show_message("The two passwords differ.")
                ok = False
        if self.user is not None and not name:
            self.errors["display_name"].show_message("A display name is required.")
            ok = False
        if not ok:
            return None
        fields: dict[str, Any] = {
            "display_name": name or username, "email": email or None,
            "role": self.role.currentData(), "team_ids": teams,
            "max_open": self.max_open.value(),
        }  # fmt: skip
        if self.user is None:
            given = {k: v for k, v in fields.items() if v is not None}
            return "create_user", {"username": username, "password": self.password.text(), **given}
        old = self.user
        changed = {k: v for k, v in fields.items() if old.get(k) != v}
        if not changed:
            self.general.show_message("Nothing changed.")
            return None
        return "update_user", {"user_id": old["id"], **changed}


class PasswordDialog(_FormDialog):
    """A new password for a user (their sessions end)."""

    def __init__(self, session: SyncSession, user: dict[str, Any], parent: QWidget | None) -> None:
        super().__init__(
            session, f"Reset {user['display_name']}'s password", "Set password", parent
        )
        self.user = user
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(self)
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_field("password", "New password", self.password)
        self.add_field("confirm", "Repeat it", self.confirm)
        hint = QLabel(
            f"{user['display_name']} is signed out everywhere and signs in with the new password.",
            self,
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.form.insertRow(0, hint)
        self.resize(420, self.sizeHint().height())

    def request(self) -> tuple[str, dict[str, Any]] | None:
        """set_password, once the two entries agree."""
        if len(self.password.text()) < MIN_PASSWORD:
            self.errors["password"].show_message(f"At least {MIN_PASSWORD} characters.")
            return None
        if self.password.text() != self.confirm.text():
            self.errors["confirm"].show_message("The two passwords differ.")
            return None
        return "set_password", {"user_id": self.user["id"], "password": self.password.text()}
