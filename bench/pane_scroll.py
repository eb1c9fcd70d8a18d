"""A pane of 10,000 conversations: show it and scroll it end to end, and take 1,000 new ones.

Baselines, measured in the same run: applying the same snapshot and events to the store with no
model attached. The ratios say what the Qt model and view add on top of the data work itself.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from sync.store import Store
from ui.conversation_model import ConversationListModel, in_shared
from ui.inbox_pane import InboxPane

ROWS = 10_000
NEW = 1_000
T0 = datetime(2026, 11, 23, tzinfo=UTC)


def conversation(i: int) -> dict[str, Any]:
    """One shared conversation."""
    at = (T0 + timedelta(seconds=i)).isoformat().replace("+00:00", "Z")
    return {
        "id": f"cv{i:06d}", "team_id": "support", "channel": "sms",
        "contact": {"id": f"ct{i}", "name": f"Customer {i}", "handle": f"+1{i:010d}"},
        "state": "shared", "assigned_to": None, "share_at": None,
        "routing": {"reason": "no_dedicated_agent", "at": at},
        "last_message": {"direction": "in", "preview": "Is my order on its way?", "at": at},
        "unread": 1, "created_at": at, "updated_at": at,
    }  # fmt: skip


def snapshot() -> dict[str, Any]:
    """A snapshot with ROWS shared conversations."""
    me = {"id": "me", "username": "me", "display_name": "Me", "email": None, "role": "agent",
          "team_ids": ["support"], "max_open": 5}  # fmt: skip
    return {"mode": "snapshot", "seq": 1, "snapshot": {
        "me": me, "presence": {"status": "online", "since": "2026-11-23T00:00:00Z"},
        "settings": {}, "conversations": [conversation(i) for i in range(ROWS)],
        "team": []}}  # fmt: skip


def main() -> None:
    """Print the timings and ratios."""
    app = QApplication.instance() or QApplication(["bench"])
    snap = snapshot()
    events = [{"conversation": conversation(ROWS + i)} for i in range(NEW)]

    start = time.perf_counter()
    bare = Store()
    bare.apply_sync(snap)
    for data in events:
        bare.apply_event("conversation.upsert", data)
    baseline = time.perf_counter() - start

    store = Store()
    start = time.perf_counter()
    store.apply_sync(snap)
    pane = InboxPane("Shared", ConversationListModel(store, in_shared))
    pane.resize(360, 800)
    pane.show()
    app.processEvents()
    shown = time.perf_counter() - start

    start = time.perf_counter()
    bar = pane.list.verticalScrollBar()
    for value in range(0, bar.maximum() + 1, max(1, bar.maximum() // 200)):
        bar.setValue(value)
        pane.list.viewport().repaint()
    scrolled = time.perf_counter() - start

    start = time.perf_counter()
    for data in events:
        store.apply_event("conversation.upsert", data)
    app.processEvents()
    inserted = time.perf_counter() - start
    assert pane.row_count() == ROWS + NEW
    pane.close()

    print(f"store only: {ROWS} snapshot + {NEW} events  {baseline:7.3f} s  (baseline)")
    print(f"pane shown with {ROWS} rows            {shown:7.3f} s  ratio {shown / baseline:5.2f}")
    print(f"scrolled top to bottom (200 repaints)  {scrolled:7.3f} s  "
          f"ratio {scrolled / baseline:5.2f}")  # fmt: skip
    print(f"{NEW} new rows inserted one by one      {inserted:7.3f} s  "
          f"ratio {inserted / baseline:5.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
