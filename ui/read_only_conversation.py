"""A teammate's claimed conversation, opened from the team-load panel to read only: its
messages and routing timeline, with no reply box and no actions."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from inbox_protocol import Conversation, Message, TimelineEntry
from sync.session import SyncSession
from ui.tasks import owner_of
from ui.team_load_model import CHANNEL_NAMES
from ui.timeline_text import clock, describe, headline


class ReadOnlyConversationDialog(QDialog):
    """Loads one conversation with `get_conversation` and shows it without any way to act."""

    loaded = Signal()
    failed = Signal(str)

    def __init__(
        self,
        session: SyncSession,
        conversation_id: str,
        names: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.session = session
        self.conversation_id = conversation_id
        self.names = names
        self.conversation: Conversation | None = None
        self.setWindowTitle("Conversation (read only)")
        self.resize(640, 560)
        self.setMinimumSize(420, 360)

        self.title = QLabel("Loading…", self)
        self.title.setObjectName("conversationTitle")
        self.where = QLabel("", self)
        self.where.setWordWrap(True)
        self.notice = QLabel("", self)
        self.notice.setObjectName("readOnlyNotice")
        self.notice.setWordWrap(True)
        self.messages = QListWidget(self)
        self.messages.setAccessibleName("Messages")
        self.messages.setWordWrap(True)
        self.messages.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.messages.setSpacing(5)
        self.steps = QListWidget(self)
        self.steps.setAccessibleName("Routing timeline")
        self.steps.setWordWrap(True)
        self.steps.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.messages)
        steps_box = QWidget(self)
        steps_layout = QVBoxLayout(steps_box)
        steps_layout.setContentsMargins(0, 4, 0, 0)
        steps_layout.addWidget(QLabel("How it was routed", steps_box))
        steps_layout.addWidget(self.steps)
        split.addWidget(steps_box)
        split.setSizes([380, 140])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.where)
        layout.addWidget(self.notice)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        # A task of the window (awaited when it closes); closing the dialog cancels it sooner.
        self._task: asyncio.Task[None] | None = owner_of(parent).spawn(self._load())

    async def _load(self) -> None:
        try:
            result = await self.session.request(
                "get_conversation", conversation_id=self.conversation_id, limit=200
            )
        except Exception as exc:
            message = getattr(exc, "message", None) or str(exc) or "not connected"
            self.title.setText("This conversation could not be opened")
            self.where.setText(message)
            self.failed.emit(message)
            return
        self._show(result)
        self.loaded.emit()

    def _show(self, result: dict[str, Any]) -> None:
        conv = Conversation.model_validate(result["conversation"])
        self.conversation = conv
        me = self.session.store.me
        owner = self.names.get(conv.assigned_to or "", "a teammate")
        channel = CHANNEL_NAMES.get(conv.channel, conv.channel)
        self.title.setText(f"{conv.contact.name} · {channel}")
        self.where.setText(headline(conv, self.names, me.id if me else None))
        self.notice.setText(f"Read only: {owner}'s conversation. Only {owner} can reply here.")
        self.messages.clear()
        for raw in result["messages"]:
            message = Message.model_validate(raw)
            author = (
                conv.contact.name
                if message.direction == "in"
                else self.names.get(message.author_id or "", "Agent")
            )
            item = QListWidgetItem(f"{author} · {clock(message.at)}\n{message.body}")
            if message.direction == "out":
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight)
            self.messages.addItem(item)
        if not result["messages"]:
            self.messages.addItem("No messages yet.")
        if result.get("has_more"):
            self.messages.insertItem(0, "Older messages are not shown (the newest 200 are).")
        self.messages.scrollToBottom()
        self.steps.clear()
        for raw in result["timeline"]:
            entry = TimelineEntry.model_validate(raw)
            self.steps.addItem(describe(entry, self.names, me.id if me else None))

    async def wait_loaded(self) -> None:
        """Wait until the fetch has finished (shown or failed)."""
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(self._task)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop a fetch still in flight: nothing may touch the dialog once it is gone."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None
        super().closeEvent(event)
