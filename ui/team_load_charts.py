"""The team-load panel's two charts (QtCharts): load per agent, and the shared queue's depth
over the last hour.

QtCharts (PySide6-Addons, the same Qt build as the rest of the app) is picked over QtGraphs and
pyqtgraph: it draws with QPainter like every other widget here, so it renders offscreen, in
the bundle and on software GL alike, and it needs no extra Python dependency tree.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QWidget

from inbox_protocol import AgentLoad, QueueSample

CLAIMED = QColor("#3b82f6")
PRIORITY = QColor("#f59e0b")
FREE_LIGHT = QColor("#d5d9e0")
FREE_DARK = QColor("#3a3f4a")
QUEUE = QColor("#10b981")
HOUR = 3600.0
MIN_HEIGHT = 170
CHROME_HEIGHT = 105
BAND_HEIGHT = 24


def _is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


def _style(chart: QChart, widget: QWidget) -> None:
    """Transparent background, the widget's text colour: the charts follow the theme."""
    chart.setBackgroundVisible(False)
    chart.setPlotAreaBackgroundVisible(False)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.layout().setContentsMargins(0, 0, 0, 0)
    text = widget.palette().color(QPalette.ColorRole.WindowText)
    chart.setTitleBrush(text)
    chart.legend().setLabelColor(text)
    grid = QColor(text)
    grid.setAlpha(40)
    for axis in chart.axes():
        axis.setLabelsColor(text)
        axis.setGridLineColor(grid)
        axis.setLinePenColor(grid)


class LoadChart(QChartView):
    """A horizontal stacked bar per agent: claimed, pending priority, free capacity."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Load per agent")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        chart = QChart()
        chart.setTitle("Load per agent")
        self.claimed = QBarSet("Claimed")
        self.priority = QBarSet("Priority")
        self.free = QBarSet("Free")
        self.series = QHorizontalStackedBarSeries()
        for bar_set in (self.claimed, self.priority, self.free):
            self.series.append(bar_set)
        chart.addSeries(self.series)
        self.categories = QBarCategoryAxis()
        self.values = QValueAxis()
        self.values.setLabelFormat("%d")
        chart.addAxis(self.categories, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(self.values, Qt.AlignmentFlag.AlignBottom)
        self.series.attachAxis(self.categories)
        self.series.attachAxis(self.values)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setChart(chart)
        self.restyle()

    def restyle(self) -> None:
        """Take the current theme's colours."""
        _style(self.chart(), self)
        self.claimed.setColor(CLAIMED)
        self.priority.setColor(PRIORITY)
        self.free.setColor(FREE_DARK if _is_dark(self) else FREE_LIGHT)
        for bar_set in (self.claimed, self.priority, self.free):
            bar_set.setBorderColor(Qt.GlobalColor.transparent)

    def set_agents(self, agents: list[AgentLoad]) -> None:
        """Show these agents' load (top to bottom in the table's order)."""
        # Category axes draw the first category at the bottom: reverse to match the table.
        ordered = list(reversed(agents))
        names = [a.display_name for a in ordered]
        if self.categories.categories() != names:
            self.categories.clear()
            self.categories.append(names)
        for bar_set, values in (
            (self.claimed, [float(a.open) for a in ordered]),
            (self.priority, [float(a.priority) for a in ordered]),
            (self.free, [float(max(0, a.max_open - a.open - a.priority)) for a in ordered]),
        ):
            if bar_set.count() != len(values):
                bar_set.remove(0, bar_set.count())
                bar_set.append(values)
            else:
                for i, value in enumerate(values):
                    if bar_set.at(i) != value:
                        bar_set.replace(i, value)
        top = max([a.max_open for a in agents] + [a.open + a.priority for a in agents] + [1])
        self.values.setRange(0, top)
        # QtCharts elides a name that is taller than its band: give every agent a band that fits.
        self.setMinimumHeight(max(MIN_HEIGHT, CHROME_HEIGHT + BAND_HEIGHT * len(agents)))
        self.values.setTickCount(min(top, 5) + 1)

    def bar_values(self) -> list[tuple[float, float, float]]:
        """(claimed, priority, free) per bar, top to bottom: what the chart draws."""
        rows = [
            (self.claimed.at(i), self.priority.at(i), self.free.at(i))
            for i in range(self.claimed.count())
        ]
        return list(reversed(rows))


class QueueChart(QChartView):
    """The shared queue's depth over the last hour, as steps."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Shared queue over the last hour")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        chart = QChart()
        chart.setTitle("Shared queue, last hour")
        self.series = QLineSeries()
        self.series.setName("Waiting in the shared inbox")
        chart.addSeries(self.series)
        self.time_axis = QDateTimeAxis()
        self.time_axis.setFormat("HH:mm")
        # An hour in three ticks (-60, -30, now min): labels that fit a narrow chart.
        self.time_axis.setTickCount(3)
        self.depth_axis = QValueAxis()
        self.depth_axis.setLabelFormat("%d")
        chart.addAxis(self.time_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.depth_axis, Qt.AlignmentFlag.AlignLeft)
        self.series.attachAxis(self.time_axis)
        self.series.attachAxis(self.depth_axis)
        chart.legend().hide()
        self.setChart(chart)
        self.restyle()

    def restyle(self) -> None:
        """Take the current theme's colours."""
        _style(self.chart(), self)
        self.series.setPen(QPen(QUEUE, 2))

    def set_history(self, samples: list[QueueSample], now: datetime) -> None:
        """Draw the samples as steps from an hour before `now` to `now`."""
        end = now.timestamp()
        start = end - HOUR
        points: list[QPointF] = []
        depth: int | None = None
        for sample in samples:
            at = max(sample.at.timestamp(), start)
            if depth is not None:
                points.append(QPointF(at * 1000, depth))
            depth = sample.shared
            points.append(QPointF(at * 1000, depth))
        if depth is not None:
            points.append(QPointF(end * 1000, depth))
        self.series.replace(points)
        self.time_axis.setRange(
            QDateTime.fromMSecsSinceEpoch(int(start * 1000)),
            QDateTime.fromMSecsSinceEpoch(int(end * 1000)),
        )
        top = max([int(p.y()) for p in points] + [1])
        self.depth_axis.setRange(0, top + (1 if top < 5 else top // 5))
        self.depth_axis.setTickCount(min(top + 1, 5) + 1)

    def depths(self) -> list[int]:
        """The depths the line passes through, in order (without repeats of a step)."""
        out: list[int] = []
        for point in self.series.points():
            if not out or out[-1] != int(point.y()):
                out.append(int(point.y()))
        return out
