"""Team > Contacts…: find, create and edit contacts, set their rep, read their history.

Supervisors and admins only (the server refuses the rest). Before a rep change that touches
open conversations, the window says what will happen to each and waits for a yes.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from inbox_protocol import Contact
from routing_client.rpc import RequestFailed
from sync.session import SyncSession
from sync.store import Change
from ui.contact_editor import ContactEditor
from ui.contact_list_delegate import ContactRowDelegate
from ui.contact_list_model import ContactListModel, ContactRole
from ui.rep_change_text import affects_anything, rep_change_lines

MIN_SIZE = (720, 480)


class ContactsWindow(QWidget):
    """The contact list with search on the left, the selected contact's form on the right."""

    closed = Signal()

    def __init__(self, session: SyncSession, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Contacts — Agent Inbox")
        self.session = session
        self.resize(980, 640)
        self.setMinimumSize(*MIN_SIZE)
        self.model = ContactListModel(session, self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search contacts")
        self.search.setToolTip("Name, phone number or e-mail address (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search contacts")
        self.search.textChanged.connect(self.model.search)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setAccessibleName("Contacts")
        self.list.setUniformItemSizes(True)
        self.list.setItemDelegate(ContactRowDelegate(session.store.member_name, self.list))
        self.list.selectionModel().currentChanged.connect(self._picked)
        self.state = QLabel("", self)
        self.state.setObjectName("hint")
        self.state.setWordWrap(True)
        self.new_button = QPushButton("New contact", self)
        self.new_button.clicked.connect(self.new_contact)
        self.editor = ContactEditor(session, self)
        self.editor.save_requested.connect(self.save)
        self.warning: QMessageBox | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.model.loaded.connect(self._show_state)
        self.model.failed.connect(self._search_failed)
        self.model.modelReset.connect(self._show_state)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        left_layout.addLayout(top)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.state)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.editor)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self._unobserve = session.store.observe(self._on_change)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_contact)
        self.model.refresh()

    # -- list ---------------------------------------------------------------------------------

    def _on_change(self, change: Change) -> None:
        """A contact changed elsewhere (another supervisor, a reassignment group): show it."""
        if change.kind != "contact_changed" or not isinstance(change.detail, dict):
            return
        contact = Contact.model_validate(change.detail)
        if any(c.id == contact.id for c in self.model.contacts):
            self.model.replace(contact)
        shown = self.editor.contact
        if shown is not None and shown.id == contact.id and not self.editor.is_dirty():
            self._spawn(self.open_contact(contact.id))  # nothing typed over: show the news

    def _show_state(self) -> None:
        rows, query = self.model.rowCount(), self.model.query
        if self.model.loading:
            self.state.setText("Searching…")
        elif rows == 0:
            self.state.setText(
                f"No contacts match '{query}'."
                if query
                else "No contacts yet: create one, or import a CSV file (Team > Import contacts…)."
            )
        else:
            more = " (scroll for more)" if self.model.next_cursor else ""
            self.state.setText(f"{rows} contact{'s' if rows != 1 else ''}{more}")

    def _search_failed(self, message: str) -> None:
        self.state.setText(f"Could not search: {message}")

    def _picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        contact = current.data(ContactRole) if current.isValid() else None
        if isinstance(contact, Contact):
            self._spawn(self.open_contact(contact.id))

    def new_contact(self) -> None:
        """An empty form for a new contact."""
        self.list.clearSelection()
        self.editor.show_contact(None)
        self.editor.name.setFocus()

    async def open_contact(self, contact_id: str) -> None:
        """Load a contact with its history into the form."""
        try:
            result = await self.session.request("get_contact", contact_id=contact_id)
        except Exception as exc:
            self.editor.show_error(getattr(exc, "message", None) or str(exc) or "not connected")
            return
        self.editor.show_contact(Contact.model_validate(result["contact"]), result["history"])

    # -- saving -------------------------------------------------------------------------------

    @asyncSlot()
    async def save(self) -> None:
        """Create or update the contact in the form (asking first before a rep change that
        touches open conversations)."""
        await self.save_now()

    async def save_now(self) -> bool:
        """Save; returns whether the server took it (False also while a warning waits)."""
        values = self.editor.values()
        if values is None:
            return False
        contact = self.editor.contact
        if contact is None:
            return await self._commit("create_contact", values)
        patch = self.editor.changes(values)
        if not patch:
            self.editor.general_error.show_message("Nothing to save: no field changed.")
            return False
        if "account_rep_id" in patch or "priority_notifications" in patch:
            try:
                result = await self.session.request(
                    "preview_rep_change", contact_id=contact.id,
                    account_rep_id=values["account_rep_id"],
                    priority_notifications=values["priority_notifications"],
                )  # fmt: skip
            except Exception as exc:
                self.editor.show_error(getattr(exc, "message", None) or str(exc))
                return False
            preview = result["preview"]
            if preview["changes_routing"] and affects_anything(preview):
                self._ask(preview, values["account_rep_id"], contact.id, patch)
                return False
        return await self._commit("update_contact", {"contact_id": contact.id, **patch})

    def _ask(self, preview: dict[str, Any], rep_id: str | None, contact_id: str,
             patch: dict[str, Any]) -> None:  # fmt: skip
        """Say what the rep change does to each open conversation; save on Change rep."""
        name = self.session.store.member_name
        new_rep = name(rep_id) if rep_id else None
        box = QMessageBox(QMessageBox.Icon.Warning, "Change the account rep?", "", parent=self)
        box.setText(
            f"{self.editor.contact.name if self.editor.contact else 'This contact'} has open "
            "conversations. Changing the rep will:"
        )
        box.setInformativeText("\n".join(rep_change_lines(preview, new_rep, name)))
        change = box.addButton("Change rep", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def done() -> None:
            if box.clickedButton() is change:
                self._spawn(self._commit("update_contact", {"contact_id": contact_id, **patch}))
            self.warning = None

        box.finished.connect(done)
        self.warning = box
        box.open()

    async def _commit(self, command: str, fields: dict[str, Any]) -> bool:
        try:
            result = await self.session.request(command, **fields)
        except RequestFailed as exc:
            self.editor.show_error(exc.message)
            return False
        except Exception as exc:
            self.editor.show_error(f"Not saved: {str(exc) or 'not connected'}")
            return False
        contact = Contact.model_validate(result["contact"])
        self.model.replace(contact)
        await self.open_contact(contact.id)
        return True

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop searching and loading; the window goes with its tasks."""
        with contextlib.suppress(ValueError):  # the session may have let go of observers first
            self._unobserve()
        self.editor.detach()
        self.model.stop()
        for task in list(self._tasks):
            task.cancel()
        self.closed.emit()
        super().closeEvent(event)
