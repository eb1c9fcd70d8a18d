"""Empty states: an icon, a short title and a muted hint, where there is nothing to show."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QListView, QWidget

from ui.conversation_delegate import mix
from ui.icons import pixmap

ICON_SIZE = 40


@dataclass(frozen=True)
class EmptyText:
    """What an empty place says: an icon name, a title and a hint."""

    icon: str
    title: str
    hint: str = ""

    def sentence(self) -> str:
        """Title and hint as one line (accessible text and tests)."""
        return f"{self.title} — {self.hint}" if self.hint else self.title


def paint_empty(
    painter: QPainter, area: QRect, text: EmptyText, palette: QPalette, font: QFont
) -> None:
    """Draw `text` centred in `area`: icon, bold title and a wrapped muted hint."""
    base_role = QPalette.ColorRole.Base
    ink = palette.color(QPalette.ColorRole.Text)
    muted = mix(ink, palette.color(base_role), 0.45)
    width = max(40, min(area.width() - 32, 340))
    title_font = QFont(font)
    title_font.setBold(True)
    title_font.setPointSizeF(font.pointSizeF() + 1 if font.pointSizeF() > 0 else 11)
    flags = Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap
    title_rect = QFontMetrics(title_font).boundingRect(QRect(0, 0, width, 1000), flags, text.title)
    hint_rect = QFontMetrics(font).boundingRect(QRect(0, 0, width, 1000), flags, text.hint)
    total = ICON_SIZE + 12 + title_rect.height() + (6 + hint_rect.height() if text.hint else 0)
    top = area.top() + max(8, (area.height() - total) // 2 - area.height() // 10)
    left = area.left() + (area.width() - width) // 2
    ratio = painter.device().devicePixelRatioF()
    icon_left = area.left() + (area.width() - ICON_SIZE) // 2
    painter.drawPixmap(
        QRect(icon_left, top, ICON_SIZE, ICON_SIZE), pixmap(text.icon, muted, ICON_SIZE, ratio)
    )
    top += ICON_SIZE + 12
    painter.setFont(title_font)
    painter.setPen(ink)
    painter.drawText(QRect(left, top, width, title_rect.height()), flags, text.title)
    if text.hint:
        top += title_rect.height() + 6
        painter.setFont(font)
        painter.setPen(muted)
        painter.drawText(QRect(left, top, width, hint_rect.height()), flags, text.hint)


class EmptyStateListView(QListView):
    """A list view that says something useful when it has no rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty = EmptyText("empty-inbox", "Nothing here")

    def set_empty_text(self, text: EmptyText) -> None:
        """What to say when the list is empty."""
        if text != self._empty:
            self._empty = text
            self.viewport().update()

    def empty_text(self) -> EmptyText:
        """What the list says when it is empty."""
        return self._empty

    def paintEvent(self, event: QPaintEvent) -> None:
        """Rows as usual; the empty state when there are none."""
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            paint_empty(painter, self.viewport().rect(), self._empty, self.palette(), self.font())
            painter.end()


class EmptyStatePanel(QWidget):
    """A whole panel's empty state (the conversation view before one is picked)."""

    def __init__(self, text: EmptyText, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = text
        self.setAccessibleName(text.sentence())

    def paintEvent(self, event: QPaintEvent) -> None:
        """The icon, title and hint, centred."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_empty(painter, self.rect(), self.text, self.palette(), self.font())
        painter.end()
