"""The import dialog's table: each row of the CSV file with what the import does to it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QGuiApplication

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Line", "Action", "Column", "Problem")
ACTIONS = {"create": "Create", "update": "Update", "unchanged": "Unchanged", "error": "Error"}
ErrorRole = Qt.ItemDataRole.UserRole + 1


def split_error(error: str | None) -> tuple[str, str]:
    """`phone: '12' is not a phone number` → ("phone", "'12' is not a phone number")."""
    if not error:
        return "", ""
    column, sep, text = error.partition(": ")
    return (column, text) if sep else ("", error)


class ImportPreviewModel(QAbstractTableModel):
    """The rows of an `import_contacts` result."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Show a new result."""
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One row per data row of the file."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Line, action, column, problem."""
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell; error rows in the theme's error colour."""
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        is_error = row["action"] == "error"
        if role == ErrorRole:
            return is_error
        if role == Qt.ItemDataRole.DisplayRole:
            column, text = split_error(row.get("error"))
            return (str(row["line"]), ACTIONS.get(row["action"], row["action"]), column, text)[
                index.column()
            ]
        if role == Qt.ItemDataRole.ForegroundRole and is_error:
            dark = QGuiApplication.palette().window().color().lightness() < 128
            return QColor("#ff8a94" if dark else "#b02a37")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
