"""A one-line label that shortens its text with an ellipsis instead of pushing its layout wider."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from ui.conversation_delegate import mix

SEPARATOR = "  ·  "


class ElidedLabel(QLabel):
    """Shows as much of its text as fits, ending in "…"; the full text is its tooltip.

    An optional secondary part (after the primary, muted and in the regular weight) gives up
    its room first.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._primary = text
        self._secondary = ""

    def set_parts(self, primary: str, secondary: str) -> None:
        """Show `primary` in the label's font and `secondary` muted after it."""
        self._primary, self._secondary = primary, secondary
        self.setText(f"{primary}{SEPARATOR}{secondary}" if secondary else primary)

    def setText(self, text: str) -> None:
        """Plain text (no secondary part) unless it came from `set_parts`."""
        if text not in (self._primary, f"{self._primary}{SEPARATOR}{self._secondary}"):
            self._primary, self._secondary = text, ""
        super().setText(text)

    def minimumSizeHint(self) -> QSize:
        """As narrow as the layout wants; as tall as one line."""
        return QSize(0, super().minimumSizeHint().height())

    def shown_text(self) -> str:
        """The text as drawn at the current width."""
        primary, secondary = self._layout()
        return f"{primary}{SEPARATOR}{secondary}" if secondary else primary

    def _secondary_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(False)
        return font

    def _layout(self) -> tuple[str, str]:
        width = self.contentsRect().width()
        metrics = QFontMetrics(self.font())
        primary = metrics.elidedText(self._primary, Qt.TextElideMode.ElideRight, width)
        room = width - metrics.horizontalAdvance(primary)
        secondary = ""
        if self._secondary and primary == self._primary:
            small = QFontMetrics(self._secondary_font())
            secondary = small.elidedText(
                self._secondary,
                Qt.TextElideMode.ElideRight,
                room - small.horizontalAdvance(SEPARATOR),
            )
            if len(secondary) <= 1:  # an ellipsis alone says nothing
                secondary = ""
        return primary, secondary

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the elided parts (QLabel would clip the text mid-letter)."""
        primary, secondary = self._layout()
        shown = f"{primary}{SEPARATOR}{secondary}" if secondary else primary
        self.setToolTip(self.text() if shown != self.text() else "")
        painter = QPainter(self)
        ink = self.palette().color(self.foregroundRole())
        painter.setPen(ink)
        painter.setFont(self.font())
        rect = self.contentsRect()
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(rect, align, primary)
        if secondary:
            left = rect.left() + QFontMetrics(self.font()).horizontalAdvance(primary)
            painter.setFont(self._secondary_font())
            painter.setPen(mix(ink, self.palette().color(QPalette.ColorRole.Window), 0.4))
            rest = QRect(left, rect.top(), rect.right() - left + 1, rect.height())
            painter.drawText(rest, align, f"{SEPARATOR}{secondary}")
        painter.end()
