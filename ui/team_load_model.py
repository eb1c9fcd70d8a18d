"""A Qt table model over one team's live load: one row per agent, updated row by row.

Each `team_load` push replaces the figures; rows whose figures changed get `dataChanged`,
agents who joined or left are inserted or removed, so that the view keeps its selection and
scroll position while the load moves. Ages ("away for 12 min") are computed from the clock at
paint time, so a one-second tick (`tick`) keeps them current without a push.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from inbox_protocol import AgentLoad

Index = QModelIndex | QPersistentModelIndex
DAY = 86_400


class Column(IntEnum):
    """The agent table's columns."""

    Agent = 0
    Presence = 1
    Load = 2
    Priority = 3
    Waiting = 4
    Silent = 5


HEADERS = {
    Column.Agent: "Agent",
    Column.Presence: "Presence",
    Column.Load: "Open / capacity",
    Column.Priority: "Priority",
    Column.Waiting: "Waiting",
    Column.Silent: "Replies",
}

# Custom data roles.
UserIdRole = Qt.ItemDataRole.UserRole + 1
# (claimed open, pending priority, max_open) for the load bar's delegate.
LoadRole = Qt.ItemDataRole.UserRole + 2
SilentRole = Qt.ItemDataRole.UserRole + 3


def age(since: datetime | None, now: float) -> str:
    """How long ago, compactly: "45 s", "12 min", "3 h 05", "since 28 Nov"."""
    if since is None:
        return ""
    seconds = max(0, int(now - since.timestamp()))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < DAY:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d}"
    if since.year < 2000:
        return "never set"  # the server has known this user since before any presence
    return f"since {since.astimezone():%d %b}"


STATUS_COLOURS = {"online": "#2f9e44", "away": "#f08c00", "offline": "#868e96"}
SILENT_COLOUR = "#e03131"
_dots: dict[str, QIcon] = {}


def status_dot(status: str) -> QIcon:
    """A small filled circle in the status's colour (drawn once, then cached)."""
    icon = _dots.get(status)
    if icon is None:
        pixmap = QPixmap(12, 12)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(STATUS_COLOURS.get(status, "#868e96")))
        painter.drawEllipse(1, 1, 10, 10)
        painter.end()
        icon = _dots[status] = QIcon(pixmap)
    return icon


CHANNEL_NAMES = {"sms": "SMS", "email": "E-mail", "chat": "Chat", "web_form": "Web form"}


def agent_lines(agent: AgentLoad, now: float) -> list[tuple[str, str | None]]:
    """The lines of an agent's work list, with the conversation each opens (None: a line that
    opens nothing). Priority work is only counted and aged: it is private to the rep."""
    lines: list[tuple[str, str | None]] = []
    for conv in agent.claimed:
        channel = CHANNEL_NAMES.get(conv.channel, conv.channel)
        waiting = conv.awaiting_reply_since
        tail = f"customer waiting {age(waiting, now)}" if waiting else "answered"
        lines.append((f"{conv.contact_name} · {channel} · {tail}", conv.conversation_id))
    if agent.priority:
        oldest = age(agent.oldest_priority_since, now)
        lines.append((f"{agent.priority} priority, oldest {oldest} — private to "
                      f"{agent.display_name} until claimed or shared", None))  # fmt: skip
    if not lines:
        lines.append((f"{agent.display_name} holds no conversations right now.", None))
    return lines


class TeamLoadModel(QAbstractTableModel):
    """The agents of one team load, in the server's order (by name)."""

    def __init__(
        self,
        parent: QObject | None = None,
        clock: Callable[[], float] = time.time,
        names: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        # Who set a presence, by id: display names of the team (and whoever else is known).
        self._names = names or (lambda user_id: user_id)
        self._rows: list[AgentLoad] = []
        self._load_names: dict[str, str] = {}

    # -- updating -----------------------------------------------------------------------------

    def set_agents(self, agents: list[AgentLoad]) -> None:
        """Take a new load: insert, remove and update only the rows that changed."""
        names = {a.user_id: a.display_name for a in agents}
        old_names = {a.user_id: a.display_name for a in self._rows}
        self._load_names = names
        wanted = [a.user_id for a in agents]
        # Remove agents who left, bottom up so that row numbers stay valid.
        for row in range(len(self._rows) - 1, -1, -1):
            if self._rows[row].user_id not in names:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        by_id = {a.user_id: a for a in agents}
        for position, user_id in enumerate(wanted):
            current = self._rows[position].user_id if position < len(self._rows) else None
            if current == user_id:
                if self._rows[position] != by_id[user_id]:
                    self._rows[position] = by_id[user_id]
                    self.dataChanged.emit(
                        self.index(position, 0), self.index(position, len(Column) - 1)
                    )
                continue
            if user_id in old_names:
                # Renamed and now sorted elsewhere: move it by removing and inserting.
                at = next(i for i, a in enumerate(self._rows) if a.user_id == user_id)
                self.beginRemoveRows(QModelIndex(), at, at)
                del self._rows[at]
                self.endRemoveRows()
            self.beginInsertRows(QModelIndex(), position, position)
            self._rows.insert(position, by_id[user_id])
            self.endInsertRows()

    def tick(self) -> None:
        """Repaint the columns that show ages (presence and oldest priority wait)."""
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(self.index(0, Column.Presence), self.index(last, Column.Priority))

    # -- reading ------------------------------------------------------------------------------

    def agent(self, row: int) -> AgentLoad | None:
        """The agent on a row."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, user_id: str) -> int:
        """The row of an agent, or -1."""
        return next((i for i, a in enumerate(self._rows) if a.user_id == user_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One row per agent."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """The columns of `Column`."""
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text, tooltip, or the raw figures for delegates."""
        agent = self.agent(index.row())
        if agent is None:
            return None
        column = Column(index.column())
        if role == UserIdRole:
            return agent.user_id
        if role == LoadRole:
            return (agent.open, agent.priority, agent.max_open)
        if role == SilentRole:
            return agent.silent
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(agent, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(agent, column)
        if role == Qt.ItemDataRole.DecorationRole and column is Column.Presence:
            return status_dot(agent.status)
        if role == Qt.ItemDataRole.ForegroundRole and column is Column.Silent and agent.silent:
            return QColor(SILENT_COLOUR)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            Column.Priority,
            Column.Waiting,
        ):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _who(self, user_id: str) -> str:
        return self._load_names.get(user_id) or self._names(user_id)

    def _text(self, agent: AgentLoad, column: Column) -> str:
        now = self._clock()
        if column is Column.Agent:
            return agent.display_name
        if column is Column.Presence:
            text = f"{agent.status.title()} · {age(agent.status_since, now)}"
            return text + (" · set by " + self._who(agent.set_by) if agent.set_by else "")
        if column is Column.Load:
            return f"{agent.open + agent.priority} / {agent.max_open}"
        if column is Column.Priority:
            if not agent.priority:
                return "—"
            return f"{agent.priority} · oldest {age(agent.oldest_priority_since, now)}"
        if column is Column.Waiting:
            return str(agent.waiting) if agent.waiting else "—"
        if agent.silent:
            return f"Silent · customer waiting {age(agent.awaiting_reply_since, now)}"
        if agent.awaiting_reply_since is not None:
            return f"Customer waiting {age(agent.awaiting_reply_since, now)}"
        return "All answered" if agent.claimed else "—"

    def _tooltip(self, agent: AgentLoad, column: Column) -> str:
        if column is Column.Load:
            return (
                f"{agent.open} claimed and {agent.priority} pending priority of "
                f"{agent.max_open} at most"
            )
        if column is Column.Waiting:
            return "Conversations held for this agent until they have room"
        if column is Column.Silent:
            if agent.silent:
                return "Online, with a customer waiting for a reply longer than the setting"
            return "Customers of claimed conversations waiting for this agent's reply"
        if column is Column.Priority:
            return "Pending priority conversations: private to the agent until claimed or shared"
        return ""
