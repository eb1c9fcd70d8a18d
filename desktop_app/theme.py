"""The app's look: a light or dark stylesheet and the window icon, from `resources`."""

from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QColor, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

import resources

PALETTES = {
    "light": {"Highlight": "#dbe7fd", "HighlightedText": "#0b1f44"},
    "dark": {"Highlight": "#2f4f86", "HighlightedText": "#ffffff"},
}


def apply_theme(app: QApplication, name: str) -> None:
    """Apply `light` or `dark`: the stylesheet, and selection colours for custom-drawn rows."""
    app.setStyle("Fusion")
    palette = app.palette()
    for role, colour in PALETTES[name].items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    app.setPalette(palette)
    app.setStyleSheet(resources.read_text("themes", f"{name}.qss"))


def app_icon() -> QIcon:
    """The window and tray icon (an SVG)."""
    pixmap = QPixmap()
    pixmap.loadFromData(QByteArray(resources.read_bytes("icons", "inbox.svg")), "SVG")
    return QIcon(pixmap)
