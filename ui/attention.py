"""Getting the agent's attention: toast, desktop notification, urgent window, a repeated chime;
and auto-away."""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from inbox_protocol import Notification
from sync.session import SyncSession
from sync.store import Change
from ui.chime import Chime
from ui.desktop_notify import DesktopNotifications, NotificationServiceError
from ui.tasks import owned, owner_of

log = logging.getLogger(__name__)

ALERT_KINDS = frozenset({"priority_routed", "reassignment_offer", "transferred_to_you",
                         "account_rep_assigned", "reply_failed"})  # fmt: skip
SOUND_KINDS = frozenset({"priority_routed", "reassignment_offer"})
# Kinds the window shows as a card of their own (ui/offers.py): no toast repeating it.
CARD_KINDS = frozenset({"reassignment_offer"})
REPEAT_SECONDS = 30


class Notifier(QObject):
    """Gets the agent's attention for alerts: an in-window toast, a desktop notification (the
    tray's, or the freedesktop service's over D-Bus when there is no tray), the window marked
    urgent, and the chime for priority work, repeated until it is claimed. "Do not disturb"
    keeps only the toast."""

    toast = Signal(str, str)  # text, conversation id ("" when none)

    def __init__(
        self,
        session: SyncSession,
        icon: QIcon,
        parent: QObject | None = None,
        *,
        chime: Chime | None = None,
        desktop: DesktopNotifications | None = None,
    ) -> None:
        super().__init__(parent)
        self.tasks = owner_of(parent)
        self.session = session
        self.sound_enabled = True
        self.do_not_disturb = False
        self.shown: list[Notification] = []
        self.chime = chime or Chime(self)
        self.desktop = desktop or DesktopNotifications()
        self._desktop_warned = False
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip("Agent Inbox")
            self.tray.show()
        self._repeat = QTimer(self)
        self._repeat.setInterval(REPEAT_SECONDS * 1000)
        self._repeat.timeout.connect(self._remind)
        self._priority: set[str] = set()
        self._follow_priority(Change("reset"))
        session.store.observe(self._on_change)

    @property
    def reminding(self) -> bool:
        """Whether the reminder for waiting priority work is running."""
        return self._repeat.isActive()

    def _waiting_priority(self) -> int:
        return len(self._priority)

    def _follow_priority(self, change: Change) -> None:
        """Keep the set of my priority conversations in step with one change (no scan)."""
        store = self.session.store
        me = store.me.id if store.me else None
        if change.kind == "reset":
            self._priority = {c.id for c in store.conversations.values()
                              if c.state == "priority" and c.assigned_to == me}  # fmt: skip
        elif change.kind.startswith("conversation_") and change.key is not None:
            conv = store.conversations.get(change.key)
            if conv is not None and conv.state == "priority" and conv.assigned_to == me:
                self._priority.add(change.key)
            else:
                self._priority.discard(change.key)

    def _on_change(self, change: Change) -> None:
        self._follow_priority(change)
        if change.kind == "notification" and isinstance(change.detail, Notification):
            note = change.detail
            if note.kind in ALERT_KINDS:
                self._alert(note)
        if self._waiting_priority():
            if not self._repeat.isActive():
                self._repeat.start()
        else:
            self._repeat.stop()

    def _alert(self, note: Notification) -> None:
        self.shown.append(note)
        if note.kind not in CARD_KINDS:
            self.toast.emit(f"{note.title}: {note.body}" if note.body else note.title,
                            note.conversation_id or "")  # fmt: skip
        if self.do_not_disturb:
            return
        if self.tray is not None:
            self.tray.showMessage(note.title, note.body)
        else:
            self.notify_desktop(note.title, note.body)
        window = self.parent()
        if isinstance(window, QWidget):
            # Marks the window urgent (the task bar flashes it) until the agent looks at it.
            QApplication.alert(window, 0)
        if note.kind in SOUND_KINDS:
            self._beep()

    @owned
    async def notify_desktop(self, title: str, body: str) -> None:
        """Show a notification through the freedesktop service (logged once when there is
        none: the toast and the urgent window still say it)."""
        try:
            await self.desktop.notify(title, body, urgent=True)
        except NotificationServiceError as exc:
            if not self._desktop_warned:
                self._desktop_warned = True
                log.warning("desktop notifications off: %s", exc)

    def _remind(self) -> None:
        if self._waiting_priority():
            self._beep()
        else:
            self._repeat.stop()

    def _beep(self) -> None:
        if self.sound_enabled and not self.do_not_disturb:
            self.chime.play()


class AutoAway(QObject):
    """Sets the agent away after N idle minutes, and back online at the next input."""

    INPUT_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                              QEvent.Type.MouseMove, QEvent.Type.Wheel})  # fmt: skip

    def __init__(self, session: SyncSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = owner_of(parent)
        self.session = session
        self.idle_minutes = 0  # 0: off
        self.last_input = time.monotonic()
        self.set_away_by_us = False
        self._timer = QTimer(self)
        self._timer.setInterval(15_000)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Note input; coming back from auto-away sets online again."""
        if event.type() in self.INPUT_EVENTS:
            self.last_input = time.monotonic()
            if self.set_away_by_us:
                self.set_away_by_us = False
                self._set("online")
        return False

    def check(self, now: float | None = None) -> None:
        """Go away if idle long enough while online."""
        now = time.monotonic() if now is None else now
        presence = self.session.store.presence
        if self.idle_minutes <= 0 or presence is None or presence.status != "online":
            return
        if now - self.last_input >= self.idle_minutes * 60:
            self.set_away_by_us = True
            self._set("away")

    @owned
    async def _set(self, status: str) -> None:
        try:
            await self.session.set_presence(status)
        except Exception:
            return
