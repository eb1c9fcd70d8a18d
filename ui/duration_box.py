"""A spin box for a number of seconds that reads as a duration ("4 min 30 s", "1 h 05 min").

Timers in the settings run from seconds to hours; a bare "270" makes the reader do the sum.
The box still holds whole seconds, keeps to its bounds, and accepts what people type: "90",
"90 s", "4:30", "4 min 30 s", "1 h 5 min", "1:05:00".
"""

from __future__ import annotations

import re

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QSpinBox, QWidget

# Longest unit names first, so that "min" is not read as "m" followed by "in".
_UNIT = re.compile(r"(\d+)\s*(hours?|h|minutes?|mins?|m|seconds?|secs?|s)?(?![a-z])", re.IGNORECASE)
# Characters that can appear while a duration is being typed.
_PARTIAL = re.compile(r"[\d\s:hminutesco]*", re.IGNORECASE)


def format_duration(seconds: int) -> str:
    """Seconds as a short duration: "45 s", "5 min", "4 min 30 s", "1 h", "1 h 05 min"."""
    if seconds < 60:
        return f"{seconds} s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        text = f"{hours} h" + (f" {minutes:02d} min" if minutes else "")
        return text + (f" {secs:02d} s" if secs else "")
    return f"{minutes} min" + (f" {secs:02d} s" if secs else "")


def parse_duration(text: str) -> int | None:
    """The seconds a typed duration means, or None when it is not one."""
    text = text.strip().lower()
    if not text:
        return None
    if re.fullmatch(r"\d+(:\d{1,2}){1,2}", text):
        total = 0
        for part in text.split(":"):
            total = total * 60 + int(part)
        return total
    pos, total, found = 0, 0, False
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        match = _UNIT.match(text, pos)
        if match is None:
            return None
        number, unit = int(match.group(1)), (match.group(2) or "s")[0]
        total += number * {"h": 3600, "m": 60, "s": 1}[unit]
        pos, found = match.end(), True
    return total if found else None


class DurationBox(QSpinBox):
    """Whole seconds between two bounds, shown and typed as a duration."""

    def __init__(
        self, minimum: int, maximum: int, step: int = 5, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setRange(minimum, maximum)
        self.setSingleStep(step)
        self.setAccelerated(True)
        # A value typed out of range is pulled back to the nearest bound, never sent.
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        self.setToolTip(self.bounds_text())

    def bounds_text(self) -> str:
        """The bounds in words, e.g. "5 s to 1 h"."""
        return f"{format_duration(self.minimum())} to {format_duration(self.maximum())}"

    def textFromValue(self, value: int) -> str:
        """Show the value as a duration."""
        return format_duration(value)

    def valueFromText(self, text: str) -> int:
        """Read a typed duration (the current value when it is not one)."""
        seconds = parse_duration(text)
        return self.value() if seconds is None else seconds

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        """Acceptable when it is a duration within bounds; Intermediate while being typed."""
        seconds = parse_duration(text)
        if seconds is not None and self.minimum() <= seconds <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        if _PARTIAL.fullmatch(text):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def fixup(self, text: str) -> str:
        """An out-of-range duration becomes the nearest bound."""
        seconds = parse_duration(text)
        if seconds is None:
            return format_duration(self.value())
        return format_duration(max(self.minimum(), min(self.maximum(), seconds)))
