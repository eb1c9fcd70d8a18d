"""One inbox pane (Priority, Shared or Mine): a search box over a list of conversations."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import (
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ui.conversation_model import ConversationListModel, Role

ROW_HEIGHT = 46


def countdown(seconds: int) -> str:
    """Seconds as M:SS (or H:MM:SS)."""
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ConversationDelegate(QStyledItemDelegate):
    """Two lines per conversation: the contact (with countdown and unread badge) and a preview."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        """Every row is as tall as the others (the list uses uniform item sizes)."""
        return QSize(option.rect.width(), ROW_HEIGHT)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Draw one row."""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter,
                                option.widget)  # fmt: skip
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_color = palette.highlightedText() if selected else palette.text()
        rect = option.rect.adjusted(8, 4, -8, -4)
        name = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        preview = str(index.data(Role.Preview) or "")
        channel = str(index.data(Role.Channel) or "")
        unread = int(index.data(Role.Unread) or 0)
        seconds = index.data(Role.SecondsToShare)
        painter.save()
        painter.setPen(text_color.color())
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        top = QRect(rect.left(), rect.top(), rect.width(), rect.height() // 2)
        right = ""
        if seconds is not None:
            right = f"shared in {countdown(int(seconds))}"
        if unread:
            right = f"{right}  ● {unread}".strip()
        painter.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         f"{name}  ·  {channel}")  # fmt: skip
        painter.drawText(top, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, right)
        painter.setFont(option.font)
        bottom = QRect(rect.left(), rect.top() + rect.height() // 2, rect.width(),
                       rect.height() // 2)  # fmt: skip
        elided = option.fontMetrics.elidedText(preview, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(bottom, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
        painter.restore()


class InboxPane(QWidget):
    """A searchable list of one pane's conversations; emits the id of the one picked."""

    conversation_picked = Signal(str)

    def __init__(self, title: str, model: ConversationListModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterRole(Qt.ItemDataRole.ToolTipRole)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(f"Search {title.lower()}…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(f"Search the {title} pane")
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.list = QListView(self)
        self.list.setModel(self.proxy)
        self.list.setUniformItemSizes(True)
        self.list.setItemDelegate(ConversationDelegate(self.list))
        self.list.setAccessibleName(f"{title} conversations")
        self.list.setSelectionMode(QListView.SelectionMode.SingleSelection)
        # One selection: the highlighted row is the open conversation, whether it was reached
        # with the mouse or the keyboard.
        self.list.clicked.connect(self._picked)
        self.list.activated.connect(self._picked)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        # When rows go away Qt moves the highlight to a neighbour: that is not a choice, so it
        # opens nothing, and the highlight is cleared rather than left on another conversation.
        self._highlight_lost = False
        self.proxy.rowsRemoved.connect(self._rows_removed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(model.tick)
        self._ticker.start()

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self.model.removing:
            self._highlight_lost = True  # moved by Qt because its row went away
        elif current.isValid():
            self._picked(current)

    def _rows_removed(self, parent: QModelIndex, first: int, last: int) -> None:
        if self._highlight_lost:
            self.list.selectionModel().clear()
        self._highlight_lost = False

    def _picked(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        if source.isValid():
            self.conversation_picked.emit(self.model.conversation_id(source.row()))

    def row_count(self) -> int:
        """Visible rows (after the search filter)."""
        return self.proxy.rowCount()

    def pick_row(self, row: int) -> None:
        """Select and open the conversation in `row` (as a click would)."""
        index = self.proxy.index(row, 0)
        if index == self.list.currentIndex():
            self._picked(index)  # already highlighted: open it again, as a click does
        else:
            self.list.setCurrentIndex(index)  # opens it (one selection)
