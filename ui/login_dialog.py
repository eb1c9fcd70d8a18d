"""Sign in: server URL, username, password, and "remember me" when a keyring is usable."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from routing_client.errors import explain

# (url, username, password, remember) → None; raises with a `message` to show on failure.
SignIn = Callable[[str, str, str, bool], Awaitable[None]]


class LoginDialog(QDialog):
    """Asks for credentials and signs in; stays open with the reason when that fails."""

    def __init__(
        self,
        sign_in: SignIn,
        *,
        url: str = "",
        username: str = "",
        keyring_problem: str | None = None,
        notice: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._pending: set[asyncio.Task[None]] = set()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Closed by the user (or replaced) mid sign-in: the attempt ends with the dialog, before
        # it could touch deleted widgets.
        self.rejected.connect(self._cancel_pending)
        self.setWindowTitle("Sign in to Agent Inbox")
        self.setMinimumWidth(400)  # room for a sentence of explanation without a tall wrap
        self._sign_in = sign_in
        self.url = QLineEdit(url, self)
        self.url.setAccessibleName("Server URL")
        self.url.setPlaceholderText("ws://127.0.0.1:8765")
        self.username = QLineEdit(username, self)
        self.username.setAccessibleName("Username")
        self.password = QLineEdit(self)
        self.password.setAccessibleName("Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("Remember me on this computer", self)
        if keyring_problem:
            self.remember.setEnabled(False)
            self.remember.setToolTip(f"Not available: {keyring_problem}")
        # The keyring's state is said in the dialog, not only in a tooltip.
        self.keyring_note = QLabel(
            f"“Remember me” is not available here: {keyring_problem}" if keyring_problem else "",
            self,
        )
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setVisible(bool(keyring_problem))
        # Progress in a neutral style; errors in the error style, below it.
        self.progress = QLabel("", self)
        self.progress.setVisible(False)
        self.error = QLabel(notice, self)
        self.error.setObjectName("loginError")
        self.error.setWordWrap(True)
        # A wrapped message grows the dialog instead of squashing the fields.
        self.error.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Server", self.url)
        form.addRow("Username", self.username)
        form.addRow("Password", self.password)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.remember)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        (self.password if username else self.username).setFocus()

    def show_info(self, text: str) -> None:
        """Say something that is not an error (e.g. "You signed out"), in the neutral style."""
        self.progress.setText(text)
        self.progress.setVisible(bool(text))

    def submit(self) -> asyncio.Task[None]:
        """Try to sign in (in the background); the dialog closes on success."""
        task = asyncio.ensure_future(self._submit())
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)
        return task

    def _cancel_pending(self) -> None:
        for task in list(self._pending):
            task.cancel()

    async def _submit(self) -> None:
        """Sign in; close on success, say why on failure."""
        url, user, password = self.url.text().strip(), self.username.text().strip(), \
            self.password.text()  # fmt: skip
        if not (url and user and password):
            self.error.setText("Fill in the server, your username and your password.")
            return
        if not url.startswith(("ws://", "wss://")):
            self.error.setText("The server URL starts with ws:// or wss://.")
            return
        self.error.setText("")
        self.progress.setText(f"Signing in to {url}…")
        self.progress.setVisible(True)
        try:
            await self._sign_in(url, user, password, self.remember.isChecked())
        except Exception as exc:
            self.error.setText(explain(url, exc))
            return
        finally:
            self.progress.setVisible(False)
        self.accept()
