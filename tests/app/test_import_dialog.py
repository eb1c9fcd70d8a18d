"""The bulk import dialog, driven as a supervisor would, against a real in-process server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.conftest import Desk
from tests.server.harness import until
from ui.import_dialog import ImportDialog
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt

HEADER = "name,phone,email,account_rep,priority_notifications\n"


def cells(dialog: ImportDialog, row: int) -> list[str]:
    """The texts of one row of the preview table, as shown."""
    model = dialog.table.model()
    return [str(model.index(row, c).data()) for c in range(model.columnCount())]


async def open_import(window: MainWindow) -> ImportDialog:
    """The window's import dialog."""
    return window.tools.open_import()


async def test_a_bad_row_blocks_apply_until_fixed_then_each_contact_has_history(
    desk: Desk, tmp_path: Path
) -> None:
    """The bad row shows its line, column and problem and Apply stays disabled; the fixed file
    applies, and every contact has its bulk-import history entry."""
    await desk.window("ana")
    sam = await desk.window("sam", "supervisor")
    dialog = await open_import(sam)
    assert not dialog.apply_button.isEnabled()
    path = tmp_path / "contacts.csv"
    path.write_text(HEADER + "Maria,+15550001,,ana,X\nLee,+15550002,,nobody,\n", "utf-8")
    await dialog.load_file(path)
    assert cells(dialog, 0) == ["2", "Maria", "Create", "", ""]
    assert cells(dialog, 1) == [
        "3", "Lee", "Error", "account_rep", "no user with e-mail or username 'nobody'",
    ]  # fmt: skip
    assert not dialog.apply_button.isEnabled()
    assert "1 with errors" in dialog.summary.text()
    client = await desk.harness.connect("sam")
    assert (await client.request("search_contacts"))["contacts"] == []
    path.write_text(HEADER + "Maria,+15550001,,ana,X\nLee,+15550002,,,\n", "utf-8")
    await dialog.load_file(path)
    assert dialog.apply_button.isEnabled()
    contacts = sam.tools.open_contacts()
    await until(lambda: not contacts.model.loading)
    assert contacts.model.rowCount() == 0
    await dialog.apply_now()
    assert dialog.summary.text().startswith("Done: 2 created")
    await until(lambda: contacts.model.rowCount() == 2)  # the open contacts window follows
    assert not dialog.apply_button.isEnabled()
    found = {c["name"]: c for c in (await client.request("search_contacts"))["contacts"]}
    assert set(found) == {"Maria", "Lee"}
    maria = await client.request("get_contact", contact_id=found["Maria"]["id"])
    kinds = {(h["kind"], h["source"]) for h in maria["history"]}
    assert ("account_rep_assigned", "bulk_import") in kinds
    lee = await client.request("get_contact", contact_id=found["Lee"]["id"])
    assert lee["history"] == []  # no rep, no priority notifications: nothing to record
    assert found["Maria"]["priority_notifications"] is True


async def test_skip_rows_with_errors_applies_the_others(desk: Desk, tmp_path: Path) -> None:
    """With the box ticked, Apply says how many rows it skips and imports only the good ones."""
    sam = await desk.window("sam", "supervisor")
    dialog = await open_import(sam)
    path = tmp_path / "contacts.csv"
    path.write_text(HEADER + "Maria,+15550001,,,\nBad,12,,,\n", "utf-8")
    await dialog.load_file(path)
    assert not dialog.apply_button.isEnabled()
    dialog.only_errors.setChecked(True)
    assert dialog.table.model().rowCount() == 1
    dialog.skip_errors.setChecked(True)
    assert dialog.apply_button.text() == "Apply 1 rows, skip 1"
    await dialog.apply_now()
    client = await desk.harness.connect("sam")
    names = [c["name"] for c in (await client.request("search_contacts"))["contacts"]]
    assert names == ["Maria"]


async def test_a_file_larger_than_a_frame_imports_from_the_dialog(
    desk: Desk, tmp_path: Path
) -> None:
    """A 4 MiB CSV (four frames' worth) goes up in chunks with progress; every row is created."""
    sam = await desk.window("sam", "supervisor")
    dialog = await open_import(sam)
    rows = 20_000
    lines = [f"{'Customer ' * 20}{i:05d},+1555{i:07d},c{i}@example.com,," for i in range(rows)]
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", "utf-8")
    assert path.stat().st_size > 4 * 1024 * 1024
    seen: list[int] = []
    dialog.progress.valueChanged.connect(seen.append)
    await dialog.load_file(path)
    assert dialog.counts["create"] == rows
    assert dialog.upload_id is not None
    assert len([v for v in seen if v > 0]) > 5  # the bar moved chunk by chunk
    await dialog.apply_now()
    assert dialog.applied
    client = await desk.harness.connect("sam")
    found = await client.request("search_contacts", query="c19999@example.com")
    assert len(found["contacts"]) == 1


async def test_files_that_cannot_be_imported_say_why(desk: Desk, tmp_path: Path) -> None:
    """An unknown column, a file that is not UTF-8 and one over 5 MiB each get a plain reason
    and leave Apply disabled."""
    sam = await desk.window("sam", "supervisor")
    dialog = await open_import(sam)
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("name,colour\nMaria,blue\n", "utf-8")
    await dialog.load_file(unknown)
    assert "colour" in dialog.summary.text()
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name,phone\nJosé,+15550001\n".encode("latin-1"))
    await dialog.load_file(latin)
    assert "not UTF-8" in dialog.summary.text()
    huge = tmp_path / "huge.csv"
    huge.write_bytes(b"name,phone\n" + b"x" * (5 * 1024 * 1024))
    await dialog.load_file(huge)
    assert "the limit is 5 MiB" in dialog.summary.text()
    assert not dialog.apply_button.isEnabled()


async def test_the_template_is_a_file_the_import_accepts(desk: Desk, tmp_path: Path) -> None:
    """Save template CSV writes the columns and examples; previewing it shows no error."""
    await desk.window("ana")
    sam = await desk.window("sam", "supervisor")
    client = await desk.harness.connect("sam")
    await desk.harness.add_user("anna", email="ana@example.com")
    dialog = await open_import(sam)
    template = tmp_path / "template.csv"
    dialog.save_template(template)
    assert template.read_text("utf-8").startswith(HEADER)
    await dialog.load_file(template)
    await until(lambda: bool(dialog.counts))
    assert dialog.counts == {"create": 2, "update": 0, "unchanged": 0, "error": 0}
    assert (await client.request("search_contacts"))["contacts"] == []  # a preview only
