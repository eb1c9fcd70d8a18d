"""One inbox pane (Priority, Shared or Mine): a search box over a list of conversations."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import QLineEdit, QListView, QVBoxLayout, QWidget

from ui.conversation_delegate import ConversationDelegate, mix
from ui.conversation_model import ConversationListModel
from ui.empty_state import EmptyStateListView, EmptyText
from ui.icons import pixmap

# What each pane says when it has nothing, by title.
EMPTY = {
    "Priority": EmptyText(
        "empty-inbox", "Nothing waiting", "Your customers' messages land here first."
    ),
    "Shared": EmptyText(
        "empty-inbox",
        "The shared inbox is clear",
        "New conversations for the team show here until someone claims them.",
    ),
    "Mine": EmptyText(
        "empty-inbox",
        "Conversations you claim show here",
        "Claim one from Priority or Shared to start replying.",
    ),
}


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
        self.search.textChanged.connect(self._update_empty_text)
        self._search_icon = self.search.addAction(QIcon(), QLineEdit.ActionPosition.LeadingPosition)
        self._paint_search_icon()
        self.list = EmptyStateListView(self)
        self.list.setModel(self.proxy)
        self.list.setUniformItemSizes(True)
        self.list.setItemDelegate(ConversationDelegate(self.list))
        self.list.setAccessibleName(f"{title} conversations")
        self.list.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._update_empty_text("")
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
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(model.tick)
        self._ticker.start()

    def _paint_search_icon(self) -> None:
        palette = self.search.palette()
        text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
        self._search_icon.setIcon(pixmap("search", mix(text, base, 0.45), 16,
                                         self.devicePixelRatioF()))  # fmt: skip

    def changeEvent(self, event: QEvent) -> None:
        """A new theme recolours the search icon."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._paint_search_icon()

    def _update_empty_text(self, search: str) -> None:
        if search.strip():
            self.list.set_empty_text(
                EmptyText(
                    "empty-search",
                    f"No conversations match '{search.strip()}'",
                    "Search looks at names, channels and messages.",
                )
            )
        else:
            self.list.set_empty_text(
                EMPTY.get(self.title, EmptyText("empty-inbox", "Nothing here"))
            )

    def empty_text(self) -> str:
        """What the pane says when no row is shown (for a search without a match, or none)."""
        return self.list.empty_text().sentence()

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
