"""Paints message rows: bubbles (customer left, agent right), day separators, routing steps.

`message_layout` places a row's parts for a width; `sizeHint` and `paint` share it, and wrapped
text is laid out once per (text, width, font) and cached, not per paint.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QPen,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ui.conversation_delegate import accent, mix
from ui.icons import is_dark, pixmap
from ui.message_model import MessageRole, MessageRow

Index = QModelIndex | QPersistentModelIndex
SIDE = 16  # space between a bubble and the list's edge
PAD_X, PAD_Y = 12, 8  # inside a bubble
META_GAP = 3
ROW_GAP = 10
DAY_HEIGHT = 38
STATE_ICON = 14
CACHE_LIMIT = 1024


def wrapped(
    text: str, font: QFont, width: int, centred: bool = False
) -> tuple[QTextLayout, int, int]:
    """`text` laid out in lines no wider than `width`: the layout, its width and height."""
    # QTextLayout breaks lines at U+2028, not at "\n".
    layout = QTextLayout(text.replace("\r\n", "\n").replace("\n", "\u2028"), font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    if centred:
        option.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    layout.setTextOption(option)
    layout.beginLayout()
    height = 0.0
    widest = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(1, width))
        line.setPosition(QPointF(0, height))
        height += line.height()
        widest = max(widest, line.naturalTextWidth())
    layout.endLayout()
    return layout, int(widest + 0.999), int(height + 0.999)


@dataclass
class MessageLayout:
    """Where a row's parts go, relative to the row's top-left corner."""

    height: int
    bubble: QRect | None = None
    text: QTextLayout | None = None
    text_at: QPointF | None = None
    meta: QRect | None = None
    meta_text: str = ""
    state_icon: QRect | None = None


def small_font(base: QFont) -> QFont:
    """The font of times, separators and steps: a step smaller than the messages."""
    small = QFont(base)
    if base.pointSizeF() > 0:
        small.setPointSizeF(max(6.0, base.pointSizeF() - 1.5))
    return small


def meta_words(row: MessageRow) -> str:
    """The line under a bubble; queued and failed replies say so in words."""
    if row.delivery == "queued":
        return f"{row.meta()} · Queued: sends when back online"
    if row.delivery == "failed":
        return f"{row.meta()} · Not delivered"
    return row.meta()


def message_layout(row: MessageRow, width: int, font: QFont) -> MessageLayout:
    """Place a row's bubble, text, meta line and state icon for a list `width` pixels wide."""
    small = small_font(font)
    small_m = QFontMetrics(small)
    if row.kind == "day":
        return MessageLayout(DAY_HEIGHT)
    if row.kind == "step":
        inner = max(40, min(width - 2 * SIDE - 2 * PAD_X, 520))
        _, text_w, _ = wrapped(row.text, small, inner)
        # Laid out again at its own width, so that wrapped lines centre inside the pill.
        text, text_w, text_h = wrapped(row.text, small, text_w, centred=True)
        pill_w = text_w + 2 * PAD_X
        pill = QRect((width - pill_w) // 2, 4, pill_w, text_h + 8)
        return MessageLayout(
            pill.bottom() + 1 + 6,
            bubble=pill,
            text=text,
            text_at=QPointF(pill.left() + PAD_X, pill.top() + 4),
        )
    out = row.kind == "out"
    inner_max = max(40, min(int(width * 0.72), 620) - 2 * PAD_X)
    text, text_w, text_h = wrapped(row.text, font, inner_max)
    meta_text = meta_words(row)
    icon_w = STATE_ICON + 4 if out and row.delivery else 0
    # A little slack: elidedText() rounds differently from horizontalAdvance().
    meta_w = min(small_m.horizontalAdvance(meta_text) + 4, max(0, width - 2 * SIDE - icon_w))
    bubble_w = text_w + 2 * PAD_X
    left = width - SIDE - bubble_w if out else SIDE
    bubble = QRect(left, 4, bubble_w, text_h + 2 * PAD_Y)
    if not row.meta_shown:  # the next bubble of the group carries the time and state
        return MessageLayout(
            bubble.bottom() + 1,
            bubble=bubble,
            text=text,
            text_at=QPointF(bubble.left() + PAD_X, bubble.top() + PAD_Y),
        )
    meta_top = bubble.bottom() + 1 + META_GAP
    meta_h = max(small_m.height(), STATE_ICON if icon_w else 0)
    if out:
        meta = QRect(width - SIDE - icon_w - meta_w, meta_top, meta_w, meta_h)
        icon = (
            QRect(meta.right() + 5, meta_top + (meta_h - STATE_ICON) // 2, STATE_ICON, STATE_ICON)
            if icon_w
            else None
        )
    else:
        meta = QRect(SIDE + 2, meta_top, meta_w, meta_h)
        icon = None
    elided = small_m.elidedText(meta_text, Qt.TextElideMode.ElideRight, meta_w)
    return MessageLayout(
        meta.bottom() + 1 + ROW_GAP,
        bubble=bubble,
        text=text,
        text_at=QPointF(bubble.left() + PAD_X, bubble.top() + PAD_Y),
        meta=meta,
        meta_text=elided,
        state_icon=icon,
    )


class MessageDelegate(QStyledItemDelegate):
    """Draws the rows of `ui.message_model` for the view it is given."""

    def __init__(self, view: QWidget, width_of: QWidget) -> None:
        super().__init__(view)
        self._width_of = width_of  # the viewport: bubbles wrap to its width
        self._cache: dict[tuple[object, ...], MessageLayout] = {}

    def layout_for(self, row: MessageRow, font: QFont) -> MessageLayout:
        """The row's layout at the viewport's current width (cached)."""
        width = self._width_of.width()
        key = (row, width, font.key())
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            found = self._cache[key] = message_layout(row, width, font)
        return found

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """As tall as the row's wrapped text and meta line."""
        row = index.data(MessageRole.Row)
        if not isinstance(row, MessageRow):
            return QSize(0, 0)
        return QSize(self._width_of.width(), self.layout_for(row, option.font).height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """Draw one row."""
        row = index.data(MessageRole.Row)
        if not isinstance(row, MessageRow):
            return
        layout = self.layout_for(row, option.font)
        palette = option.palette
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(option.rect.topLeft())
        if row.kind == "day":
            self._paint_day(painter, row, option)
        elif row.kind == "step":
            self._paint_step(painter, layout, palette)
        else:
            selected = bool(option.state & QStyle.StateFlag.State_Selected)
            self._paint_bubble(painter, row, layout, option, selected)
        painter.restore()

    def _paint_day(self, painter: QPainter, row: MessageRow, option: QStyleOptionViewItem) -> None:
        palette = option.palette
        width = option.rect.width()
        font = small_font(option.font)
        font.setBold(True)
        metrics = QFontMetrics(font)
        text = metrics.elidedText(row.text, Qt.TextElideMode.ElideRight, max(0, width - 2 * SIDE))
        text_w = metrics.horizontalAdvance(text)
        muted = mix(
            palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.45
        )
        line = mix(
            palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.82
        )
        mid = DAY_HEIGHT // 2
        left_end = (width - text_w) // 2 - 10
        painter.setPen(QPen(line, 1))
        if left_end > SIDE:
            painter.drawLine(SIDE, mid, left_end, mid)
            painter.drawLine(width - left_end, mid, width - SIDE, mid)
        painter.setFont(font)
        painter.setPen(muted)
        painter.drawText(QRect(0, 0, width, DAY_HEIGHT), Qt.AlignmentFlag.AlignCenter, text)

    def _paint_step(self, painter: QPainter, layout: MessageLayout, palette: QPalette) -> None:
        if layout.bubble is None or layout.text is None or layout.text_at is None:
            return
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(mix(base, text, 0.07 if is_dark(palette) else 0.05))
        painter.drawRoundedRect(layout.bubble, 8, 8)
        painter.setPen(mix(text, base, 0.35))
        layout.text.draw(painter, layout.text_at)

    def _paint_bubble(
        self,
        painter: QPainter,
        row: MessageRow,
        layout: MessageLayout,
        option: QStyleOptionViewItem,
        selected: bool,
    ) -> None:
        if layout.bubble is None or layout.text is None or layout.text_at is None:
            return
        palette = option.palette
        dark = is_dark(palette)
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        ink = text
        border: QPen | None = None
        if row.kind == "in":
            fill = QColor("#2c313a" if dark else "#ffffff")
            border = QPen(QColor("#3a404b" if dark else "#e1e5eb"), 1)
        elif row.delivery in ("queued", "pending"):
            # Not on the wire yet: a pale bubble with a dashed edge, so it reads as "not sent".
            fill = QColor("#2c3a57" if dark else "#e6eefd")
            border = QPen(accent(palette), 1, Qt.PenStyle.DashLine)
        else:
            fill = QColor("#3d6fd6" if dark else "#2f6fde")
            ink = QColor("#ffffff")
        if selected:
            border = QPen(palette.color(QPalette.ColorRole.Link), 2)
        painter.setBrush(fill)
        painter.setPen(border if border is not None else Qt.PenStyle.NoPen)
        painter.drawRoundedRect(layout.bubble.adjusted(0, 0, -1, -1), 10, 10)
        painter.setPen(ink)
        layout.text.draw(painter, layout.text_at)
        if layout.meta is None:
            return
        muted = mix(text, base, 0.45)
        failed = row.delivery == "failed"
        danger = QColor("#ff8a94" if dark else "#b02a37")
        painter.setFont(small_font(option.font))
        painter.setPen(danger if failed else muted)
        align = Qt.AlignmentFlag.AlignVCenter
        align |= Qt.AlignmentFlag.AlignRight if row.kind == "out" else Qt.AlignmentFlag.AlignLeft
        painter.drawText(layout.meta, align, layout.meta_text)
        if layout.state_icon is not None and row.delivery:
            colour = danger if failed else accent(palette) if row.delivery == "delivered" else muted
            ratio = painter.device().devicePixelRatioF()
            painter.drawPixmap(
                layout.state_icon, pixmap(f"delivery-{row.delivery}", colour, STATE_ICON, ratio)
            )
