"""The contacts window's form: a contact's fields, its rep and its assignment history."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inbox_protocol import Contact
from sync.session import SyncSession
from sync.store import Change
from ui.contact_list_delegate import HistoryRowDelegate
from ui.history_text import history_lines

PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{1,30}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
PRESENCE_COLOURS = {"online": "#2e9d5b", "away": "#d9a21b", "offline": "#9aa1ab"}


def presence_icon(status: str) -> QIcon:
    """A small filled circle in the presence's colour."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(PRESENCE_COLOURS.get(status, "#9aa1ab")))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


class FieldError(QLabel):
    """The message under a field; hidden while there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.hide()

    def show_message(self, text: str) -> None:
        """Show `text` (or hide when empty)."""
        self.setText(text)
        self.setVisible(bool(text))


class ContactEditor(QWidget):
    """Create or edit one contact; the window decides when to save."""

    save_requested = Signal()

    def __init__(self, session: SyncSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.contact: Contact | None = None
        self.extra_actions: list[QAbstractButton] = []
        self.title = QLabel("New contact", self)
        self.title.setObjectName("conversationTitle")
        self.name = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.phone.setPlaceholderText("+1 555 010 0000")
        self.email = QLineEdit(self)
        self.email.setPlaceholderText("name@example.com")
        self.rep = QComboBox(self)
        self.rep.setAccessibleName("Account rep")
        self.rep.setMinimumContentsLength(18)
        self.priority = QCheckBox("Priority notifications", self)
        self.priority.setToolTip(
            "On: this customer's messages go to the account rep's Priority inbox first."
        )
        self.priority_hint = QLabel(
            "Messages go to the rep's Priority inbox first, while they are online.", self
        )
        self.priority_hint.setObjectName("hint")
        self.priority_hint.setWordWrap(True)
        self.notice = QLabel("", self)
        self.notice.setObjectName("conversationNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.errors = {f: FieldError(self) for f in ("name", "phone", "email", "account_rep_id")}
        for edit, label in ((self.name, "Name"), (self.phone, "Phone"), (self.email, "E-mail")):
            edit.setAccessibleName(label)
            edit.returnPressed.connect(self.save_requested)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, widget, key in (
            ("Name", self.name, "name"),
            ("Phone", self.phone, "phone"),
            ("E-mail", self.email, "email"),
            ("Account rep", self.rep, "account_rep_id"),
        ):
            form.addRow(label, widget)
            form.addRow("", self.errors[key])
        priority_box = QVBoxLayout()
        priority_box.setSpacing(2)
        priority_box.addWidget(self.priority)
        priority_box.addWidget(self.priority_hint)
        form.addRow("", priority_box)
        self.general_error = FieldError(self)
        self.save_button = QPushButton("Create contact", self)
        self.save_button.setDefault(True)
        self.save_button.setObjectName("primaryButton")
        self.save_button.clicked.connect(self.save_requested)
        self.revert_button = QPushButton("Revert", self)
        self.revert_button.clicked.connect(self.revert)
        self.history = QListWidget(self)
        self.history.setAccessibleName("Assignment history")
        self.history.setWordWrap(True)
        self.history.setItemDelegate(HistoryRowDelegate(self.history))
        self.history.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.history.setResizeMode(QListWidget.ResizeMode.Adjust)  # re-wrap on resize
        self.history_title = QLabel("Assignment history", self)
        self.history_title.setObjectName("sectionTitle")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.notice)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addLayout(self.build_actions())
        layout.addWidget(self.history_title)
        layout.addWidget(self.history, 1000)
        # Takes the spare height while the history is hidden (a new contact), so that the
        # form stays at the top instead of spreading out.
        layout.addStretch(1)
        self._unobserve = session.store.observe(self._on_change)
        self.fill_reps()
        self.show_contact(None)

    def build_actions(self) -> QHBoxLayout:
        """The row of contact actions: Save and Revert here; other tools add theirs with
        `add_action` (they appear before Save)."""
        self.action_row = QHBoxLayout()
        self.action_row.addStretch(1)
        self.action_row.addWidget(self.revert_button)
        self.action_row.addWidget(self.save_button)
        return self.action_row

    def add_action(self, button: QAbstractButton) -> None:
        """Add a contact action to the row (shown for existing contacts only)."""
        self.action_row.insertWidget(1, button)
        self.extra_actions.append(button)
        button.setVisible(self.contact is not None)

    def detach(self) -> None:
        """Stop following the store (the window is closing)."""
        with contextlib.suppress(ValueError):  # the session may have let go of observers first
            self._unobserve()

    def _on_change(self, change: Change) -> None:
        if change.kind in ("reset", "presence_changed"):
            self.fill_reps()

    def fill_reps(self) -> None:
        """The rep picker: nobody, then the team's people with their presence."""
        chosen = self.rep.currentData()
        self.rep.clear()
        self.rep.addItem("No account rep", None)
        members = sorted(self.session.store.team.values(), key=lambda m: m.display_name.lower())
        for member in members:
            self.rep.addItem(
                presence_icon(member.status), f"{member.display_name} — {member.status}",
                member.user_id,
            )  # fmt: skip
        self._select_rep(chosen)

    def _select_rep(self, user_id: str | None) -> None:
        index = self.rep.findData(user_id) if user_id else 0
        if index < 0:
            # A rep outside the caller's teams: still shown, by id, so that saving keeps them.
            self.rep.addItem(presence_icon("offline"), self.session.store.member_name(user_id),
                             user_id)  # fmt: skip
            index = self.rep.count() - 1
        self.rep.setCurrentIndex(index)

    def show_contact(
        self, contact: Contact | None, history: list[dict[str, Any]] | None = None
    ) -> None:
        """Fill the form with a contact (None: an empty form for a new one)."""
        self.contact = contact
        self.clear_errors()
        self.title.setText(contact.name if contact else "New contact")
        self.name.setText(contact.name if contact else "")
        self.phone.setText(contact.phone or "" if contact else "")
        self.email.setText(contact.email or "" if contact else "")
        self._select_rep(contact.account_rep_id if contact else None)
        self.priority.setChecked(contact.priority_notifications if contact else False)
        locked = contact is not None and contact.reassignment is not None
        self.notice.setText(
            "Re-assign in progress: a reassignment group is choosing this contact's rep."
        )
        self.notice.setVisible(locked)
        for widget in (self.rep, self.priority):
            widget.setEnabled(not locked)
        self.save_button.setText("Save changes" if contact else "Create contact")
        self.revert_button.setVisible(contact is not None)
        for button in self.extra_actions:
            button.setVisible(contact is not None)
        self.history_title.setVisible(contact is not None)
        self.history.setVisible(contact is not None)
        if history is not None or contact is None:
            self.show_history(history or [])

    def show_history(self, history: list[dict[str, Any]]) -> None:
        """The timeline, newest first."""
        self.history.clear()
        if history or self.contact is not None:
            self.history.addItems(history_lines(history, self.session.store.member_name))

    def revert(self) -> None:
        """Put back the contact as the server last said."""
        self.show_contact(self.contact)

    def clear_errors(self) -> None:
        """Hide every message."""
        for label in self.errors.values():
            label.show_message("")
        self.general_error.show_message("")

    def show_error(self, message: str) -> None:
        """Put a server message next to the field it names (`phone: …`), else below the form."""
        field, _, text = message.partition(": ")
        if field in self.errors and text:
            sentence = text[:1].upper() + text[1:]
            self.errors[field].show_message(sentence if sentence.endswith(".") else sentence + ".")
        else:
            self.general_error.show_message(message)

    def values(self) -> dict[str, Any] | None:
        """The form's fields as the protocol names them, or None (with errors shown) when a
        field is not valid."""
        self.clear_errors()
        name, phone, email = (w.text().strip() for w in (self.name, self.phone, self.email))
        ok = True
        if not name:
            self.errors["name"].show_message("A name is required.")
            ok = False
        if phone and not PHONE.match(phone):
            self.errors["phone"].show_message(
                "Use digits, spaces and ( ) . - only, optionally starting with +."
            )
            ok = False
        if email and not EMAIL.match(email):
            self.errors["email"].show_message("An e-mail address has one @, like ana@example.com.")
            ok = False
        if not ok:
            return None
        return {
            "name": name,
            "phone": phone or None,
            "email": email or None,
            "account_rep_id": self.rep.currentData(),
            "priority_notifications": self.priority.isChecked(),
        }

    def is_dirty(self) -> bool:
        """Whether the form differs from the contact as loaded (without judging the fields)."""
        contact = self.contact
        if contact is None:
            return any(w.text().strip() for w in (self.name, self.phone, self.email))
        return (
            self.name.text().strip() != contact.name
            or self.phone.text().strip() != (contact.phone or "")
            or self.email.text().strip() != (contact.email or "")
            or self.rep.currentData() != contact.account_rep_id
            or self.priority.isChecked() != contact.priority_notifications
        )

    def changes(self, values: dict[str, Any]) -> dict[str, Any]:
        """The fields that differ from the contact as loaded."""
        contact = self.contact
        if contact is None:
            return values
        old = contact.model_dump()
        return {k: v for k, v in values.items() if old.get(k) != v}
