"""The open conversation: its messages, routing timeline, actions and the reply box."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QStackedLayout,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inbox_protocol import Conversation, TimelineEntry
from routing_client.client import LinkState, NotConnected
from routing_client.rpc import RequestFailed
from sync.session import SyncSession
from sync.store import Change
from ui.avatars import avatar
from ui.elided_label import ElidedLabel
from ui.empty_state import EmptyStatePanel, EmptyText
from ui.icons import CHANNEL_NAMES, themed_icon
from ui.message_list import MessageListView
from ui.message_model import build_rows
from ui.tasks import owned, owner_of
from ui.timeline_text import headline
from ui.undo import DONE, DelayedActions

log = logging.getLogger(__name__)

NOTHING_OPEN = EmptyText(
    "empty-conversation",
    "No conversation open",
    "Pick one from Priority, Shared or Mine. Ctrl+1, 2 and 3 switch panes.",
)
LOADING = EmptyText("empty-conversation", "Loading the conversation…")
LOAD_FAILED = EmptyText(
    "empty-conversation",
    "This conversation did not load",
    "The reason is in the status bar. Pick it again to retry.",
)
AVATAR_SIZE = 40
OFFLINE_TIP = "Not connected to the server: {action} when it is back. Replies still queue."


class ReplyEdit(QPlainTextEdit):
    """Enter sends; Shift+Enter starts a new line."""

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter (without Shift) submits instead of adding a line."""
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class ConversationView(QWidget):
    """Shows one conversation and turns the agent's clicks into session intents."""

    contact_opened = Signal(str)
    failed = Signal(str)
    said = Signal(str)  # a short confirmation for the window's toast

    def __init__(self, session: SyncSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = owner_of(parent)
        self.session = session
        self.store = session.store
        self.conversation_id: str | None = None
        self.timeline: list[TimelineEntry] = []
        # One timeline fetch at a time; a change meanwhile asks for one more after it.
        self._fetching = False
        self._fetch_again = False
        # Close and Release wait a few seconds for an Undo (see ui/undo.py).
        self.held = DelayedActions(session, self.tasks, self)
        self.held.changed.connect(lambda _: self._refresh())
        self.held.failed.connect(self.failed)
        # Whom the agent transferred a conversation to, for the notice once it is gone.
        self._transferred_to: dict[str, str] = {}

        self.title = ElidedLabel("Pick a conversation", self)
        self.title.setObjectName("conversationTitle")
        self.avatar = QLabel(self)
        self.avatar.setFixedSize(AVATAR_SIZE, AVATAR_SIZE)
        self.avatar.setAccessibleName("Contact's initials")
        self.where = QLabel("", self)
        self.where.setObjectName("conversationWhere")
        self.where.setWordWrap(True)
        self.notice = QLabel("", self)
        self.notice.setObjectName("conversationNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        # Messages and the routing steps between them, painted by one delegate.
        self.messages_view = MessageListView(self)
        self.messages_view.setAccessibleName("Messages and routing steps")
        self.reply = ReplyEdit(self)
        self.reply.setPlaceholderText("Reply — Enter sends, Shift+Enter adds a line")
        self.reply.setAccessibleName("Reply")
        self.reply.setMaximumHeight(76)
        self.reply.setMinimumHeight(44)
        self.reply.submitted.connect(self.send)

        self.claim_button = self._button("Claim", "Claim this conversation", self.claim)
        self.release_button = self._button("Release", "Give it back to the team", self.release)
        self.close_button = self._button("Close", "Close this conversation", self.close_conv)
        self.send_button = self._button("Send", "Send the reply", self.send)
        self.send_button.setObjectName("sendButton")
        self.transfer_button = QToolButton(self)
        self.transfer_button.setText("Transfer")
        self.transfer_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.transfer_button.setAccessibleName("Transfer to a teammate")
        self.transfer_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.transfer_menu = QMenu(self.transfer_button)
        self.transfer_menu.aboutToShow.connect(self._fill_transfer_menu)
        self.transfer_button.setMenu(self.transfer_menu)

        self._icons = {self.claim_button: "claim", self.release_button: "release",
                       self.transfer_button: "transfer", self.close_button: "close",
                       self.send_button: "send"}  # fmt: skip
        self._paint_icons()

        actions = QHBoxLayout()
        actions.setSpacing(6)
        for widget in (self.claim_button, self.release_button, self.transfer_button,
                       self.close_button):  # fmt: skip
            actions.addWidget(widget)
        actions.addStretch(1)
        composer = QHBoxLayout()
        composer.addWidget(self.reply, 1)
        composer.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.setSpacing(6)
        header = QHBoxLayout()
        header.setSpacing(10)
        header.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignTop)
        heading = QVBoxLayout()
        heading.setSpacing(0)
        heading.addWidget(self.title)
        heading.addWidget(self.where)
        header.addLayout(heading, 1)
        layout.addLayout(header)
        layout.addWidget(self.notice)
        layout.addLayout(actions)
        layout.addWidget(self.messages_view, 1)
        layout.addLayout(composer)
        # Before a conversation is picked the view says how to pick one, not an empty form.
        self.nothing_open = EmptyStatePanel(NOTHING_OPEN, self)
        self._pages = QStackedLayout(self)
        self._pages.addWidget(self.nothing_open)
        self._pages.addWidget(page)
        self._unobserve = self.store.observe(self._on_change)
        # Actions that need the server wait for it; the reply box keeps queueing meanwhile.
        self._connected = session.link.status == "online"
        session.observe_link(self._link_changed)
        self._refresh()

    def _link_changed(self, state: LinkState) -> None:
        connected = state.status == "online"
        if connected != self._connected:
            self._connected = connected
            self._refresh()

    def _button(self, text: str, accessible: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(accessible)
        button.clicked.connect(slot)
        return button

    def _paint_icons(self) -> None:
        # Drawn in the palette's button text colour, so they follow the theme.
        button: QAbstractButton
        for button, name in self._icons.items():
            button.setIcon(themed_icon(name, button.palette(), 18, self.devicePixelRatioF()))
            button.setIconSize(QSize(18, 18))

    def changeEvent(self, event: QEvent) -> None:
        """A new theme (palette or stylesheet) recolours the action icons."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._paint_icons()

    # -- showing ------------------------------------------------------------------------------

    @owned
    async def open(self, conversation_id: str) -> None:
        """Show a conversation, load its messages and timeline, and mark it read."""
        self.conversation_id = conversation_id
        self.notice.hide()
        self.timeline = []
        self._refresh()
        conv = self.store.conversations.get(conversation_id)
        if conv is not None:
            self.contact_opened.emit(conv.contact.id)
        await self._run(self._load(conversation_id))

    async def _load(self, conversation_id: str) -> None:
        self.messages_view.set_empty_text(LOADING)
        try:
            result = await self.session.open_conversation(conversation_id)
        except Exception:
            # Said where the messages would be (and in the status bar by _run), not left loading.
            if conversation_id == self.conversation_id:
                self.messages_view.set_empty_text(LOAD_FAILED)
            raise
        if conversation_id != self.conversation_id:
            return
        self.timeline = [TimelineEntry.model_validate(t) for t in result["timeline"]]
        self._refresh()
        conv = self.store.conversations.get(conversation_id)
        if conv is not None and conv.unread:
            await self.session.conversation_command("mark_read", conversation_id)

    def _on_change(self, change: Change) -> None:
        if self.conversation_id is None or change.key not in (self.conversation_id, None):
            return
        if change.kind == "conversation_changed":
            self._follow(change.detail)
        elif change.kind == "reset" and self.conversation_id in self.store.conversations:
            self.refresh_timeline()  # back after an outage: steps may have happened meanwhile
        if change.kind == "conversation_removed":
            reason = str(change.detail)
            mine = self._transferred_to.get(self.conversation_id)
            to = self.store.removed_to.get(self.conversation_id)
            known = self.store.team.get(to or "")
            whom = known.display_name if known else "a teammate"
            text = {
                "claimed": "Another agent claimed this conversation."
                if known is None
                else f"{whom} claimed this conversation.",
                "transferred": f"You transferred this conversation to {mine}."
                if mine
                else f"This conversation was transferred to {whom}.",
                "account_rep_changed": "The customer's account rep changed: it went to them.",
            }.get(reason, "This conversation is no longer in your view.")
            self.notice.setText(text)
            self.notice.show()
        self._refresh()

    def _follow(self, before: object) -> None:
        """The open conversation changed: fetch the timeline again when it moved, and keep it
        read while it is open."""
        conv = self.store.conversations.get(self.conversation_id or "")
        if conv is None:
            return
        if not isinstance(before, Conversation) or (
            (before.state, before.assigned_to, before.routing)
            != (conv.state, conv.assigned_to, conv.routing)
        ):
            self.refresh_timeline()
        if conv.unread and self._connected:
            self.mark_read()

    @owned
    async def refresh_timeline(self) -> None:
        """Fetch the open conversation's routing steps again (at most one fetch at a time)."""
        if self._fetching:
            self._fetch_again = True
            return
        self._fetching = True
        try:
            while True:
                self._fetch_again = False
                conversation_id = self.conversation_id
                if conversation_id is None:
                    return
                try:
                    result = await self.session.open_conversation(conversation_id)
                except (NotConnected, RequestFailed) as exc:
                    # Gone from view or offline: the steps shown stay; a resync fetches again.
                    log.info("timeline of %s not refreshed: %s", conversation_id, exc)
                    return
                if conversation_id == self.conversation_id:
                    self.timeline = [TimelineEntry.model_validate(t) for t in result["timeline"]]
                    self._refresh()
                if not self._fetch_again:
                    return
        finally:
            self._fetching = False

    @owned
    async def mark_read(self) -> None:
        """Mark the open conversation read (it is in front of the agent)."""
        await self._run(self._act("mark_read"))

    def _refresh(self) -> None:
        conv = self.store.conversations.get(self.conversation_id or "")
        me = self.store.me.id if self.store.me else None
        names = {uid: m.display_name for uid, m in self.store.team.items()}
        self._pages.setCurrentIndex(0 if self.conversation_id is None else 1)
        if conv is None:
            self.title.setText("Pick a conversation" if self.conversation_id is None else
                               self.title.text())  # fmt: skip
            self.where.setText("")
            for widget in (self.claim_button, self.release_button, self.close_button,
                           self.transfer_button, self.send_button, self.reply):  # fmt: skip
                widget.setEnabled(False)
            return
        self.avatar.setPixmap(avatar(conv.contact.id, conv.contact.name, AVATAR_SIZE,
                                     self.devicePixelRatioF()))  # fmt: skip
        channel = CHANNEL_NAMES.get(conv.channel, conv.channel)
        self.title.set_parts(conv.contact.name, f"{channel}  ·  {conv.contact.handle}")
        self.reply.setPlaceholderText(f"Reply by {channel} — Enter sends, Shift+Enter adds a line")
        held = self.held.held.get(conv.id)
        self.where.setText(
            headline(conv, names, me)
            if held is None
            else f"{DONE[held.command]} in a few seconds — Undo with Ctrl+Z."
        )
        mine = conv.assigned_to == me
        self.claim_button.setEnabled(conv.state == "shared" or (conv.state == "priority" and mine))
        self.release_button.setEnabled(conv.state in ("claimed", "priority") and mine)
        staff = self.store.me is not None and self.store.me.role in ("supervisor", "admin")
        self.close_button.setEnabled(conv.state != "closed" and (mine or staff))
        self.transfer_button.setEnabled(conv.state != "closed" and (mine or staff))
        for button, action in ((self.claim_button, "claim"), (self.release_button, "release"),
                               (self.close_button, "close"),
                               (self.transfer_button, "transfer")):  # fmt: skip
            if not self._connected:
                button.setEnabled(False)
            button.setToolTip("" if self._connected else OFFLINE_TIP.format(action=action))
        if held is not None:  # nothing else happens to it until it is sent or undone
            for button in (self.claim_button, self.release_button, self.close_button,
                           self.transfer_button):  # fmt: skip
                button.setEnabled(False)
        can_reply = held is None and (
            conv.state in ("shared", "priority") or (conv.state == "claimed" and mine)
        )
        self.send_button.setEnabled(can_reply)
        self.reply.setEnabled(can_reply)
        rows = build_rows(self.store.thread(conv.id), self.timeline, names, me,
                          conv.contact.name, self._connected, datetime.now(UTC))  # fmt: skip
        self.messages_view.set_rows(conv.id, rows)

    def _fill_transfer_menu(self) -> None:
        self.transfer_menu.clear()
        me = self.store.me.id if self.store.me else None
        for uid, member in sorted(self.store.team.items(), key=lambda kv: kv[1].display_name):
            if uid == me:
                continue
            action = self.transfer_menu.addAction(f"{member.display_name} ({member.status})")
            action.triggered.connect(lambda _=False, target=uid: self.transfer(target))

    # -- intents ------------------------------------------------------------------------------

    async def _run(self, work: Awaitable[Any]) -> bool:
        """Run an intent; a refusal or a dropped connection is shown, never swallowed."""
        try:
            await work
        except Exception as exc:
            message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            self.failed.emit(message)
            return False
        return True

    def _act(self, command: str, **fields: Any) -> Awaitable[Any]:
        return self.session.conversation_command(command, self.conversation_id or "", **fields)

    @owned
    async def claim(self) -> None:
        """Claim the open conversation."""
        await self._run(self._act("claim"))

    def release(self) -> None:
        """Release it to the team, after the few seconds in which it can be undone."""
        self._hold("release")

    def close_conv(self) -> None:
        """Close it, after the few seconds in which it can be undone."""
        self._hold("close")

    def _hold(self, command: str) -> None:
        conv = self.store.conversations.get(self.conversation_id or "")
        if conv is not None and self._connected and conv.id not in self.held.held:
            self.held.hold(command, conv.id, conv.contact.name)

    def undo(self) -> bool:
        """Take back the open conversation's held Close or Release; True when there was one."""
        return self.held.undo(self.conversation_id or "")

    @owned
    async def transfer(self, to_user_id: str) -> None:
        """Transfer it to a teammate (the notice then says to whom)."""
        conversation_id = self.conversation_id or ""
        conv = self.store.conversations.get(conversation_id)
        target = self.store.member_name(to_user_id)
        self._transferred_to[conversation_id] = target
        if await self._run(self._act("transfer", to_user_id=to_user_id)) and conv is not None:
            self.said.emit(f"Transferred the conversation with {conv.contact.name} to {target}.")

    @owned
    async def send(self) -> None:
        """Send the reply box's text (queued durably first; sent now or on reconnect)."""
        body = self.reply.toPlainText().strip()
        if not body or self.conversation_id is None:
            return
        self.reply.clear()
        await self._run(self.session.send_reply(self.conversation_id, body))
