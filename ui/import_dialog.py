"""Team > Import contacts…: a CSV file checked row by row (a dry run) before anything changes.

The file is read off the Qt thread and sent in chunks when it is larger than a frame, with a
progress bar, so the window stays responsive; Apply is enabled only for a clean preview, or
with "Skip rows with errors" ticked, and a summary says what was done.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from routing_client.rpc import RequestFailed
from sync.csv_upload import INLINE_CHARS, import_csv
from sync.session import SyncSession
from ui.import_preview_model import ErrorRole, ImportPreviewModel, row_labels

MAX_BYTES = 5 * 1024 * 1024
MIN_SIZE = (640, 440)
TEMPLATE = (
    "name,phone,email,account_rep,priority_notifications\n"
    "Maria Garcia,+15551234567,maria@example.com,ana@example.com,X\n"
    "Lee Chen,+15557654321,,,\n"
)
COLUMNS_HINT = (
    "Columns: name, phone, email, account_rep (a user's e-mail or username), "
    "priority_notifications (X for on). A row matches a contact by phone, then e-mail; "
    "otherwise it creates one."
)


def describe_counts(counts: dict[str, int], applied: bool) -> str:
    """The counts of a preview or of an applied import, in words."""
    verb = {"create": "created", "update": "updated"} if applied else {
        "create": "to create", "update": "to update"}  # fmt: skip
    parts = [
        f"{counts.get('create', 0)} {verb['create']}",
        f"{counts.get('update', 0)} {verb['update']}",
        f"{counts.get('unchanged', 0)} unchanged",
    ]
    errors = counts.get("error", 0)
    if errors:
        parts.append(f"{errors} with errors" + (" (skipped)" if applied else ""))
    return ", ".join(parts)


class ImportDialog(QDialog):
    """Choose a CSV, preview it, apply it."""

    # After an import changed contacts (bulk imports send no contact.updated events).
    imported = Signal()

    def __init__(self, session: SyncSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Import contacts — Agent Inbox")
        self.session = session
        self.resize(820, 560)
        self.setMinimumSize(*MIN_SIZE)
        self.path: Path | None = None
        self.text: str | None = None
        self.upload_id: str | None = None
        self.counts: dict[str, int] = {}
        self.labels: dict[int, str] = {}
        self.applied = False
        self.busy = False
        self._tasks: set[asyncio.Task[Any]] = set()

        self.choose_button = QPushButton("Choose CSV file…", self)
        self.choose_button.clicked.connect(self.choose_file)
        self.template_button = QPushButton("Save template CSV…", self)
        self.template_button.clicked.connect(self.choose_template_path)
        self.file_label = QLabel("No file chosen.", self)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QLabel(COLUMNS_HINT, self)
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.model = ImportPreviewModel(self)
        self.filtered = QSortFilterProxyModel(self)
        self.filtered.setSourceModel(self.model)
        self.filtered.setFilterRole(ErrorRole)
        self.table = QTableView(self)
        self.table.setModel(self.filtered)
        self.model.background = lambda: self.table.palette().base().color()
        self.table.setAccessibleName("Import preview")
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # Fixed widths, not sized to contents: a 5 MiB file has tens of thousands of rows.
        for column, width in enumerate((48, 150, 76, 100)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.only_errors = QCheckBox("Show only rows with errors", self)
        self.only_errors.toggled.connect(self._filter)
        self.summary = QLabel("Choose a CSV file to see what it would change.", self)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("importSummary")
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.skip_errors = QCheckBox("Skip rows with errors", self)
        self.skip_errors.toggled.connect(self._update_buttons)
        self.apply_button = QPushButton("Apply", self)
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.close)

        top = QHBoxLayout()
        top.addWidget(self.choose_button)
        top.addWidget(self.file_label, 1)
        top.addWidget(self.template_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.skip_errors)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        bottom.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.only_errors)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addLayout(bottom)
        self._update_buttons()

    # -- choosing -----------------------------------------------------------------------------

    def choose_file(self) -> None:
        """Ask for a CSV file, then preview it."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a CSV file", str(Path.home()), "CSV files (*.csv);;All files (*)"
        )
        if path:
            self._spawn(self.load_file(Path(path)))

    def choose_template_path(self) -> None:
        """Ask where to save the template, then save it."""
        path, _ = QFileDialog.getSaveFileName(
            self, "Save template CSV", str(Path.home() / "contacts-template.csv"),
            "CSV files (*.csv)",
        )  # fmt: skip
        if path:
            self.save_template(Path(path))

    def save_template(self, path: Path) -> None:
        """Write a CSV with the columns and two example rows."""
        try:
            path.write_text(TEMPLATE, encoding="utf-8")
        except OSError as exc:
            self._say(f"Could not save the template: {exc.strerror or exc}", error=True)
            return
        self._say(f"Template saved to {path}.")

    async def load_file(self, path: Path) -> None:
        """Read a CSV file (off the Qt thread) and preview it with a dry run."""
        self.path, self.text, self.upload_id, self.applied = path, None, None, False
        self.model.set_rows([])
        self.counts = {}
        self.file_label.setText(path.name)
        self.file_label.setToolTip(str(path))
        try:
            size = await asyncio.to_thread(lambda: path.stat().st_size)
            if size > MAX_BYTES:
                self._say(f"{path.name} is {size / 1048576:.1f} MiB; the limit is 5 MiB. "
                          "Split it into smaller files.", error=True)  # fmt: skip
                return
            data = await asyncio.to_thread(path.read_bytes)
        except OSError as exc:
            self._say(f"Could not read {path.name}: {exc.strerror or exc}", error=True)
            return
        try:
            self.text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self._say(f"{path.name} is not UTF-8 text. Save it as CSV (UTF-8).", error=True)
            return
        self.labels = await asyncio.to_thread(row_labels, self.text)
        await self._run(dry_run=True)

    # -- applying -----------------------------------------------------------------------------

    @asyncSlot()
    async def apply(self) -> None:
        """Apply the previewed file (the Apply button)."""
        await self.apply_now()

    async def apply_now(self) -> None:
        """Apply the previewed file, if Apply is enabled."""
        if self.apply_button.isEnabled():
            await self._run(dry_run=False)

    async def _run(self, *, dry_run: bool) -> None:
        text = self.text
        if text is None:
            return
        self.busy = True
        self._update_buttons()
        if len(text) > INLINE_CHARS and self.upload_id is None:
            self.progress.setRange(0, len(text))
            self.progress.setValue(0)
            self.progress.setFormat("Sending the file… %p%")
        else:  # sent in one request, or already uploaded: only the server's check remains
            self.progress.setRange(0, 0)
            self.progress.setFormat("Checking rows…")
        self.progress.show()
        self._say("Checking every row…" if dry_run else "Importing…")
        skip = self.skip_errors.isChecked()
        try:
            try:
                result, self.upload_id = await self._import(text, dry_run, skip, self.upload_id)
            except RequestFailed as exc:
                if exc.code != "not_found" or self.upload_id is None:
                    raise
                # The upload went with a dropped connection: send the file again.
                result, self.upload_id = await self._import(text, dry_run, skip, None)
        except RequestFailed as exc:
            self._say(exc.message.removeprefix("csv: ").capitalize(), error=True)
            return
        except Exception as exc:
            self._say(f"Not connected to the server: {str(exc) or 'try again'}", error=True)
            return
        finally:
            self.busy = False
            self.progress.hide()
            self._update_buttons()
        self.counts = result["counts"]
        self.applied = bool(result["applied"])
        self.model.set_rows(result["rows"], self.labels)
        if self.applied:
            self.upload_id = None
            self._say(f"Done: {describe_counts(self.counts, True)}.")
            self.imported.emit()
        elif dry_run:
            self._say(self._preview_text())
        else:
            self._say("Nothing was applied: " + self._preview_text(), error=True)
        self._update_buttons()

    async def _import(
        self, text: str, dry_run: bool, skip: bool, upload_id: str | None
    ) -> tuple[dict[str, Any], str | None]:
        def progress(done: int, total: int) -> None:
            self.progress.setValue(done)
            if done >= total:
                self.progress.setRange(0, 0)  # the server checks the rows now
                self.progress.setFormat("Checking rows…")

        return await import_csv(
            self.session.request, text, dry_run=dry_run, skip_errors=skip,
            upload_id=upload_id, progress=progress,
        )  # fmt: skip

    def _preview_text(self) -> str:
        errors = self.counts.get("error", 0)
        text = f"Preview: {describe_counts(self.counts, False)}."
        if errors:
            text += " Fix the rows with errors and choose the file again, or tick "
            text += "“Skip rows with errors” to apply the others."
        elif not self._changes():
            text += " Nothing to import: no row changes anything."
        return text

    def _changes(self) -> int:
        return self.counts.get("create", 0) + self.counts.get("update", 0)

    def _update_buttons(self) -> None:
        errors = self.counts.get("error", 0)
        ready = self.text is not None and bool(self.counts) and not self.applied
        ok = ready and self._changes() > 0 and (errors == 0 or self.skip_errors.isChecked())
        self.apply_button.setEnabled(ok and not self.busy)
        self.choose_button.setEnabled(not self.busy)
        self.skip_errors.setEnabled(not self.busy and not self.applied)
        self.only_errors.setVisible(errors > 0)
        if ok and errors:
            self.apply_button.setText(f"Apply {self._changes()} rows, skip {errors}")
        else:
            self.apply_button.setText("Apply")
        if self.applied:
            self.close_button.setDefault(True)

    def _filter(self, only_errors: bool) -> None:
        self.filtered.setFilterFixedString("true" if only_errors else "")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.summary.setText(text)
        self.summary.setProperty("error", error)
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop what is in flight (an apply already sent still completes on the server)."""
        for task in list(self._tasks):
            task.cancel()
        super().closeEvent(event)
