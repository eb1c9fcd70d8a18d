"""The import dialog's table: each row of the CSV file with what the import does to it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QGuiApplication

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Line", "Contact", "Action", "Column", "Problem")
ACTIONS = {"create": "Create", "update": "Update", "unchanged": "Unchanged", "error": "Error"}
ErrorRole = Qt.ItemDataRole.UserRole + 1


def row_labels(text: str) -> dict[int, str]:
    """Each data row's name (or phone, or e-mail) by the line the server numbers it with."""
    reader = csv.reader(io.StringIO(text))
    labels: dict[int, str] = {}
    try:
        header = [h.strip().lower() for h in next(reader)]
        keys = [header.index(k) for k in ("name", "phone", "email") if k in header]
        for record in reader:
            label = next(
                (record[i].strip() for i in keys if i < len(record) and record[i].strip()), ""
            )
            labels[reader.line_num] = label
    except (StopIteration, csv.Error):
        pass  # the server says what is wrong with the file
    return labels


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
        self.labels: dict[int, str] = {}
        # The colour the rows are drawn on (the view's, as its theme set it): errors are a
        # dark red on light themes and a light red on dark ones.
        self.background: Callable[[], QColor] = lambda: QGuiApplication.palette().base().color()

    def set_rows(self, rows: list[dict[str, Any]], labels: dict[int, str] | None = None) -> None:
        """Show a new result (with each line's contact, read from the file)."""
        self.beginResetModel()
        self.rows = rows
        self.labels = labels or {}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One row per data row of the file."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Line, contact, action, column, problem."""
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
            label = self.labels.get(row["line"], "")
            action = ACTIONS.get(row["action"], row["action"])
            return (str(row["line"]), label, action, column, text)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and is_error:
            return f"Line {row['line']}: {row.get('error')}"
        if role == Qt.ItemDataRole.ForegroundRole and is_error:
            dark = self.background().lightness() < 128
            return QColor("#ff8a94" if dark else "#b02a37")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
