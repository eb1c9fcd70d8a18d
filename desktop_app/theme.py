"""The app's look: a light or dark stylesheet and the window icon, from `resources`."""

from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QColor, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

import resources

# Custom-drawn rows, bubbles and icons read the palette, so it carries the whole theme (the
# stylesheet alone would leave a dark window with light-theme palette colours).
PALETTES = {
    "light": {
        "Window": "#f6f7f9", "WindowText": "#1c2230", "Base": "#ffffff",
        "AlternateBase": "#f2f4f7", "Text": "#1c2230", "Button": "#ffffff",
        "ButtonText": "#1c2230", "Highlight": "#dbe7fd", "HighlightedText": "#0b1f44",
        "Mid": "#d5d9e0", "Link": "#2f6fde", "PlaceholderText": "#8a93a3", "ToolTipBase": "#ffffff",
        "ToolTipText": "#1c2230",
    },
    "dark": {
        "Window": "#1e2127", "WindowText": "#e6e8eb", "Base": "#272b33",
        "AlternateBase": "#2c313a", "Text": "#e6e8eb", "Button": "#323845",
        "ButtonText": "#e6e8eb", "Highlight": "#2f4f86", "HighlightedText": "#ffffff",
        "Mid": "#3a3f4a", "Link": "#7aa5f5", "PlaceholderText": "#8d94a1", "ToolTipBase": "#323845",
        "ToolTipText": "#e6e8eb",
    },
}  # fmt: skip
DISABLED = {"light": "#9aa1ad", "dark": "#6c727e"}


def apply_theme(app: QApplication, name: str) -> None:
    """Apply `light` or `dark`: the stylesheet, and selection colours for custom-drawn rows."""
    app.setStyle("Fusion")
    palette = QPalette()
    for role, colour in PALETTES[name].items():
        palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    for role in ("WindowText", "Text", "ButtonText"):
        palette.setColor(QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, role),
                         QColor(DISABLED[name]))  # fmt: skip
    app.setPalette(palette)
    # The sheets name their arrow images under @icons@: the icons folder on disk.
    sheet = resources.read_text("themes", f"{name}.qss")
    app.setStyleSheet(sheet.replace("@icons@", resources.folder("icons").as_posix()))


def app_icon() -> QIcon:
    """The window and tray icon (an SVG)."""
    pixmap = QPixmap()
    pixmap.loadFromData(QByteArray(resources.read_bytes("icons", "inbox.svg")), "SVG")
    return QIcon(pixmap)
