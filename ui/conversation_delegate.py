"""Paints a conversation row from the model's roles, with the layout of `ui.row_layout`."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from ui.avatars import avatar
from ui.conversation_model import Role
from ui.icons import CHANNEL_NAMES, channel_icon_name, is_dark, pixmap
from ui.row_layout import (
    RowFonts,
    RowLayout,
    RowTexts,
    countdown,
    layout_row,
    row_height,
    when_text,
)

Index = QModelIndex | QPersistentModelIndex
# Rows cached before the cache is dropped: enough for every visible row at several widths.
CACHE_LIMIT = 2048


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """`a` moved `amount` (0..1) of the way towards `b`: muted tones stay opaque."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


def accent(palette: QPalette) -> QColor:
    """The accent of badges and links, readable on either theme."""
    return QColor("#5b8ef0" if is_dark(palette) else "#2f6fde")


class ConversationDelegate(QStyledItemDelegate):
    """One conversation per row: avatar, name, time, channel, preview, countdown and badge."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layouts: dict[tuple[object, ...], RowLayout] = {}

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """Every row is as tall as the others (the list uses uniform item sizes)."""
        return QSize(option.rect.width(), row_height(RowFonts.from_font(option.font)))

    def row_layout(self, option: QStyleOptionViewItem, index: Index) -> RowLayout:
        """The row's layout, computed once per width and contents (shared by paint and tests)."""
        texts = RowTexts(
            name=str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
            preview=str(index.data(Role.Preview) or ""),
            time=when_text(index.data(Role.LastAt), datetime.now(UTC)),
            seconds_to_share=index.data(Role.SecondsToShare),
            unread=int(index.data(Role.Unread) or 0),
        )
        key = (option.rect.width(), option.rect.height(), option.font.key(), texts)
        found = self._layouts.get(key)
        if found is None:
            if len(self._layouts) >= CACHE_LIMIT:
                self._layouts.clear()
            rect = QRect(0, 0, option.rect.width(), option.rect.height())
            found = self._layouts[key] = layout_row(rect, texts, RowFonts.from_font(option.font))
        return found

    def part_at(self, option: QStyleOptionViewItem, index: Index, pos: QPoint) -> str | None:
        """Which part of the row is under `pos` (view coordinates): "badge", "channel", …"""
        local = pos - option.rect.topLeft()
        for name, rect in self.row_layout(option, index).parts().items():
            if rect.contains(local):
                return name
        return None

    def tip_for(self, option: QStyleOptionViewItem, index: Index, pos: QPoint) -> str:
        """The tooltip of the part under `pos`; the row's own summary elsewhere."""
        part = self.part_at(option, index, pos)
        layout = self.row_layout(option, index)
        if part == "channel":
            channel = str(index.data(Role.Channel) or "")
            return f"Channel: {CHANNEL_NAMES.get(channel, channel)}"
        if part == "countdown":
            seconds = int(index.data(Role.SecondsToShare) or 0)
            return f"Goes to the shared inbox in {countdown(seconds)} unless you claim it"
        if part == "badge":
            unread = int(index.data(Role.Unread) or 0)
            return f"{unread} unread message" + ("" if unread == 1 else "s")
        if part == "time" and index.data(Role.LastAt) is not None:
            return f"Last message {index.data(Role.LastAt).astimezone():%A %d %B, %H:%M}"
        if part == "name" and layout.name_text != str(index.data(Qt.ItemDataRole.DisplayRole)):
            return str(index.data(Qt.ItemDataRole.DisplayRole))
        return str(index.data(Qt.ItemDataRole.ToolTipRole) or "")

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        """Tooltips per part (channel, countdown, badge, time), from the same layout as paint."""
        if event.type() != QEvent.Type.ToolTip or not index.isValid():
            return super().helpEvent(event, view, option, index)
        QToolTip.showText(event.globalPos(), self.tip_for(option, index, event.pos()), view)
        return True

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """Draw one row."""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget
            )
        layout = self.row_layout(option, index)
        fonts = RowFonts.from_font(option.font)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = mix(text, palette.color(QPalette.ColorRole.Highlight) if selected else base, 0.4)
        unread = int(index.data(Role.Unread) or 0)
        ratio = painter.device().devicePixelRatioF()
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        key = str(index.data(Role.ContactId) or index.data(Qt.ItemDataRole.DisplayRole) or "")
        name = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        painter.drawPixmap(layout.avatar, avatar(key, name, layout.avatar.width(), ratio))
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.setFont(fonts.name)
        painter.setPen(text)
        painter.drawText(layout.name, left, layout.name_text)
        if layout.time is not None:
            painter.setFont(fonts.badge if unread else fonts.small)
            painter.setPen(accent(palette) if unread and not selected else muted)
            painter.drawText(
                layout.time,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                layout.time_text,
            )
        channel = str(index.data(Role.Channel) or "")
        painter.drawPixmap(
            layout.channel, pixmap(channel_icon_name(channel), muted, layout.channel.width(), ratio)
        )
        if layout.preview is not None:
            painter.setFont(fonts.body)
            painter.setPen(text if unread else muted)
            painter.drawText(layout.preview, left, layout.preview_text)
        self._paint_pills(painter, layout, fonts, palette, index, ratio)
        painter.restore()

    def _paint_pills(
        self,
        painter: QPainter,
        layout: RowLayout,
        fonts: RowFonts,
        palette: QPalette,
        index: Index,
        ratio: float,
    ) -> None:
        dark = is_dark(palette)
        if layout.countdown is not None and layout.countdown_icon is not None:
            seconds = int(index.data(Role.SecondsToShare) or 0)
            urgent = seconds < 60
            if dark:
                fill, ink = ("#5a1e24", "#ffb3b8") if urgent else ("#4a3a12", "#ffd78a")
            else:
                fill, ink = ("#fde2e1", "#a4232f") if urgent else ("#fff1d6", "#8a5a00")
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(fill))
            radius = layout.countdown.height() / 2
            painter.drawRoundedRect(layout.countdown, radius, radius)
            painter.drawPixmap(
                layout.countdown_icon,
                pixmap("countdown", QColor(ink), layout.countdown_icon.width(), ratio),
            )
            painter.setFont(fonts.badge)
            painter.setPen(QColor(ink))
            text_rect = layout.countdown.adjusted(layout.countdown_icon.width() + 10, 0, -6, 0)
            painter.drawText(
                text_rect,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                layout.countdown_text,
            )
        if layout.badge is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(accent(palette))
            radius = layout.badge.height() / 2
            painter.drawRoundedRect(layout.badge, radius, radius)
            painter.setFont(fonts.badge)
            painter.setPen(QColor("#ffffff"))
            painter.drawText(layout.badge, Qt.AlignmentFlag.AlignCenter, layout.badge_text)
