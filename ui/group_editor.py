"""The form for one reassignment group: name, members, default assignee, method, offer time."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from inbox_protocol import Group, User
from ui.duration_box import DurationBox

OFFER_BOUNDS = (5, 86_400)
DEFAULT_OFFER = 600
METHODS = (
    ("round_robin", "Round robin", "One member at a time, in turn; the next offer goes to the "
     "member after the one offered last."),
    ("least_open", "Least open", "One member at a time, the one with the fewest open "
     "conversations first."),
    ("first_to_claim", "First to claim", "Every available member at once; the first to accept "
     "gets the contact."),
)  # fmt: skip


class GroupEditor(QWidget):
    """Edits one group (or a new one); `edited` whenever a field changes."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group_id: str | None = None
        self._shown: dict[str, Any] = {}
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Group name")
        self.name.setPlaceholderText("e.g. Key accounts")
        self.name.setMaxLength(200)
        self.members = QListWidget(self)
        self.members.setAccessibleName("Members")
        self.members.setMinimumHeight(96)
        self.default = QComboBox(self)
        self.default.setAccessibleName("Default assignee")
        self.method = QComboBox(self)
        self.method.setAccessibleName("Method")
        for value, label, _ in METHODS:
            self.method.addItem(label, value)
        self.method_hint = self._hint("")
        self.offer = DurationBox(*OFFER_BOUNDS, step=60, parent=self)
        self.offer.setAccessibleName("Offer time")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Name", self.name)
        form.addRow("Members", self.members)
        form.addRow("", self._hint("The members a contact is offered to. Members who are not "
                                   "online when their turn comes are skipped."))  # fmt: skip
        form.addRow("Default assignee", self.default)
        form.addRow("", self._hint("Becomes the rep when every member has passed or let the "
                                   "offer run out."))  # fmt: skip
        form.addRow("Method", self.method)
        form.addRow("", self.method_hint)
        form.addRow("Offer time", self.offer)
        form.addRow("", self._hint(f"How long each offer stays open ({self.offer.bounds_text()}) "
                                   "before it moves on."))  # fmt: skip
        self.name.textEdited.connect(self.edited)
        self.members.itemChanged.connect(lambda _: self.edited.emit())
        self.default.activated.connect(lambda _: self.edited.emit())
        self.method.currentIndexChanged.connect(self._method_changed)
        self.offer.valueChanged.connect(lambda _: self.edited.emit())
        self._method_changed()

    def _hint(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName("hint")
        label.setWordWrap(True)
        return label

    def _method_changed(self) -> None:
        value = self.method.currentData()
        self.method_hint.setText(next(h for v, _, h in METHODS if v == value))
        self.edited.emit()

    def set_people(self, users: list[User]) -> None:
        """The people who can be members or the default assignee (gateways are not)."""
        people = sorted((u for u in users if u.role != "integration"),
                        key=lambda u: u.display_name.lower())  # fmt: skip
        self.members.clear()
        self.default.clear()
        self.default.addItem("Choose who…", None)
        for user in people:
            item = QListWidgetItem(f"{user.display_name}  ({user.username}, {user.role})")
            item.setData(Qt.ItemDataRole.UserRole, user.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.members.addItem(item)
            self.default.addItem(user.display_name, user.id)

    def show_group(self, group: Group | None) -> None:
        """Fill the form with a group, or empty it for a new one."""
        self.blockSignals(True)
        self.group_id = group.id if group else None
        self.name.setText(group.name if group else "")
        chosen = set(group.member_ids) if group else set()
        for i in range(self.members.count()):
            item = self.members.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        index = self.default.findData(group.default_assignee_id) if group else 0
        self.default.setCurrentIndex(max(index, 0))
        self.method.setCurrentIndex(self.method.findData(group.method if group else "round_robin"))
        self.offer.setValue(group.offer_seconds if group else DEFAULT_OFFER)
        self.blockSignals(False)
        self._shown = self.values()

    def member_ids(self) -> list[str]:
        """The ticked members, in list order."""
        return [
            str(self.members.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.members.count())
            if self.members.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_member(self, user_id: str, on: bool) -> None:
        """Tick or untick one member."""
        for i in range(self.members.count()):
            item = self.members.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == user_id:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def values(self) -> dict[str, Any]:
        """The form as a `save_group` group (with `id` when editing)."""
        group: dict[str, Any] = {
            "name": self.name.text().strip(),
            "member_ids": self.member_ids(),
            "default_assignee_id": self.default.currentData(),
            "method": self.method.currentData(),
            "offer_seconds": self.offer.value(),
        }
        if self.group_id is not None:
            group["id"] = self.group_id
        return group

    def dirty(self) -> bool:
        """Whether the form differs from what it last showed."""
        return self.values() != self._shown

    def problem(self) -> str | None:
        """What must be fixed before saving, in one sentence (None when it can be saved)."""
        values = self.values()
        if not values["name"]:
            return "Give the group a name."
        if not values["member_ids"]:
            return "Tick at least one member."
        if values["default_assignee_id"] is None:
            return "Choose the default assignee."
        return None
