"""Admin > Reassignment groups…: the list of groups and an editor; create, edit, delete.

Deleting asks first, inside the window (a strip with the consequences and two buttons), rather
than in a modal box: the window stays readable while deciding.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from inbox_protocol import Group, User
from sync.session import SyncSession
from ui.dialog_support import OwnedTasks, error_text
from ui.duration_box import format_duration
from ui.group_editor import METHODS, GroupEditor

EMPTY_TEXT = (
    "No reassignment groups yet.\n\nA group hands a contact to a new account rep: a supervisor "
    "picks the group, its members are offered the contact, and the default assignee takes it "
    "if nobody accepts."
)


def describe(group: Group) -> str:
    """One line about a group for the list: method, size, offer time."""
    method = next(label for value, label, _ in METHODS if value == group.method)
    count = len(group.member_ids)
    return (f"{group.name}\n{method} · {count} member{'s' if count != 1 else ''} · "
            f"offers last {format_duration(group.offer_seconds)}")  # fmt: skip


class GroupsWindow(QDialog):
    """Lists the reassignment groups and edits one at a time."""

    def __init__(self, session: SyncSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Reassignment groups")
        self.setModal(False)
        self.resize(860, 560)
        self.setMinimumSize(720, 520)
        self.session = session
        self.tasks = OwnedTasks(self)
        self.groups: dict[str, Group] = {}
        self.users: dict[str, User] = {}

        self.list = QListWidget(self)
        self.list.setAccessibleName("Groups")
        self.list.setWordWrap(True)
        self.list.currentItemChanged.connect(lambda *_: self._picked())
        self.new_button = QPushButton("New group", self)
        self.new_button.clicked.connect(self.new_group)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setToolTip("Show changes other admins made since this opened")
        self.refresh_button.clicked.connect(self.refresh)
        self.empty = QLabel(EMPTY_TEXT, self)
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.editor = GroupEditor(self)
        self.editor.edited.connect(self._edited)
        self.heading = QLabel("", self)
        self.heading.setObjectName("conversationTitle")
        self.save_button = QPushButton("Save", self)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda: self.tasks.spawn(self.save()))
        self.revert_button = QPushButton("Revert", self)
        self.revert_button.clicked.connect(self._revert)
        self.delete_button = QPushButton("Delete…", self)
        self.delete_button.clicked.connect(self.ask_delete)
        self.status = QLabel("", self)
        self.status.setObjectName("hint")
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.status.setWordWrap(True)
        self.error = QLabel("", self)
        self.error.setObjectName("dialogError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.confirm = QWidget(self)
        self.confirm_text = QLabel("", self.confirm)
        self.confirm_text.setObjectName("dialogNotice")
        self.confirm_text.setWordWrap(True)
        self.confirm_yes = QPushButton("Delete group", self.confirm)
        self.confirm_yes.clicked.connect(lambda: self.tasks.spawn(self.delete()))
        self.confirm_no = QPushButton("Keep it", self.confirm)
        self.confirm_no.clicked.connect(self.confirm.hide)
        confirm_layout = QHBoxLayout(self.confirm)
        confirm_layout.setContentsMargins(0, 0, 0, 0)
        confirm_layout.addWidget(self.confirm_text, 1)
        confirm_layout.addWidget(self.confirm_yes)
        confirm_layout.addWidget(self.confirm_no)
        self.confirm.hide()
        self._lay_out()
        self._show_nothing()
        self.tasks.spawn(self.reload())

    def _lay_out(self) -> None:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        left_buttons = QHBoxLayout()
        left_buttons.addWidget(self.new_button, 1)
        left_buttons.addWidget(self.refresh_button)
        left_layout.addLayout(left_buttons)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.editor, 1)
        right_layout.addWidget(self.confirm)
        right_layout.addWidget(self.error)
        right_layout.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        right_layout.addLayout(buttons)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.empty)
        self.pages.addWidget(right)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.pages)
        split.setStretchFactor(1, 1)
        left.setMinimumWidth(190)
        split.setSizes([250, 610])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    # -- loading --------------------------------------------------------------------------------

    async def reload(self, select: str | None = None) -> None:
        """Fetch the groups and the people, then show the list (selecting `select`)."""
        try:
            users = await self.session.request("list_users")
            groups = await self.session.request("list_groups")
        except Exception as exc:
            self._fail(error_text(exc))
            return
        self.users = {u["id"]: User.model_validate(u) for u in users["users"]}
        self.editor.set_people(list(self.users.values()))
        self.groups = {g["id"]: Group.model_validate(g) for g in groups["groups"]}
        self.list.blockSignals(True)
        self.list.clear()
        for group in self.groups.values():
            item = QListWidgetItem(describe(group))
            item.setData(Qt.ItemDataRole.UserRole, group.id)
            self.list.addItem(item)
            if group.id == select:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if select is not None and select in self.groups:
            self._show(self.groups[select])
        elif self.groups:
            self.list.setCurrentRow(0)
            self._picked()
        else:
            self._show_nothing()

    def refresh(self) -> None:
        """Load the groups again, keeping the one in the editor selected."""
        self.tasks.spawn(self.reload(select=self.editor.group_id))

    # -- showing --------------------------------------------------------------------------------

    def _show_nothing(self) -> None:
        self.pages.setCurrentIndex(0)

    def _show(self, group: Group | None) -> None:
        self.pages.setCurrentIndex(1)
        self.confirm.hide()
        self.error.hide()
        self.editor.show_group(group)
        self.heading.setText(group.name if group else "New group")
        self.save_button.setText("Save changes" if group else "Create group")
        self.delete_button.setVisible(group is not None)
        self._edited()

    def _picked(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._show(self.groups.get(str(item.data(Qt.ItemDataRole.UserRole))))

    def select(self, group_id: str) -> None:
        """Show one group in the editor."""
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == group_id:
                self.list.setCurrentRow(i)

    def new_group(self) -> None:
        """Start a new group in the editor."""
        self.list.clearSelection()
        self.list.setCurrentRow(-1)
        self._show(None)
        self.editor.name.setFocus()

    def _edited(self) -> None:
        dirty = self.editor.dirty()
        problem = self.editor.problem()
        creating = self.editor.group_id is None
        self.save_button.setEnabled((dirty or creating) and problem is None)
        self.revert_button.setEnabled(dirty)
        # Unsaved edits are never dropped by a click elsewhere: the list waits for Save/Revert.
        self.list.setEnabled(not dirty)
        self.new_button.setEnabled(not dirty)
        self.refresh_button.setEnabled(not dirty)
        if problem and (dirty or not creating):
            self.status.setText(problem)
        elif dirty:
            self.status.setText("Unsaved changes — save or revert to pick another group.")
        else:
            self.status.setText("")

    def _revert(self) -> None:
        group_id = self.editor.group_id
        self._show(self.groups.get(group_id) if group_id else None)
        if group_id is None and self.groups:
            self.list.setCurrentRow(0)
            self._picked()
        elif group_id is None:
            self._show_nothing()

    # -- saving and deleting --------------------------------------------------------------------

    async def save(self) -> bool:
        """Create or edit the group in the editor; the list follows the server's answer."""
        problem = self.editor.problem()
        if problem:
            self._fail(problem)
            return False
        self.error.hide()
        self.save_button.setEnabled(False)
        try:
            result = await self.session.request("save_group", group=self.editor.values())
        except Exception as exc:
            self._fail(error_text(exc))
            self._edited()
            return False
        group = Group.model_validate(result["group"])
        self.groups[group.id] = group
        self.editor.show_group(group)  # not dirty any more: the list may change selection
        await self.reload(select=group.id)
        self.status.setText(f"Saved “{group.name}”.")
        return True

    def ask_delete(self) -> None:
        """Ask, inside the window, whether to delete the group in the editor."""
        group = self.groups.get(self.editor.group_id or "")
        if group is None:
            return
        self.confirm_text.setText(
            f"Delete “{group.name}”? Supervisors will no longer be able to reassign contacts "
            "through it. (A group that is choosing a rep for a contact right now cannot be "
            "deleted until it is done.)"
        )
        self.confirm.show()
        self.confirm_no.setFocus()

    async def delete(self) -> bool:
        """Delete the group in the editor (after `ask_delete`)."""
        group_id = self.editor.group_id
        if group_id is None:
            return False
        self.confirm.hide()
        try:
            await self.session.request("delete_group", group_id=group_id)
        except Exception as exc:
            self._fail(error_text(exc))
            return False
        name = self.groups.pop(group_id).name
        self.editor.show_group(None)
        await self.reload()
        self.status.setText(f"Deleted “{name}”.")
        return True

    def _fail(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
