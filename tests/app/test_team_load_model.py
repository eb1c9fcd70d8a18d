"""The team-load table model: a push updates, inserts and removes single rows, never resets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from inbox_protocol import AgentLoad
from ui.team_load_model import Column, TeamLoadModel, age

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def agent(user_id: str, name: str, **fields: Any) -> AgentLoad:
    """An agent's load row with quiet defaults."""
    values: dict[str, Any] = {
        "user_id": user_id, "display_name": name, "status": "online",
        "status_since": NOW - timedelta(minutes=12), "open": 0, "priority": 0, "max_open": 5,
        "oldest_priority_since": None,
    }  # fmt: skip
    values.update(fields)
    return AgentLoad.model_validate(values)


def test_a_push_changes_only_the_rows_that_changed(qapp: object) -> None:
    """Changed figures are one `dataChanged`; a new agent one insert; one who left one
    remove; the selection stays on its agent and nothing resets."""
    model = TeamLoadModel(clock=NOW.timestamp)
    view = QTableView()
    view.setModel(model)
    model.set_agents([agent("a", "Ana"), agent("b", "Ben")])
    view.selectRow(1)
    events: list[str] = []
    model.dataChanged.connect(lambda tl, br, *_: events.append(f"changed {tl.row()}"))
    model.rowsInserted.connect(lambda _, first, last: events.append(f"inserted {first}"))
    model.rowsRemoved.connect(lambda _, first, last: events.append(f"removed {first}"))
    model.modelReset.connect(lambda: events.append("reset"))
    model.set_agents([agent("a", "Ana"), agent("b", "Ben", open=2)])
    assert events == ["changed 1"]
    events.clear()
    model.set_agents([agent("a", "Ana"), agent("b", "Ben", open=2), agent("c", "Cleo")])
    assert events == ["inserted 2"]
    events.clear()
    model.set_agents([agent("b", "Ben", open=2), agent("c", "Cleo")])
    assert events == ["removed 0"]
    assert view.currentIndex().row() == 0
    assert model.data(view.currentIndex().siblingAtColumn(0)) == "Ben"


def test_cells_say_presence_load_priority_and_silence_in_words(qapp: object) -> None:
    """Time in presence and who set it, n / max, the oldest priority wait and "Silent"."""
    model = TeamLoadModel(clock=NOW.timestamp, names={"s": "Sam"}.get)  # type: ignore[arg-type]
    model.set_agents([
        agent("a", "Ana", status="away", set_by="s", open=1, priority=2,
              oldest_priority_since=NOW - timedelta(seconds=90), silent=True,
              awaiting_reply_since=NOW - timedelta(minutes=11)),
    ])  # fmt: skip

    def cell(column: Column) -> Any:
        return model.data(model.index(0, column), Qt.ItemDataRole.DisplayRole)

    assert cell(Column.Presence) == "Away · 12 min · set by Sam"
    assert cell(Column.Load) == "3 / 5"
    assert cell(Column.Priority) == "2 · oldest 1 min"
    assert cell(Column.Silent) == "Silent · customer waiting 11 min"
    assert model.data(model.index(0, Column.Silent), Qt.ItemDataRole.ForegroundRole) is not None


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(5, "5 s"), (600, "10 min"), (3 * 3600 + 300, "3 h 05"), (3 * 86400, "since 29 Nov")],
)
def test_ages_read_compactly(seconds: int, text: str) -> None:
    """Ages in seconds, minutes, hours, then as a date."""
    assert age(NOW - timedelta(seconds=seconds), NOW.timestamp()) == text
