"""The in-window toast: one short message over the bottom of the window, with an optional
action (Undo, Open), that goes away by itself."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

MARGIN = 16
MAX_WIDTH = 520


class Toast(QFrame):
    """Shows one message at a time; a new one replaces the one shown."""

    dismissed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("toast")
        self.setAccessibleName("Notification")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel("", self)
        self.text.setObjectName("toastText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.action = QPushButton("", self)
        self.action.setObjectName("toastAction")
        self.action.setCursor(Qt.CursorShape.PointingHandCursor)
        self.action.clicked.connect(self._act)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("toastClose")
        self.close_button.setText("\N{MULTIPLICATION SIGN}")  # DejaVu has it; no emoji
        self.close_button.setAccessibleName("Dismiss")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 8, 8)
        layout.setSpacing(10)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action)
        layout.addWidget(self.close_button)
        self._on_action: Callable[[], object] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        parent.installEventFilter(self)
        self.hide()

    def show_message(
        self,
        text: str,
        *,
        action: str | None = None,
        on_action: Callable[[], object] | None = None,
        seconds: float = 6.0,
    ) -> None:
        """Show `text` (with a button `action` that calls `on_action`) for `seconds`."""
        self.text.setText(text)
        self._on_action = on_action
        self.action.setText(action or "")
        self.action.setAccessibleName(action or "")
        self.action.setVisible(action is not None)
        self._timer.start(int(seconds * 1000))
        self._place()
        self.show()
        self.raise_()

    def set_text(self, text: str) -> None:
        """Change the message shown (a countdown), keeping its action and its time."""
        self.text.setText(text)
        self._place()

    def dismiss(self) -> None:
        """Hide the toast (its action can no longer be taken)."""
        self._timer.stop()
        self._on_action = None
        if not self.isHidden():
            self.hide()
            self.dismissed.emit()

    def _act(self) -> None:
        act, self._on_action = self._on_action, None
        self.dismiss()
        if act is not None:
            act()

    def _place(self) -> None:
        """Bottom left of the window, as mail clients put it: over the end of the list, not
        over the reply box and its Send button."""
        parent = self.parentWidget()
        if parent is None:
            return
        width = min(MAX_WIDTH, parent.width() - 2 * MARGIN)
        self.setFixedWidth(max(200, width))
        self.adjustSize()
        y = parent.height() - self.height() - MARGIN
        self.move(MARGIN, max(0, y))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Follow the window's size."""
        if event.type() == QEvent.Type.Resize and not self.isHidden():
            self._place()
        return False
