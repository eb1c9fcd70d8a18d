"""Small pieces of the team-load panel: the team's figures, the load bar, and the content's
box and layout."""

from __future__ import annotations

import time

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from inbox_protocol import TeamLoad
from ui.team_load_charts import CLAIMED, PRIORITY
from ui.team_load_model import LoadRole, age

Index = QModelIndex | QPersistentModelIndex
# From this width the eight figures fit in one row without wrapping their captions.
WIDE = 1150


def duration(seconds: float | None) -> str:
    """A duration in words: "—" when unknown, "40 s", "6 min", "1 h 05"."""
    if seconds is None:
        return "—"
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d}"


class Figure(QWidget):
    """One figure: a value over its caption."""

    def __init__(self, caption: str, tip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = QLabel("—", self)
        self.value.setObjectName("figureValue")
        self.caption = QLabel(caption, self)
        self.caption.setObjectName("figureCaption")
        self.caption.setWordWrap(True)
        self.setToolTip(tip)
        self.setAccessibleName(caption)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)


class TeamFigures(QWidget):
    """The team's queue and today's routing figures, in two rows of four."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamFigures")
        self._load: TeamLoad | None = None
        specs = {
            "shared": ("In the shared inbox", "Conversations nobody has claimed yet"),
            "oldest": ("Oldest shared wait", "How long the oldest shared conversation waits"),
            "waiting": ("Waiting for capacity",
                        "Held for their account rep until the rep has room (invisible)"),
            "median": ("Median time to claim", "From a conversation's start to its claim, today"),
            "routed": ("Routed to priority", "Sent to the customer's account rep first, today"),
            "claimed": ("Claimed by the rep",
                        "Priority conversations their rep claimed in time, today"),
            "timeout": ("Shared on timeout",
                        "Priority conversations shared: the rep did not claim them in time"),
            "adherence": ("Rep adherence",
                          "Claimed by the rep, of those claimed or shared after the time to share"),
        }  # fmt: skip
        self.figures = {key: Figure(caption, tip, self) for key, (caption, tip) in specs.items()}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(4)
        self._columns = 0
        self._lay_out(4)

    def _lay_out(self, columns: int) -> None:
        """One row of eight when there is room, else two rows of four."""
        if columns == self._columns:
            return
        self._columns = columns
        for figure in self.figures.values():
            self._grid.removeWidget(figure)
        for i, figure in enumerate(self.figures.values()):
            self._grid.addWidget(figure, i // columns, i % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Re-flow the figures for the new width."""
        self._lay_out(8 if event.size().width() >= WIDE else 4)
        super().resizeEvent(event)

    def show_load(self, load: TeamLoad) -> None:
        """Show a team load's figures."""
        self._load = load
        today = load.today
        adherence = today.rep_adherence_percent
        values = {
            "shared": str(load.queue.shared),
            "waiting": str(load.queue.waiting_for_capacity),
            "median": duration(today.median_seconds_to_claim),
            "routed": str(today.routed_priority),
            "claimed": str(today.claimed_from_priority),
            "timeout": str(today.shared_after_timeout),
            "adherence": "—" if adherence is None else f"{adherence:.0f} %",
        }
        for key, value in values.items():
            self.figures[key].value.setText(value)
        self.tick()

    def tick(self) -> None:
        """Move the oldest wait on with the clock."""
        load = self._load
        oldest = load.queue.oldest_shared_since if load else None
        self.figures["oldest"].value.setText(age(oldest, time.time()) if oldest else "—")

    def text(self, key: str) -> str:
        """A figure's value as shown."""
        return self.figures[key].value.text()


class LoadBarDelegate(QStyledItemDelegate):
    """Open/capacity as a bar: claimed, then pending priority, against the agent's maximum."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """Draw the bar and "n / max" beside it."""
        figures = index.data(LoadRole)
        if not isinstance(figures, tuple):
            super().paint(painter, option, index)
            return
        claimed, priority, max_open = figures
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter,
                                option.widget)  # fmt: skip
        painter.save()
        rect: QRect = option.rect.adjusted(6, 0, -6, 0)
        text = f"{claimed + priority} / {max_open}"
        metrics = option.fontMetrics
        text_width = metrics.horizontalAdvance("00 / 00") + 6
        bar = QRect(rect.left(), rect.center().y() - 5, max(10, rect.width() - text_width), 10)
        palette = option.palette
        track = QColor(palette.color(QPalette.ColorRole.Text))
        track.setAlpha(40)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(track)
        painter.drawRoundedRect(bar, 3, 3)
        scale = bar.width() / max(max_open, claimed + priority, 1)
        x = bar.left()
        for count, colour in ((claimed, CLAIMED), (priority, PRIORITY)):
            width = round(count * scale)
            if width:
                painter.setBrush(colour)
                painter.drawRoundedRect(QRect(x, bar.top(), width, bar.height()), 3, 3)
                x += width
        full = claimed + priority >= max_open
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(QColor("#d9480f") if full and not selected else palette.color(role))
        painter.drawText(
            QRect(bar.right() + 6, rect.top(), text_width, rect.height()),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            text,
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """Room for a short bar and its figures."""
        hint = super().sizeHint(option, index)
        return QSize(max(hint.width(), 110), hint.height())


class PanelBody(QWidget):
    """The panel's content: it asks for no more than its minimum, so that the scroll area
    fills the dock with it and scrolls only below that minimum."""

    def sizeHint(self) -> QSize:
        """As small as it may be."""
        return self.minimumSizeHint()


class FlatLayout(QVBoxLayout):
    """The content's layout, without height-for-width: the scroll area would otherwise size
    the content by its wrapped labels' preferred heights (taller than the dock) and scroll."""

    def hasHeightForWidth(self) -> bool:
        """Never: the content takes the dock's height."""
        return False
