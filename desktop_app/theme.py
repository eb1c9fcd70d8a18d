"""The app's look: a light or dark stylesheet and the window icon, from `resources`."""

from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QColor, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

import resources

# Both themes set the same roles, so switching from one to the other leaves nothing behind. The
# base and window colours matter beyond the stylesheet: Fusion draws check boxes, spin-box arrows
# and custom-painted rows from the palette (an unchecked box was invisible on dark without them).
PALETTES = {
    "light": {"Highlight": "#dbe7fd", "HighlightedText": "#0b1f44", "Window": "#f6f7f9",
              "WindowText": "#1f2328", "Base": "#ffffff", "AlternateBase": "#f1f3f6",
              "Text": "#1f2328", "Button": "#eef0f3", "ButtonText": "#1f2328"},
    "dark": {"Highlight": "#2f4f86", "HighlightedText": "#ffffff", "Window": "#1e2127",
             "WindowText": "#e6e8eb", "Base": "#2b3039", "AlternateBase": "#242830",
             "Text": "#e6e8eb", "Button": "#323845", "ButtonText": "#e6e8eb"},
}  # fmt: skip


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
