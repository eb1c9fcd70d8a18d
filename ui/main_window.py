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
from ui.tasks import TaskOwner
from ui.team_load_dock import install_team_load
from ui.tools_menu import ToolsMenus
from ui.window_toasts import WindowToasts

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
        self.toasts = WindowToasts(self, session, self.notifier, self.view, self.panes,
                                   self.tabs, self.contact)  # fmt: skip
        self.toast = self.toasts.toast
        self.show_conversation = self.toasts.show_conversation
        self.show_contact = self.toasts.show_contact
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
            ("Ctrl+Z", self.toasts.undo),
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
