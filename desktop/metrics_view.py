"""How Famulus is doing, over the last 30 days: response time, tool success rate,
retrieval accuracy and satisfaction, each a small line chart, with today's summary."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from desktop.qt import (
    QColor,
    QGridLayout,
    QLabel,
    QPainter,
    QPointF,
    QPushButton,
    QRectF,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

CHARTS = [("response_time_s", "Response time (median, s)", None),
          ("tool_success_rate", "Tool success rate", 1.0),
          ("retrieval_accuracy", "Retrieval accuracy (your memory feedback)", 1.0),
          ("satisfaction", "Satisfaction (your answer feedback)", 1.0)]


class LineChart(QWidget):
    """Points per day joined by a line; `top` fixes the scale (rates go to 1)."""

    def __init__(self, title: str, top: float | None) -> None:
        super().__init__()
        self.title, self.top = title, top
        self.points: list[tuple[str, float]] = []
        self.setMinimumSize(260, 150)

    def show_points(self, points: list[tuple[str, float]]) -> None:
        self.points = list(points)
        self.update()

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().text().color()
        painter.setPen(text)
        painter.drawText(QRectF(0, 0, self.width(), 18), Qt.AlignmentFlag.AlignLeft,
                         self.title)
        area = QRectF(36, 24, self.width() - 44, self.height() - 44)
        painter.setPen(QColor("#8a8a8a"))
        painter.drawRect(area)
        if not self.points:
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "no data yet")
            painter.end()
            return
        top = self.top or max(v for _, v in self.points) * 1.1 or 1.0
        painter.drawText(QRectF(0, area.top() - 6, 34, 14), Qt.AlignmentFlag.AlignRight,
                         f"{top:.3g}")
        painter.drawText(QRectF(0, area.bottom() - 8, 34, 14), Qt.AlignmentFlag.AlignRight,
                         "0")
        step = area.width() / max(1, len(self.points) - 1)
        dots = [QPointF(area.left() + i * step if len(self.points) > 1 else area.center().x(),
                        area.bottom() - area.height() * min(v, top) / top)
                for i, (_, v) in enumerate(self.points)]
        painter.setPen(QColor("#1e6fd9"))
        for a, b in pairwise(dots):
            painter.drawLine(a, b)
        painter.setBrush(QColor("#1e6fd9"))
        for dot in dots:
            painter.drawEllipse(dot, 3, 3)
        painter.setPen(text)
        painter.drawText(QRectF(area.left(), area.bottom() + 2, area.width(), 16),
                         Qt.AlignmentFlag.AlignLeft, self.points[0][0])
        painter.drawText(QRectF(area.left(), area.bottom() + 2, area.width(), 16),
                         Qt.AlignmentFlag.AlignRight, self.points[-1][0])
        painter.end()


class MetricsView(QWidget):
    """The four charts and a summary line; `refresh` asks the session for figures."""

    refresh = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.summary = QLabel("No figures yet.")
        self.summary.setWordWrap(True)
        self.charts = {key: LineChart(title, top) for key, title, top in CHARTS}
        grid = QGridLayout()
        for i, (key, _, _) in enumerate(CHARTS):
            grid.addWidget(self.charts[key], i // 2, i % 2)
        button = QPushButton("Refresh")
        button.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(grid, 1)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignRight)

    def show_figures(self, figures: dict[str, Any]) -> None:
        s = figures["summary"]
        p50 = s["response_time_s"]["p50"]
        rate = s["tool_success_rate"]
        happy = s["satisfaction"]["rate"]
        self.summary.setText(
            f"{s['turns']} turns; response time p50 {_num(p50, 's')}, first token p50 "
            f"{_num(s['time_to_first_token_s']['p50'], 's')}; {_num(s['tokens_per_s_median'])}"
            f" tokens/s; tool success {_pct(rate)} of {s['tool_calls']} calls "
            f"({s['tool_refusals']} refused); satisfaction {_pct(happy)}.")
        for key, chart in self.charts.items():
            chart.show_points(figures["daily"].get(key, []))


def _num(value: float | None, unit: str = "") -> str:
    return "—" if value is None else f"{value:.2f}{(' ' + unit) if unit else ''}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"
