"""A window's toasts: alerts (with Open), and the Undo of a held Close or Release with its
countdown; and bringing a conversation or a contact forward (from a toast or a link)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMainWindow, QTabWidget

from sync.session import SyncSession
from ui.attention import Notifier
from ui.conversation_view import ConversationView
from ui.inbox_pane import InboxPane
from ui.side_panels import ContactPanel
from ui.tasks import owned, owner_of
from ui.toast import Toast


class WindowToasts(QObject):
    """Puts the window's alerts and Undo in its toast, and opens what they point at."""

    def __init__(
        self,
        window: QMainWindow,
        session: SyncSession,
        notifier: Notifier,
        view: ConversationView,
        panes: dict[str, InboxPane],
        tabs: QTabWidget,
        contact: ContactPanel,
    ) -> None:
        super().__init__(window)
        self.tasks = owner_of(window)
        self.window = window
        self.session = session
        self.view = view
        self.panes = panes
        self.tabs = tabs
        self.contact = contact
        self.toast = Toast(window)
        notifier.toast.connect(self._alert)
        view.held.changed.connect(self._held_changed)
        view.said.connect(lambda text: self.toast.show_message(text))
        self._undo_target: str | None = None
        self._ticker = QTimer(self)
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self._tick)

    # -- alerts and Undo ----------------------------------------------------------------------

    def _alert(self, text: str, conversation_id: str) -> None:
        if self._undo_target is not None:
            return  # the Undo stays in front; the alert is in the notification and the panes
        if conversation_id and conversation_id in self.session.store.conversations:
            self.toast.show_message(
                text, action="Open", on_action=lambda: self.show_conversation(conversation_id)
            )
        else:
            self.toast.show_message(text)

    def _held_changed(self, conversation_id: str) -> None:
        action = self.view.held.held.get(conversation_id)
        if action is not None:
            self._undo_target = conversation_id
            self.toast.show_message(
                action.text(), action="Undo",
                on_action=lambda: self.view.held.undo(conversation_id),
                seconds=self.view.held.seconds + 1,
            )  # fmt: skip
            self._ticker.start()
        elif self._undo_target == conversation_id:
            self._undo_target = None
            self._ticker.stop()
            self.toast.dismiss()

    def _tick(self) -> None:
        action = self.view.held.held.get(self._undo_target or "")
        if action is not None:
            self.toast.set_text(action.text())

    def undo(self) -> bool:
        """Take back the Close or Release still waiting to be sent (Ctrl+Z)."""
        target = self._undo_target
        if target is None or not self.view.held.undo(target):
            return False
        self.toast.show_message("Undone: the conversation stays as it was.", seconds=3)
        return True

    # -- bringing things forward --------------------------------------------------------------

    def _forward(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def show_conversation(self, conversation_id: str) -> None:
        """Bring the window forward with the conversation open and highlighted in its pane."""
        self._forward()
        for i, pane in enumerate(self.panes.values()):
            model = pane.model
            for row in range(model.rowCount()):
                if model.conversation_id(row) == conversation_id:
                    self.tabs.setCurrentIndex(i)
                    proxy_row = pane.proxy.mapFromSource(model.index(row)).row()
                    if proxy_row >= 0:
                        pane.pick_row(proxy_row)
                        return
        self.view.open(conversation_id)

    def show_contact(self, contact_id: str) -> None:
        """Bring the window forward with a contact in the contact panel (an agent-inbox://
        link); a contact the user may not see, or none, is said in the toast."""
        self._forward()
        self._load_contact(contact_id)

    @owned
    async def _load_contact(self, contact_id: str) -> None:
        try:
            result = await self.session.request("get_contact", contact_id=contact_id)
        except Exception as exc:
            reason = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            self.toast.show_message(f"Could not open the contact {contact_id}: {reason}")
            return
        self.contact.contact_id = contact_id
        self.contact.show_contact(result["contact"], result["history"])
        self.toast.show_message(f"Showing {result['contact']['name']} from a link.", seconds=4)
