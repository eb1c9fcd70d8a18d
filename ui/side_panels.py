"""Small always-visible pieces: the presence toggle, the connection banner, the contact panel."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from inbox_protocol import Contact
from routing_client.client import LinkState
from sync.session import SyncSession
from sync.store import Change
from ui.avatars import presence_dot
from ui.contact_list_delegate import HistoryRowDelegate
from ui.history_text import history_lines
from ui.reassign_dialog import ReassignStrip
from ui.tasks import owned, owner_of

STATUSES = ("online", "away", "offline")


class PresenceToggle(QComboBox):
    """Online / Away / Offline. It shows the server's view: a choice is a request, not a fact."""

    failed = Signal(str)

    def __init__(self, session: SyncSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = owner_of(parent)
        self.session = session
        self.setAccessibleName("Presence")
        for status in STATUSES:
            self.addItem(presence_dot(status), status.title())
        # Says who set the presence when it was not the user ("Set to Away by Sam").
        self.note = QLabel("", parent)
        self.note.setObjectName("presenceNote")
        self.note.setAccessibleName("Who set your presence")
        self._showing = False
        self.activated.connect(self._chosen)
        session.store.observe(self._on_change)
        self._show_server_view()

    def _on_change(self, change: Change) -> None:
        if change.kind in ("reset", "presence_changed"):
            self._show_server_view()

    def _show_server_view(self) -> None:
        presence = self.session.store.presence
        status = presence.status if presence else "offline"
        self._showing = True
        self.setCurrentIndex(STATUSES.index(status))
        self._showing = False
        me = self.session.store.me
        set_by = presence.set_by if presence else None
        if set_by is not None and (me is None or set_by != me.id):
            known = set_by in self.session.store.team
            who = self.session.store.member_name(set_by) if known else "a supervisor"
            text = f"Set to {status.title()} by {who}"
            self.note.setText(f"  {text}  ")
            self.setToolTip(f"{text}. Choose a presence to change it.")
        else:
            # Emptied, not hidden: a toolbar manages the visibility of the widgets it holds.
            self.note.setText("")
            self.setToolTip("Your presence, as the server sees it")

    @owned
    async def _chosen(self, index: int) -> None:
        try:
            await self.session.set_presence(STATUSES[index])
        except Exception as exc:
            self.failed.emit(getattr(exc, "message", None) or str(exc) or "not connected")
        self._show_server_view()


class ConnectionBanner(QLabel):
    """Says when the app is not connected, and when it tries next."""

    def __init__(self, session: SyncSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionBanner")
        self.setAccessibleName("Connection status")
        self._state = session.link
        self._deadline = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(500)
        self._timer.timeout.connect(self._render)
        session.observe_link(self._changed)
        self._changed(session.link)

    def _changed(self, state: LinkState) -> None:
        self._state = state
        self._deadline = time.monotonic() + state.retry_in
        self._render()

    def _render(self) -> None:
        state = self._state
        if state.status == "online":
            self.hide()
            self._timer.stop()
            return
        if state.status == "waiting":
            left = max(0, round(self._deadline - time.monotonic()))
            self.setText(f"Reconnecting — attempt {state.attempt}, next in {left} s. "
                         "You can keep reading; replies are queued.")  # fmt: skip
            self._timer.start()
        elif state.status == "connecting":
            self.setText("Connecting…" if state.attempt <= 1 else
                         f"Reconnecting — attempt {state.attempt}…")  # fmt: skip
        else:
            self.setText("Signed out.")
        self.show()

    def text_now(self) -> str:
        """What the banner says (empty when hidden)."""
        return "" if self.isHidden() else self.text()


class ContactPanel(QWidget):
    """The contact of the open conversation: rep, priority notifications and history."""

    def __init__(self, session: SyncSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = owner_of(parent)
        self.session = session
        self.contact_id: str | None = None
        self.name = QLabel("—", self)
        self.handle = QLabel("—", self)
        self.rep = QLabel("—", self)
        self.priority = QLabel("—", self)
        self.history = QListWidget(self)
        self.history.setAccessibleName("Assignment history")
        self.history.setWordWrap(True)
        self.history.setItemDelegate(HistoryRowDelegate(self.history))
        self.setObjectName("contactPanel")
        for value in (self.name, self.handle, self.rep, self.priority):
            value.setObjectName("contactValue")  # the theme sets values apart from labels
            value.setWordWrap(True)  # a long name or address wraps in a narrow panel
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # labels above values
        form.addRow("Contact", self.name)
        form.addRow("Handle", self.handle)
        form.addRow("Account rep", self.rep)
        form.addRow("Priority notifications", self.priority)
        self.reassign = ReassignStrip(session, self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.reassign)
        layout.addWidget(QLabel("Assignment history", self))
        layout.addWidget(self.history, 1)
        session.store.observe(self._on_change)

    def _on_change(self, change: Change) -> None:
        if change.kind == "contact_changed" and change.key and change.key == self.contact_id:
            self.show_contact(change.detail)
            self.load(change.key)  # the history gained a step (a reassignment's, say)

    @owned
    async def load(self, contact_id: str) -> None:
        """Fetch and show a contact with its history."""
        self.contact_id = contact_id
        try:
            result = await self.session.request("get_contact", contact_id=contact_id)
        except Exception:
            return
        if contact_id == self.contact_id:
            self.show_contact(result["contact"], result["history"])

    def show_contact(
        self, raw: dict[str, object], history: list[dict[str, object]] | None = None
    ) -> None:
        """Fill the panel."""
        contact = Contact.model_validate(raw)
        store = self.session.store
        self.name.setText(contact.name)
        self.handle.setText(contact.handle)
        rep = store.member_name(contact.account_rep_id) if contact.account_rep_id else "none"
        self.rep.setText(rep)
        self.reassign.show_contact(contact)
        self.priority.setText("on" if contact.priority_notifications else "off")
        if history is not None:
            # The same sentences as the contacts window's timeline (ui/history_text.py).
            self.history.clear()
            self.history.addItems(history_lines(history, store.member_name))
