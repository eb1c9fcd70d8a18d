"""Reassign via group…: a supervisor picks a reassignment group for a contact, confirms, and the
group starts offering the contact (`reassign_contact`).

`open_reassign_dialog` is the one entry point, so any screen that shows a contact (the contact
panel, the contacts window) offers the same dialog. `ReassignStrip` is the piece a contact view
embeds: the "Re-assign in progress" notice and the button, shown only to supervisors and admins.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from inbox_protocol import Contact, Group
from sync.session import SyncSession
from ui.dialog_support import OwnedTasks, error_text
from ui.duration_box import format_duration
from ui.group_editor import METHODS
from ui.menus import role_at_least

NO_GROUPS = ("No reassignment groups yet. An admin creates them in "
             "Admin > Reassignment groups….")  # fmt: skip


def names(name_of: Callable[[str], str], user_ids: list[str]) -> str:
    """Display names, joined for a sentence ("Ana, Ben and Cleo")."""
    found = [name_of(uid) for uid in user_ids]
    if len(found) <= 1:
        return "".join(found)
    return ", ".join(found[:-1]) + f" and {found[-1]}"


def plan(name_of: Callable[[str], str], contact: Contact, group: Group) -> str:
    """What starting `group` for `contact` will do, in a few sentences."""
    who = names(name_of, group.member_ids)
    each = format_duration(group.offer_seconds)
    default = name_of(group.default_assignee_id)
    if group.method == "first_to_claim":
        how = f"{who} will all be offered {contact.name} at once, for {each}"
    elif group.method == "least_open":
        how = (f"{who} will be offered {contact.name} one at a time, fewest open conversations "
               f"first, {each} each")  # fmt: skip
    else:
        how = f"{who} will be offered {contact.name} one at a time, in turn, {each} each"
    return (f"{how}; members who are not online are skipped. If nobody accepts, {default} "
            f"becomes the account rep. Until it is done, {contact.name}'s rep cannot be changed "
            "by hand.")  # fmt: skip


class ReassignDialog(QDialog):
    """Choose a group, confirm, start; the dialog closes once the server has started it."""

    started = Signal(dict)  # the contact, with its reassignment set

    def __init__(self, session: SyncSession, contact: Contact, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"Reassign {contact.name}")
        self.setMinimumWidth(460)
        self.session = session
        self.contact = contact
        self.tasks = OwnedTasks(self)
        self.groups: dict[str, Group] = {}
        self.people: dict[str, str] = {}
        rep = session.store.member_name(contact.account_rep_id) or "nobody"

        self.group = QComboBox(self)
        self.group.setAccessibleName("Reassignment group")
        self.group.currentIndexChanged.connect(self._chosen)
        self.summary = QLabel("Loading the groups…", self)
        self.summary.setObjectName("hint")
        self.summary.setWordWrap(True)
        choose = QWidget(self)
        form = QFormLayout(choose)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Contact", QLabel(contact.name, self))
        form.addRow("Account rep now", QLabel(rep, self))
        form.addRow("Group", self.group)
        form.addRow("", self.summary)
        self.confirm_text = QLabel("", self)
        self.confirm_text.setWordWrap(True)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(choose)
        self.pages.addWidget(self.confirm_text)

        self.error = QLabel("", self)
        self.error.setObjectName("dialogError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.back_button = QPushButton("Back", self)
        self.back_button.clicked.connect(lambda: self._page(0))
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.reject)
        self.next_button = QPushButton("Reassign…", self)
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(lambda: self._page(1))
        self.start_button = QPushButton("Start reassignment", self)
        self.start_button.setObjectName("primaryButton")
        self.start_button.clicked.connect(lambda: self.tasks.spawn(self.start()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        for button in (self.cancel_button, self.next_button, self.start_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self._page(0)
        self.next_button.setEnabled(False)
        self.tasks.spawn(self.load())

    async def load(self) -> None:
        """Fetch the groups to choose from."""
        try:
            users = await self.session.request("list_users")
            result = await self.session.request("list_groups")
        except Exception as exc:
            self._fail(error_text(exc))
            return
        self.people = {u["id"]: u["display_name"] for u in users["users"]}
        self.groups = {g["id"]: Group.model_validate(g) for g in result["groups"]}
        self.group.clear()
        for group in self.groups.values():
            self.group.addItem(group.name, group.id)
        if not self.groups:
            self.summary.setText(NO_GROUPS)
        self.group.setEnabled(bool(self.groups))
        self._chosen()

    def name_of(self, user_id: str) -> str:
        """A user's display name."""
        return self.people.get(user_id) or self.session.store.member_name(user_id)

    def chosen(self) -> Group | None:
        """The group picked in the box."""
        return self.groups.get(self.group.currentData())

    def _chosen(self) -> None:
        group = self.chosen()
        self.next_button.setEnabled(group is not None)
        if group is None:
            return
        method = next(label for value, label, _ in METHODS if value == group.method)
        self.summary.setText(
            f"{method}, offers of {format_duration(group.offer_seconds)} to "
            f"{names(self.name_of, group.member_ids)}; default: "
            f"{self.name_of(group.default_assignee_id)}."
        )

    def _page(self, index: int) -> None:
        group = self.chosen()
        if index == 1 and group is not None:
            self.confirm_text.setText(
                f"<b>Start reassigning {self.contact.name} through “{group.name}”?</b><br><br>"
                + plan(self.name_of, self.contact, group)
            )
        self.pages.setCurrentIndex(index)
        self.back_button.setVisible(index == 1)
        self.next_button.setVisible(index == 0)
        self.start_button.setVisible(index == 1)
        if index == 1:
            self.start_button.setFocus()

    async def start(self) -> bool:
        """Ask the server to start the group; close on success, say why otherwise."""
        group = self.chosen()
        if group is None:
            return False
        self.error.hide()
        self.start_button.setEnabled(False)
        try:
            result = await self.session.request(
                "reassign_contact", contact_id=self.contact.id, group_id=group.id
            )
        except Exception as exc:
            self._fail(error_text(exc))
            self.start_button.setEnabled(True)
            return False
        self.started.emit(result["contact"])
        self.accept()
        return True

    def _fail(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


def open_reassign_dialog(
    session: SyncSession, contact: Contact, parent: QWidget | None = None
) -> ReassignDialog:
    """Show the Reassign via group… dialog for a contact (non-modal)."""
    dialog = ReassignDialog(session, contact, parent)
    dialog.show()
    return dialog


class ReassignStrip(QWidget):
    """For a contact view: "Re-assign in progress" while a group chooses, and the button that
    starts one (supervisors and admins only)."""

    def __init__(self, session: SyncSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.contact: Contact | None = None
        self.dialog: ReassignDialog | None = None
        self.in_progress = QLabel("", self)
        self.in_progress.setObjectName("dialogNotice")
        self.in_progress.setWordWrap(True)
        self.in_progress.hide()
        self.button = QPushButton("Reassign via group…", self)
        self.button.setAccessibleName("Reassign via group")
        self.button.clicked.connect(self.open_dialog)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.in_progress)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        self.show_contact(None)

    def show_contact(self, contact: Contact | None) -> None:
        """Follow the shown contact (None: no contact)."""
        self.contact = contact
        me = self.session.store.me
        may = role_at_least(me.role if me else None, "supervisor")
        busy = contact is not None and contact.reassignment is not None
        self.button.setVisible(may and contact is not None)
        self.button.setEnabled(not busy)
        self.button.setToolTip("A group is already choosing this contact's rep." if busy else
                               "Let a reassignment group choose a new account rep.")  # fmt: skip
        if busy and contact is not None and contact.reassignment is not None:
            offered = contact.reassignment.offered_to
            text = "Re-assign in progress"
            if offered:
                text += f": offered to {names(self.session.store.member_name, offered)}"
            self.in_progress.setText(text + ".")
        self.in_progress.setVisible(busy)

    def open_dialog(self) -> ReassignDialog | None:
        """Open the dialog for the shown contact."""
        if self.contact is None:
            return None
        self.dialog = open_reassign_dialog(self.session, self.contact, self.window())
        self.dialog.started.connect(self._started)
        return self.dialog

    def _started(self, raw: dict[str, object]) -> None:
        self.show_contact(Contact.model_validate(raw))
