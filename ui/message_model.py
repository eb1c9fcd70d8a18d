"""The rows of an open conversation: messages, routing steps inline, and day separators.

`build_rows` turns the store's thread and the routing timeline into rows (pure, no Qt);
`MessageListModel` holds them and applies a new list as row inserts and `dataChanged` where it
can — a reply arriving or a delivery state changing never resets the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import IntEnum
from typing import Any, Literal

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from inbox_protocol import Message, TimelineEntry
from sync.store import PendingReply
from ui.timeline_text import clock, describe

Index = QModelIndex | QPersistentModelIndex
Kind = Literal["day", "step", "in", "out"]
# What each delivery state says in words (copied text, tooltips, accessibility).
DELIVERY_WORDS = {
    "pending": "sending",
    "sent": "sent",
    "delivered": "delivered",
    "failed": "not delivered",
    "queued": "queued — sends when you are back online",
}
# Bubbles this close in time from the same author read as one group.
GROUP_WITHIN = timedelta(minutes=3)
# Marks the bundled font (DejaVu Sans) has, for the copied transcript: no emoji.
DELIVERY_MARK = {"pending": "…", "sent": "✓", "delivered": "✓✓", "failed": "✗", "queued": "…"}


@dataclass(frozen=True)
class MessageRow:
    """One row of the message list."""

    key: str
    kind: Kind
    text: str
    at: datetime
    author: str = ""
    delivery: str | None = None
    # False when the next bubble continues this one (same side, author and state, soon after):
    # the group shows its time and state once, under its last bubble.
    meta_shown: bool = True

    def meta(self) -> str:
        """The small line under a bubble: who and when (the delivery state is an icon)."""
        when = clock(self.at)
        return f"{self.author} · {when}" if self.author else when

    def plain(self) -> str:
        """The row as text, for copying and for assistive technology."""
        if self.kind == "day":
            return f"— {self.text} —"
        if self.kind == "step":
            return f"{clock(self.at)}  {self.text}"
        state = ""
        if self.delivery:
            state = f" · {DELIVERY_MARK[self.delivery]} {DELIVERY_WORDS[self.delivery]}"
        return f"{self.meta()}{state}\n{self.text}"


def day_label(day: datetime, now: datetime) -> str:
    """A day separator's words: "Today", "Yesterday" or "Monday 23 November"."""
    local, today = day.astimezone().date(), now.astimezone().date()
    if local == today:
        return "Today"
    if local == today - timedelta(days=1):
        return "Yesterday"
    year = "" if local.year == today.year else f" {local.year}"
    return f"{local.strftime('%A')} {local.day} {local.strftime('%B')}{year}"


def build_rows(
    thread: Sequence[Message | PendingReply],
    timeline: Sequence[TimelineEntry],
    names: dict[str, str],
    me: str | None,
    contact: str,
    connected: bool,
    now: datetime,
) -> list[MessageRow]:
    """Messages and routing steps in time order, a separator before each new day."""
    items: list[tuple[datetime, int, MessageRow]] = []
    for item in thread:
        if isinstance(item, PendingReply):
            # Not acknowledged yet: on its way while connected, waiting for the link otherwise.
            state = "pending" if connected else "queued"
            row = MessageRow(f"c:{item.client_msg_id}", "out", item.body, item.at, "You", state)
        elif item.direction == "out":
            author = "You" if item.author_id == me else names.get(item.author_id or "", "")
            key = f"c:{item.client_msg_id}" if item.client_msg_id else f"m:{item.id}"
            row = MessageRow(key, "out", item.body, item.at, author or "Teammate", item.delivery)
        else:
            row = MessageRow(f"m:{item.id}", "in", item.body, item.at, contact)
        items.append((item.at, 0, row))
    for i, entry in enumerate(timeline):
        # describe() leads with the time; the row shows the time itself.
        text = describe(entry, names, me).split("  ", 1)[-1]
        items.append(
            (entry.at, 1, MessageRow(f"s:{i}:{entry.at.isoformat()}", "step", text, entry.at))
        )
    items.sort(key=lambda t: (t[0], t[1]))
    rows: list[MessageRow] = []
    last_day = None
    for at, _, row in items:
        day = at.astimezone().date()
        if day != last_day:
            rows.append(MessageRow(f"d:{day.isoformat()}", "day", day_label(at, now), at))
            last_day = day
        rows.append(row)
    return _grouped(rows)


def _grouped(rows: list[MessageRow]) -> list[MessageRow]:
    out = list(rows)
    for i in range(len(out) - 1):
        here, after = out[i], out[i + 1]
        if (here.kind in ("in", "out") and after.kind == here.kind
                and after.author == here.author and after.delivery == here.delivery
                and after.at - here.at <= GROUP_WITHIN):  # fmt: skip
            out[i] = replace(here, meta_shown=False)
    return out


class MessageRole(IntEnum):
    """Custom data roles of a message row."""

    Row = Qt.ItemDataRole.UserRole + 1
    Kind = Qt.ItemDataRole.UserRole + 2
    Delivery = Qt.ItemDataRole.UserRole + 3


class MessageListModel(QAbstractListModel):
    """The rows of the open conversation."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[MessageRow] = []
        self._conversation: str | None = None

    def set_rows(self, conversation_id: str | None, rows: list[MessageRow]) -> None:
        """Show `rows`: appended rows are inserts and changed rows `dataChanged`; another
        conversation, or rows that are not the old ones plus more, are a reset."""
        old = self._rows
        same = conversation_id == self._conversation and len(rows) >= len(old)
        if not same or [r.key for r in old] != [r.key for r in rows[: len(old)]]:
            self.beginResetModel()
            self._rows, self._conversation = list(rows), conversation_id
            self.endResetModel()
            return
        self._rows = list(rows[: len(old)])
        for i, (was, now) in enumerate(zip(old, self._rows, strict=True)):
            if was != now:
                self.dataChanged.emit(self.index(i), self.index(i))
        if len(rows) > len(old):
            self.beginInsertRows(QModelIndex(), len(old), len(rows) - 1)
            self._rows = list(rows)
            self.endInsertRows()

    def rows(self) -> list[MessageRow]:
        """The rows shown, oldest first."""
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Rows (a flat list)."""
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """What the delegate paints for a row."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == MessageRole.Row:
            return row
        if role == MessageRole.Kind:
            return row.kind
        if role == MessageRole.Delivery:
            return row.delivery
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.plain()
        return None
