"""The pane models follow the store row by row, and views follow the models."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QListView

from sync.store import Store
from ui.conversation_model import ConversationListModel, Role, in_mine, in_priority, in_shared

pytestmark = pytest.mark.qt
T0 = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def conv(cid: str, state: str, assigned_to: str | None = None, minute: int = 0) -> dict[str, Any]:
    at = (T0 + timedelta(minutes=minute)).isoformat().replace("+00:00", "Z")
    return {
        "id": cid, "team_id": "support", "channel": "sms",
        "contact": {"id": f"ct-{cid}", "name": f"Customer {cid}", "handle": "+1"},
        "state": state, "assigned_to": assigned_to,
        "share_at": at if state == "priority" else None,
        "routing": {"reason": "claimed", "at": at},
        "last_message": {"direction": "in", "preview": f"hello {cid}", "at": at},
        "unread": 1, "created_at": at, "updated_at": at,
    }  # fmt: skip


def snapshot(*convs: dict[str, Any]) -> dict[str, Any]:
    me = {"id": "me", "username": "me", "display_name": "Me", "email": None, "role": "agent",
          "team_ids": ["support"], "max_open": 5}  # fmt: skip
    return {"mode": "snapshot", "seq": 1, "snapshot": {
        "me": me, "presence": {"status": "online", "since": "2026-11-23T14:00:00Z"},
        "settings": {}, "conversations": list(convs),
        "team": [{"user_id": "me", "display_name": "Me", "status": "online",
                  "since": "2026-11-23T14:00:00Z"}]}}  # fmt: skip


def upsert(store: Store, data: dict[str, Any]) -> None:
    store.apply_event("conversation.upsert", {"conversation": data})


def test_rows_move_between_panes_with_single_inserts_and_removes(qapp: object) -> None:
    """Claiming moves a row from Shared to Mine with one remove and one insert, never a reset,
    and a list view shows exactly the model's rows."""
    store = Store()
    store.apply_sync(snapshot(conv("a", "shared", minute=1), conv("b", "shared", minute=2)))
    shared = ConversationListModel(store, in_shared)
    mine = ConversationListModel(store, in_mine)
    priority = ConversationListModel(store, in_priority)
    for model in (shared, mine, priority):
        QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    view = QListView()
    view.setModel(shared)
    signals: list[str] = []
    shared.rowsInserted.connect(lambda *_: signals.append("shared+"))
    shared.rowsRemoved.connect(lambda *_: signals.append("shared-"))
    shared.modelReset.connect(lambda *_: signals.append("reset"))
    mine.rowsInserted.connect(lambda *_: signals.append("mine+"))
    assert [shared.conversation_id(r) for r in range(shared.rowCount())] == ["a", "b"]
    upsert(store, conv("a", "claimed", "me", minute=1))
    assert signals == ["shared-", "mine+"]
    assert [shared.conversation_id(r) for r in range(shared.rowCount())] == ["b"]
    assert view.model().rowCount() == 1
    assert mine.data(mine.index(0), Role.ConversationId) == "a"
    upsert(store, conv("c", "shared", minute=0))
    assert [shared.conversation_id(r) for r in range(shared.rowCount())] == ["c", "b"]
    upsert(store, conv("p", "priority", "me", minute=3))
    assert priority.rowCount() == 1
    assert priority.data(priority.index(0), Role.SecondsToShare) == 0
    store.apply_event("conversation.removed", {"conversation_id": "b", "reason": "claimed"})
    assert [shared.conversation_id(r) for r in range(shared.rowCount())] == ["c"]
    assert "reset" not in signals
    view.deleteLater()


def test_a_changed_row_is_repainted_in_place(qapp: object) -> None:
    """An update to a conversation in the pane is one dataChanged for its row."""
    store = Store()
    store.apply_sync(snapshot(conv("a", "shared"), conv("b", "shared", minute=1)))
    shared = ConversationListModel(store, in_shared)
    changed: list[int] = []
    shared.dataChanged.connect(lambda top, bottom, *_: changed.append(top.row()))
    updated = conv("b", "shared", minute=1)
    updated["unread"] = 5
    upsert(store, updated)
    assert changed == [1]
    assert shared.data(shared.index(1), Role.Unread) == 5
    assert shared.unread() == 6


def test_unread_totals_follow_every_change_without_a_recount(qapp: object) -> None:
    """Each pane's unread total, kept up to date change by change, always equals a recount of
    its rows, through inserts, unread changes, moves between panes, removals and a reset."""
    rng = random.Random(7)
    store = Store()
    store.apply_sync(snapshot(conv("a", "shared"), conv("b", "claimed", "me")))
    panes = [ConversationListModel(store, accept) for accept in (in_shared, in_mine, in_priority)]

    def recount(model: ConversationListModel) -> int:
        ids = [model.conversation_id(row) for row in range(model.rowCount())]
        return sum(store.conversations[cid].unread for cid in ids)

    for step in range(300):
        cid = f"c{rng.randrange(12)}"
        if rng.random() < 0.15:
            store.apply_event("conversation.removed", {"conversation_id": cid, "reason": "x"})
        else:
            state = rng.choice(["shared", "claimed", "priority"])
            data = conv(cid, state, "me" if state != "shared" else None, minute=step % 50)
            data["unread"] = rng.randrange(5)
            upsert(store, data)
        if step == 150:
            store.apply_sync(
                snapshot(*(c.model_dump(mode="json") for c in store.conversations.values()))
            )
        for model in panes:
            assert model.unread() == recount(model)
