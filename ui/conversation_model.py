"""A Qt list model over the store's conversations, filtered for one pane.

Store changes become row inserts, removes and `dataChanged` for single rows — never a reset per
event (a snapshot is the one reset). Rows are ordered oldest first, the order agents work in.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from inbox_protocol import Conversation
from sync.store import Change, Store

Index = QModelIndex | QPersistentModelIndex
Accept = Callable[[Conversation, str | None], bool]


class Role(IntEnum):
    """Custom data roles of a conversation row."""

    ConversationId = Qt.ItemDataRole.UserRole + 1
    Preview = Qt.ItemDataRole.UserRole + 2
    SecondsToShare = Qt.ItemDataRole.UserRole + 3
    Unread = Qt.ItemDataRole.UserRole + 4
    Channel = Qt.ItemDataRole.UserRole + 5
    State = Qt.ItemDataRole.UserRole + 6
    LastAt = Qt.ItemDataRole.UserRole + 7
    ContactId = Qt.ItemDataRole.UserRole + 8


def in_priority(conv: Conversation, me: str | None) -> bool:
    """The Priority pane: priority conversations for me."""
    return conv.state == "priority" and conv.assigned_to == me


def in_shared(conv: Conversation, me: str | None) -> bool:
    """The Shared pane: the team's unclaimed conversations."""
    return conv.state == "shared"


def in_mine(conv: Conversation, me: str | None) -> bool:
    """The Mine pane: conversations I claimed."""
    return conv.state == "claimed" and conv.assigned_to == me


def _key(conv: Conversation) -> tuple[float, str]:
    return (conv.created_at.timestamp(), conv.id)


class ConversationListModel(QAbstractListModel):
    """The conversations of one pane, kept in step with the store row by row."""

    def __init__(
        self,
        store: Store,
        accept: Accept,
        parent: QObject | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._accept = accept
        self._clock = clock
        self._keys: list[tuple[float, str]] = []
        # Each row's sort key by conversation id: finding a row is a bisection, not a scan.
        self._key_of: dict[str, tuple[float, str]] = {}
        # Unread per row and their sum, kept in step with each change (no recount per event).
        self._unread_of: dict[str, int] = {}
        self._unread_total = 0
        # True while a row is being removed: views can tell a highlight that moves because its
        # row went away from one the user moved.
        self.removing = False
        self._rebuild()
        self._unobserve = store.observe(self._on_change)

    def detach(self) -> None:
        """Stop following the store."""
        self._unobserve()

    # -- following the store ------------------------------------------------------------------

    def _me(self) -> str | None:
        return self._store.me.id if self._store.me else None

    def _rebuild(self) -> None:
        me = self._me()
        self._key_of = {
            c.id: _key(c) for c in self._store.conversations.values() if self._accept(c, me)
        }
        self._keys = sorted(self._key_of.values())
        convs = self._store.conversations
        self._unread_of = {cid: convs[cid].unread for cid in self._key_of}
        self._unread_total = sum(self._unread_of.values())

    def _row_of(self, conv_id: str) -> int | None:
        key = self._key_of.get(conv_id)
        return None if key is None else bisect.bisect_left(self._keys, key)

    def _on_change(self, change: Change) -> None:
        if change.kind == "reset":
            self.beginResetModel()
            self._rebuild()
            self.endResetModel()
            return
        if change.kind not in ("conversation_added", "conversation_changed",
                               "conversation_removed", "messages_changed"):  # fmt: skip
            return
        conv_id = change.key or ""
        row = self._row_of(conv_id)
        conv = self._store.conversations.get(conv_id)
        wanted = conv is not None and self._accept(conv, self._me())
        if row is not None and not wanted:
            self.removing = True
            try:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._keys[row]
                del self._key_of[conv_id]
                self._unread_total -= self._unread_of.pop(conv_id, 0)
                self.endRemoveRows()
            finally:
                self.removing = False
        elif row is None and wanted and conv is not None:
            key = _key(conv)
            at = bisect.bisect(self._keys, key)
            self.beginInsertRows(QModelIndex(), at, at)
            self._keys.insert(at, key)
            self._key_of[conv_id] = key
            self._unread_of[conv_id] = conv.unread
            self._unread_total += conv.unread
            self.endInsertRows()
        elif row is not None:
            if conv is not None:
                self._unread_total += conv.unread - self._unread_of.get(conv_id, 0)
                self._unread_of[conv_id] = conv.unread
            index = self.index(row)
            self.dataChanged.emit(index, index)

    def tick(self) -> None:
        """Countdowns moved on: repaint the rows that show one."""
        rows = [r for r, (_, cid) in enumerate(self._keys)
                if (c := self._store.conversations.get(cid)) and c.share_at]  # fmt: skip
        if rows:
            self.dataChanged.emit(self.index(rows[0]), self.index(rows[-1]),
                                  [Role.SecondsToShare, Qt.ItemDataRole.DisplayRole])  # fmt: skip

    # -- the model ----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Rows (a flat list)."""
        return 0 if parent.isValid() else len(self._keys)

    def conversation_id(self, row: int) -> str:
        """The id of the conversation in `row`."""
        return self._keys[row][1]

    def unread(self) -> int:
        """Unread messages over the pane's conversations (kept up to date, not recounted)."""
        return self._unread_total

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """What a view shows for a row."""
        if not index.isValid() or not 0 <= index.row() < len(self._keys):
            return None
        conv = self._store.conversations.get(self._keys[index.row()][1])
        if conv is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return conv.contact.name
        if role == Role.ConversationId:
            return conv.id
        if role == Role.Preview:
            return conv.last_message.preview if conv.last_message else ""
        if role == Role.SecondsToShare:
            if conv.share_at is None:
                return None
            return max(0, int(conv.share_at.timestamp() - self._clock()))
        if role == Role.Unread:
            return conv.unread
        if role == Role.Channel:
            return conv.channel
        if role == Role.State:
            return conv.state
        if role == Role.LastAt:
            return conv.last_message.at if conv.last_message else conv.updated_at
        if role == Role.ContactId:
            return conv.contact.id
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            preview = conv.last_message.preview if conv.last_message else ""
            return f"{conv.contact.name} ({conv.channel}), {conv.unread} unread: {preview}"
        return None
