"""Line icons from `resources/icons/`, drawn in a palette colour so they follow the theme.

The SVGs stroke with `currentColor`; each is rendered with that word replaced by the colour
asked for, and the pixmap is cached by (name, colour, size, device pixel ratio): painting a row
never parses or renders an SVG again.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

import resources

CHANNELS = ("sms", "email", "chat", "web_form")
CHANNEL_NAMES = {"sms": "SMS", "email": "E-mail", "chat": "Chat", "web_form": "Web form"}


@cache
def _svg(name: str) -> str:
    return resources.read_text("icons", f"{name}.svg")


@cache
def _pixmap(name: str, rgba: str, size: int, ratio: float) -> QPixmap:
    source = _svg(name).replace("currentColor", rgba)
    renderer = QSvgRenderer(QByteArray(source.encode("utf-8")))
    if not renderer.isValid():
        raise ValueError(f"icon {name!r} is not a valid SVG")
    side = max(1, round(size * ratio))
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, side, side))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def pixmap(name: str, color: QColor, size: int, ratio: float = 1.0) -> QPixmap:
    """The icon `name` drawn in `color`, `size` logical pixels square (cached)."""
    # Opaque colours only: muted tones are blended by the caller, not drawn translucent.
    return _pixmap(name, color.name(QColor.NameFormat.HexRgb), size, ratio)


def themed_icon(name: str, palette: QPalette, size: int = 18, ratio: float = 1.0) -> QIcon:
    """A QIcon for buttons: the palette's button text colour, and its disabled colour."""
    icon = QIcon()
    normal = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.ButtonText)
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
    icon.addPixmap(pixmap(name, normal, size, ratio), QIcon.Mode.Normal)
    icon.addPixmap(pixmap(name, disabled, size, ratio), QIcon.Mode.Disabled)
    return icon


def channel_icon_name(channel: str) -> str:
    """The icon of a channel (an unknown channel gets the chat bubble)."""
    return f"channel-{channel}" if channel in CHANNELS else "channel-chat"


def is_dark(palette: QPalette) -> bool:
    """Whether the palette is a dark theme (its base is darker than mid-grey)."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128
