"""The agent's window: presence, the three panes, the open conversation and its contact."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from sync.session import SyncSession
from sync.store import Change
from ui.admin_screens import AdminScreens
from ui.attention import AutoAway, Notifier
from ui.conversation_model import ConversationListModel, in_mine, in_priority, in_shared
from ui.conversation_view import ConversationView
from ui.inbox_pane import InboxPane
from ui.menus import WindowMenus
from ui.offers import OfferBar
from ui.side_panels import ConnectionBanner, ContactPanel, PresenceToggle
from ui.tasks import TaskOwner, owned
from ui.team_load_panel import install_team_load
from ui.toast import Toast
from ui.tools_menu import ToolsMenus

MINIMUM_SIZE = QSize(900, 600)


class MainWindow(QMainWindow):
    """One signed-in user's window."""

    closed = Signal()
    preferences_requested = Signal()
    do_not_disturb_changed = Signal(bool)
    sign_out_requested = Signal()
    switch_user_requested = Signal()

    def __init__(self, session: SyncSession, icon: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Every async slot of the window's widgets is a task of this owner: closing cancels
        # them, waits for them, and only then deletes the window (with its timers, auto-away
        # filter and store observers), so that no task outlives the widgets it touches.
        self.tasks = TaskOwner()
        self.retired: asyncio.Task[None] | None = None
        self.session = session
        self.store = session.store
        self.setWindowIcon(icon)
        self.resize(1200, 720)
        # The smallest size at which tabs, rows and the conversation still read well.
        self.setMinimumSize(MINIMUM_SIZE)

        self.presence = PresenceToggle(session, self)
        self.who = QLabel("", self)
        toolbar = QToolBar("Presence", self)
        toolbar.setObjectName("presenceBar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel(" Presence: ", self))
        toolbar.addWidget(self.presence)
        toolbar.addWidget(self.presence.note)
        toolbar.addSeparator()
        toolbar.addWidget(self.who)
        toolbar.addSeparator()
        preferences = toolbar.addAction("Preferences…")
        preferences.triggered.connect(self.preferences_requested)
        self.dnd_action = toolbar.addAction("Do not disturb")
        self.dnd_action.setCheckable(True)
        self.dnd_action.setToolTip("No sound and no desktop notifications; alerts still show "
                                   "in this window")  # fmt: skip
        self.dnd_action.toggled.connect(self._dnd_toggled)
        self.addToolBar(toolbar)
        self.menus = WindowMenus(self)
        self.menus.preferences_requested.connect(self.preferences_requested)
        self.menus.sign_out_requested.connect(self.sign_out_requested)
        self.menus.switch_user_requested.connect(self.switch_user_requested)
        self.admin_screens = AdminScreens(session, self)
        self.menus.routing_settings_requested.connect(self.admin_screens.open_routing_settings)
        self.menus.groups_requested.connect(self.admin_screens.open_groups)
        # Team > Contacts…, Team > Import contacts…, Admin > Users… (shown by role, like the rest).
        self.tools = ToolsMenus(self.menus, session, self)

        self.banner = ConnectionBanner(session, self)
        self.panes = {
            "priority": InboxPane("Priority", ConversationListModel(self.store, in_priority, self)),
            "shared": InboxPane("Shared", ConversationListModel(self.store, in_shared, self)),
            "mine": InboxPane("Mine", ConversationListModel(self.store, in_mine, self)),
        }
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Inbox panes")
        for pane in self.panes.values():
            self.tabs.addTab(pane, pane.title)
        self.view = ConversationView(session, self)
        self.contact = ContactPanel(session, self)
        for pane in self.panes.values():
            pane.conversation_picked.connect(self.view.open)
            model = pane.model
            model.rowsInserted.connect(self._counts_later)
            model.rowsRemoved.connect(self._counts_later)
            model.dataChanged.connect(self._counts_later)
            model.modelReset.connect(self._counts_later)
        self.view.contact_opened.connect(self.contact.load)
        self.view.failed.connect(self._show_error)
        self.presence.failed.connect(self._show_error)

        # Tab labels and the title follow a burst of changes once per frame, not once per change.
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(16)
        self._counts_timer.timeout.connect(self._update_counts)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.tabs)
        split.addWidget(self.view)
        split.addWidget(self.contact)
        # Minimums keep every pane usable down to the window's minimum size; the conversation
        # takes what is left when the window grows.
        self.tabs.setMinimumWidth(270)
        self.view.setMinimumWidth(430)
        self.contact.setMinimumWidth(180)
        split.setChildrenCollapsible(False)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setStretchFactor(2, 0)
        split.setSizes([340, 590, 270])
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        self.offers = OfferBar(session, self)
        layout.addWidget(self.offers)
        layout.addWidget(split, 1)
        self.setCentralWidget(central)

        self.notifier = Notifier(session, icon, self)
        self.auto_away = AutoAway(session, self)
        self.toast = Toast(self)
        self.notifier.toast.connect(self._toast_alert)
        self.view.held.changed.connect(self._held_changed)
        self.view.said.connect(lambda text: self.toast.show_message(text))
        self._undo_target: str | None = None
        self._undo_ticker = QTimer(self)
        self._undo_ticker.setInterval(250)
        self._undo_ticker.timeout.connect(self._undo_tick)
        self._shortcuts()
        self.store.observe(self._on_change)
        self.menus.show_role(self.store.me.role if self.store.me else None)
        # Supervisors and admins get the Team load dock and "View > Team load"; agents never.
        install_team_load(self, session)
        self._update_counts()

    def _shortcuts(self) -> None:
        bindings = [
            ("Ctrl+1", lambda: self.tabs.setCurrentIndex(0)),
            ("Ctrl+2", lambda: self.tabs.setCurrentIndex(1)),
            ("Ctrl+3", lambda: self.tabs.setCurrentIndex(2)),
            ("Ctrl+Shift+C", self.view.claim),
            ("Ctrl+Return", self.view.send),
            ("Ctrl+Shift+W", self.view.close_conv),
            ("Ctrl+Z", self.undo),
        ]
        for keys, slot in bindings:
            QShortcut(QKeySequence(keys), self, slot)

    def _on_change(self, change: Change) -> None:
        if change.kind in ("reset", "presence_changed"):
            self._counts_later()
        if change.kind == "reset":
            self.menus.show_role(self.store.me.role if self.store.me else None)

    def _counts_later(self) -> None:
        if not self._counts_timer.isActive():
            self._counts_timer.start()

    def _update_counts(self) -> None:
        for i, pane in enumerate(self.panes.values()):
            rows, unread = pane.model.rowCount(), pane.model.unread()
            label = f"{pane.title} {rows}" + (f" ●{unread}" if unread else "")
            self.tabs.setTabText(i, label)
            self.tabs.setTabToolTip(i, f"{rows} conversations, {unread} unread")
        me = self.store.me
        name = me.display_name if me else "Agent Inbox"
        self.who.setText(f"  {name}" + (f" ({me.role})" if me else ""))
        priority = self.panes["priority"].model.rowCount()
        self.setWindowTitle(
            f"Agent Inbox — {name}" + (f" — {priority} priority" if priority else "")
        )

    # -- toasts: alerts, and the Undo of a held Close or Release ------------------------------

    def _toast_alert(self, text: str, conversation_id: str) -> None:
        if self._undo_target is not None:
            return  # the Undo stays in front; the alert is in the tray/notification and panes
        if conversation_id and conversation_id in self.store.conversations:
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
            self._undo_ticker.start()
        elif self._undo_target == conversation_id:
            self._undo_target = None
            self._undo_ticker.stop()
            self.toast.dismiss()

    def _undo_tick(self) -> None:
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

    def show_conversation(self, conversation_id: str) -> None:
        """Bring the window forward with the conversation open and highlighted in its pane."""
        self.showNormal()
        self.raise_()
        self.activateWindow()
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
        self.showNormal()
        self.raise_()
        self.activateWindow()
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

    def _dnd_toggled(self, on: bool) -> None:
        self.notifier.do_not_disturb = on
        self.do_not_disturb_changed.emit(on)

    def _show_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window ends the session; its widgets stop listening to it first (they are
        deleted with the window, while the session still reports that it stopped)."""
        if self.tasks.closed:
            super().closeEvent(event)
            return
        self.tools.close_all()
        self.session.detach_observers()
        # Held Close/Release commands are sent before the session stops (the agent meant them).
        self.retired = self.tasks.close_then(self._retire, last=self.view.held.send_all_now())
        self.closed.emit()
        super().closeEvent(event)

    def _retire(self) -> None:
        self.session.stop()
        self.deleteLater()
