"""The contacts window's list: server-side search as you type, one page at a time.

Typing restarts a short debounce; only then is one `search_contacts` request sent, and a
result for an older query is dropped. Further pages come when the view scrolls to the end
(Qt's `canFetchMore`/`fetchMore`), so no keystroke scans or loads every contact.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from inbox_protocol import Contact
from sync.session import SyncSession

PAGE = 50
DEBOUNCE_MS = 250
ContactRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class ContactListModel(QAbstractListModel):
    """Contacts matching the current query, in the server's order (by name)."""

    # Emitted after each page arrives (or fails, with the message); the window shows state.
    loaded = Signal()
    failed = Signal(str)

    def __init__(self, session: SyncSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.query = ""
        self.contacts: list[Contact] = []
        self.next_cursor: str | None = None
        self.loading = False
        self.requests = 0  # how many searches went to the server (tests count them)
        self._generation = 0
        self._task: asyncio.Task[None] | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)

    # -- Qt model -----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One row per loaded contact."""
        return 0 if parent.isValid() else len(self.contacts)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The contact's name and how to reach them; the Contact itself for ContactRole."""
        if not index.isValid() or index.row() >= len(self.contacts):
            return None
        contact = self.contacts[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            reach = " · ".join(filter(None, (contact.phone, contact.email))) or contact.handle
            rep = self.session.store.member_name(contact.account_rep_id)
            return f"{contact.name}\n{reach}" + (f" · rep {rep}" if rep else "")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return contact.name
        if role == ContactRole:
            return contact
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        """Whether the server has another page for this query."""
        return not parent.isValid() and self.next_cursor is not None and not self.loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        """Load the next page (the view asks when it scrolls to the end)."""
        if self.canFetchMore(parent):
            self._start(self.next_cursor)

    # -- searching ----------------------------------------------------------------------------

    def search(self, query: str) -> None:
        """Search for `query` once typing pauses."""
        self.query = query.strip()
        self._debounce.start()

    def refresh(self) -> None:
        """Search now, from the first page."""
        self._debounce.stop()
        self._start(None)

    def replace(self, contact: Contact) -> None:
        """Show an edited contact in place (or first, when it is new)."""
        for row, known in enumerate(self.contacts):
            if known.id == contact.id:
                self.contacts[row] = contact
                index = self.index(row)
                self.dataChanged.emit(index, index)
                return
        self.beginInsertRows(QModelIndex(), 0, 0)
        self.contacts.insert(0, contact)
        self.endInsertRows()

    def stop(self) -> None:
        """Cancel a search in flight (the window is closing)."""
        self._debounce.stop()
        if self._task is not None:
            self._task.cancel()

    def _start(self, cursor: str | None) -> None:
        self._generation += 1
        if self._task is not None and cursor is None:
            self._task.cancel()
        self.loading = True
        self._task = asyncio.ensure_future(self._load(self._generation, self.query, cursor))

    async def _load(self, generation: int, query: str, cursor: str | None) -> None:
        fields: dict[str, Any] = {"limit": PAGE}
        if query:
            fields["query"] = query
        if cursor:
            fields["cursor"] = cursor
        self.requests += 1
        try:
            result = await self.session.request("search_contacts", **fields)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if generation == self._generation:
                self.loading = False
                self.failed.emit(getattr(exc, "message", None) or str(exc) or "not connected")
            return
        if generation != self._generation:
            return  # a newer search started meanwhile
        page = [Contact.model_validate(c) for c in result["contacts"]]
        self.loading = False
        self.next_cursor = result["next_cursor"]
        if cursor is None:
            self.beginResetModel()
            self.contacts = page
            self.endResetModel()
        elif page:
            first = len(self.contacts)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self.contacts.extend(page)
            self.endInsertRows()
        self.loaded.emit()
