"""Initials avatars: a colour from a stable hash of the contact, drawn once and cached."""

from __future__ import annotations

import zlib
from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap

# Mid-tone colours that carry white initials in the light and the dark theme alike.
AVATAR_COLOURS = (
    "#3b6fd8",
    "#2f8f6a",
    "#c2512f",
    "#8a4fc7",
    "#b7367a",
    "#1f8a9e",
    "#a8741a",
    "#5a6b85",
    "#4a8f2a",
    "#c23d4b",
)


def initials(name: str) -> str:
    """Up to two initials from a name ("Maria Garcia" -> "MG"); "#" when it has no letters."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return "#"
    if len(words) == 1:
        return words[0][:2].upper() if len(words[0]) > 1 else words[0][0].upper()
    return (words[0][0] + words[-1][0]).upper()


def avatar_colour(key: str) -> str:
    """The avatar colour of a contact: the same key always gets the same colour."""
    return AVATAR_COLOURS[zlib.crc32(key.encode("utf-8")) % len(AVATAR_COLOURS)]


@lru_cache(maxsize=1024)
def avatar(key: str, name: str, size: int, ratio: float = 1.0) -> QPixmap:
    """A round avatar with the contact's initials, `size` logical pixels across (cached)."""
    side = max(1, round(size * ratio))
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(avatar_colour(key)))
    painter.drawEllipse(QRectF(0, 0, side, side))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(1, round(side * 0.38)))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(QRectF(0, 0, side, side), Qt.AlignmentFlag.AlignCenter, initials(name))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap
