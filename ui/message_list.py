"""The open conversation's message list: one view, one model, one delegate (no widget per row)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QMenu, QWidget

from ui.empty_state import EmptyStateListView, EmptyText
from ui.message_delegate import MessageDelegate
from ui.message_model import MessageListModel, MessageRole, MessageRow


class MessageListView(EmptyStateListView):
    """Bubbles, day separators and routing steps; Copy from the context menu or Ctrl+C."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageList")
        # Rows come from the server when a conversation opens; until then it says so.
        self.set_empty_text(EmptyText("empty-conversation", "Loading the conversation…"))
        self.message_model = MessageListModel(self)
        self.setModel(self.message_model)
        self.setItemDelegate(MessageDelegate(self, self.viewport()))
        self.setUniformItemSizes(False)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.verticalScrollBar().setSingleStep(24)
        # Follow new messages when the agent is reading the newest; stay put when scrolled up.
        self._follow = True
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.message_model.rowsInserted.connect(self._to_bottom_if_following)
        self.message_model.modelReset.connect(self._to_bottom)
        # A changed row can change height (a group gains a bubble): lay the rows out again.
        self.message_model.dataChanged.connect(self.scheduleDelayedItemsLayout)

    def set_rows(self, conversation_id: str | None, rows: list[MessageRow]) -> None:
        """Show these rows for this conversation (inserts where it can, see the model)."""
        self.message_model.set_rows(conversation_id, rows)

    def toPlainText(self) -> str:  # the name QTextBrowser had; tests read it
        """The conversation as text: each row's words, delivery states included."""
        return "\n".join(row.plain() for row in self.message_model.rows())

    def copy_selected(self) -> None:
        """Put the selected message's text on the clipboard."""
        row = self.currentIndex().data(MessageRole.Row)
        if isinstance(row, MessageRow):
            QGuiApplication.clipboard().setText(row.text)

    def copy_all(self) -> None:
        """Put the whole conversation, as text, on the clipboard."""
        QGuiApplication.clipboard().setText(self.toPlainText())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Ctrl+C copies the selected message."""
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selected()
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Bubbles wrap again for the new width, and the newest stays in sight."""
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.scheduleDelayedItemsLayout()
        if self._follow:
            self.scrollToBottom()

    def _menu(self, at: QPoint) -> None:
        index = self.indexAt(at)
        menu = QMenu(self)
        if index.isValid() and index.data(MessageRole.Kind) in ("in", "out"):
            self.setCurrentIndex(index)
            menu.addAction("Copy", self.copy_selected)
        menu.addAction("Copy conversation", self.copy_all)
        menu.popup(self.viewport().mapToGlobal(at))

    def _scrolled(self, value: int) -> None:
        self._follow = value >= self.verticalScrollBar().maximum() - 8

    def _to_bottom_if_following(self, parent: QModelIndex, first: int, last: int) -> None:
        if self._follow:
            self.scrollToBottom()

    def _to_bottom(self) -> None:
        self._follow = True
        self.scrollToBottom()
