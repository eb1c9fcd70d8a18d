"""The user's preferences: sound for priority work, auto-away, theme."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QWidget,
)


class PreferencesDialog(QDialog):
    """Edits the preferences; `changed(sound, auto_away_minutes, theme)` when saved."""

    changed = Signal(bool, int, str)

    def __init__(
        self, sound: bool, auto_away_minutes: int, theme: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.sound = QCheckBox("Sound and notifications for priority conversations", self)
        self.sound.setChecked(sound)
        self.auto_away = QSpinBox(self)
        self.auto_away.setRange(0, 240)
        self.auto_away.setSuffix(" min")
        self.auto_away.setSpecialValueText("never")
        self.auto_away.setValue(auto_away_minutes)
        self.auto_away.setAccessibleName("Go away after this many idle minutes")
        self.theme = QComboBox(self)
        self.theme.addItems(["light", "dark"])
        self.theme.setCurrentText(theme)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.sound)
        form.addRow("Set me away when idle", self.auto_away)
        form.addRow("Theme", self.theme)
        form.addRow(buttons)

    def _save(self) -> None:
        self.changed.emit(self.sound.isChecked(), self.auto_away.value(), self.theme.currentText())
        self.accept()
