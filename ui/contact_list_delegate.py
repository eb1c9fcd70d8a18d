"""How the contacts window's rows look: a contact (an initials avatar, the name in bold, how to
reach them below) and a history entry (its time muted above the sentence)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from inbox_protocol import Contact
from ui.contact_list_model import ContactRole

AVATAR_COLOURS = ("#5b7bd5", "#3f9d8f", "#c07a3a", "#9a5bc4", "#c2536b", "#5c8f3e")
PADDING = 8
AVATAR = 30


def initials(name: str) -> str:
    """Up to two initials of a name ("Maria Garcia" → "MG")."""
    parts = [p for p in name.split() if p[:1].isalnum()]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


class ContactRowDelegate(QStyledItemDelegate):
    """Paints one contact from `ContactRole`; no widget per row."""

    def __init__(
        self, rep_name: Callable[[str | None], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.rep_name = rep_name

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
                 ) -> QSize:  # fmt: skip
        """Two lines of text beside the avatar."""
        height = max(AVATAR, 2 * QFontMetrics(option.font).height() + 2) + 2 * PADDING
        return QSize(200, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:  # fmt: skip
        """Background by state, then the avatar and the two elided lines."""
        contact = index.data(ContactRole)
        if not isinstance(contact, Contact):
            return
        style = option.widget.style() if option.widget else None
        painter.save()
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter,
                                option.widget)  # fmt: skip
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text = palette.color(QPalette.ColorRole.HighlightedText if selected
                             else QPalette.ColorRole.Text)  # fmt: skip
        muted = QColor(text)
        muted.setAlpha(165)
        rect = option.rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        avatar = QRect(rect.left(), rect.center().y() - AVATAR // 2, AVATAR, AVATAR)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(AVATAR_COLOURS[sum(map(ord, contact.id)) % len(AVATAR_COLOURS)]))
        painter.drawEllipse(avatar)
        small = QFont(option.font)
        small.setBold(True)
        small.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.85))
        painter.setFont(small)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(avatar, Qt.AlignmentFlag.AlignCenter, initials(contact.name))
        left = avatar.right() + PADDING
        width = rect.right() - left
        bold = QFont(option.font)
        bold.setBold(True)
        line = QFontMetrics(option.font).height()
        top = rect.center().y() - line
        painter.setFont(bold)
        painter.setPen(text)
        name = QFontMetrics(bold).elidedText(contact.name, Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, top, width, line), Qt.AlignmentFlag.AlignVCenter, name)
        reach = " · ".join(filter(None, (contact.phone, contact.email))) or contact.handle
        rep = self.rep_name(contact.account_rep_id) if contact.account_rep_id else ""
        detail = reach + (f" · rep {rep}" if rep else "")
        painter.setFont(option.font)
        painter.setPen(muted)
        detail = QFontMetrics(option.font).elidedText(detail, Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, top + line + 2, width, line), Qt.AlignmentFlag.AlignVCenter,
                         detail)  # fmt: skip
        painter.restore()


class HistoryRowDelegate(QStyledItemDelegate):
    """A history entry: its time small and muted above the sentence (wrapped)."""

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        small = QFont(option.font)
        small.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.85))
        return small, QFont(option.font)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
                 ) -> QSize:  # fmt: skip
        """The time's line plus the sentence wrapped to the view's width."""
        small, body = self._fonts(option)
        text = str(index.data() or "").partition("\n")[2]
        width = max(80, (option.widget.width() if option.widget else 300) - 4 * PADDING)
        flags = int(Qt.TextFlag.TextWordWrap)
        wrapped = QFontMetrics(body).boundingRect(QRect(0, 0, width, 10_000), flags, text)
        return QSize(width, QFontMetrics(small).height() + wrapped.height() + PADDING + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:  # fmt: skip
        """The muted time, then the sentence."""
        small, body = self._fonts(option)
        when, _, text = str(index.data() or "").partition("\n")
        painter.save()
        colour = option.palette.color(QPalette.ColorRole.Text)
        muted = QColor(colour)
        muted.setAlpha(150)
        rect = option.rect.adjusted(PADDING, PADDING // 2, -PADDING, -PADDING // 2)
        line = QFontMetrics(small).height()
        painter.setFont(small)
        painter.setPen(muted)
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), line),
                         Qt.AlignmentFlag.AlignVCenter, when)  # fmt: skip
        painter.setFont(body)
        painter.setPen(colour)
        painter.drawText(rect.adjusted(0, line + 2, 0, 0), int(Qt.TextFlag.TextWordWrap), text)
        painter.restore()
