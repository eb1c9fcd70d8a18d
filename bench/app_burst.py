"""The agent's window under load: a 10,000-conversation snapshot, then a burst of 5,000 events.

The window is the real `MainWindow` (three panes, tab counts, the notifier) shown offscreen on
a session that is not connected; frames are handed to the session as the client library hands
them over, in chunks as they arrive off the socket, with the Qt loop running (painting) between
chunks. Baselines, in the same run: parsing the snapshot's JSON and applying it to a bare store,
and applying the same burst to a bare store. Reported: time to apply, and the longest stretch
the loop was blocked (a chunk's processing), which is what an agent feels as a freeze.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from inbox_protocol import SERVER_FRAME_ADAPTER, Event
from sync.outbox import Outbox
from sync.session import SyncSession
from sync.store import Store
from ui.main_window import MainWindow

CONVERSATIONS = 10_000
BURST = 5_000
CHUNK = 50  # frames that arrive together off the socket
T0 = datetime(2026, 11, 23, tzinfo=UTC)


def _iso(t: datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


def conversation(i: int, state: str = "shared", unread: int = 1) -> dict[str, Any]:
    """One conversation of the team."""
    at = _iso(T0 + timedelta(seconds=i))
    return {
        "id": f"cv{i:06d}", "team_id": "support", "channel": "sms",
        "contact": {"id": f"ct{i}", "name": f"Customer {i}", "handle": f"+1{i:010d}"},
        "state": state, "assigned_to": "me" if state == "claimed" else None, "share_at": None,
        "routing": {"reason": "no_dedicated_agent", "at": at},
        "last_message": {"direction": "in", "preview": "Is my order on its way?", "at": at},
        "unread": unread, "created_at": at, "updated_at": at,
    }  # fmt: skip


def snapshot_text() -> str:
    """The sync result as it comes off the wire."""
    me = {"id": "me", "username": "me", "display_name": "Me", "email": None, "role": "agent",
          "team_ids": ["support"], "max_open": 5}  # fmt: skip
    conversations = [
        conversation(i, "claimed" if i % 10 == 0 else "shared") for i in range(CONVERSATIONS)
    ]
    return json.dumps({"mode": "snapshot", "seq": 1, "snapshot": {
        "me": me, "presence": {"status": "online", "since": _iso(T0)}, "settings": {},
        "conversations": conversations,
        "team": [{"user_id": "me", "display_name": "Me", "status": "online", "since": _iso(T0)}],
    }})  # fmt: skip


def burst() -> list[str]:
    """Event frames as they come off the wire: new customers, customers writing again (unread),
    claims and removals, interleaved."""
    frames = []
    for i in range(BURST):
        kind = i % 4
        name = "conversation.upsert"
        data: dict[str, Any]
        if kind == 0:
            data = {"conversation": conversation(CONVERSATIONS + i)}
        elif kind == 1:
            data = {"conversation": conversation(i, unread=2)}
        elif kind == 2:
            data = {"conversation": conversation(i, state="claimed", unread=0)}
        else:
            name, data = "conversation.removed", {"conversation_id": f"cv{i:06d}", "reason": "x"}
        frames.append(json.dumps({"type": "event", "event": name, "seq": 2 + i, "data": data}))
    return frames


def _apply_in_chunks(
    apply: Callable[[Event], None], frames: list[str], app: QApplication | None
) -> tuple[float, float]:
    """Total seconds and the longest chunk (the loop is blocked for a chunk at a time); each
    frame is parsed as the client library parses it, then applied."""
    longest = 0.0
    start = time.perf_counter()
    for first in range(0, len(frames), CHUNK):
        chunk_start = time.perf_counter()
        for frame in frames[first : first + CHUNK]:
            event = SERVER_FRAME_ADAPTER.validate_json(frame)
            assert isinstance(event, Event)
            apply(event)
        if app is not None:
            app.processEvents()  # what the loop does between two reads: layout and paint
        longest = max(longest, time.perf_counter() - chunk_start)
    return time.perf_counter() - start, longest


def main() -> list[dict[str, Any]]:
    """Print and return the window's figures beside the bare store's."""
    app = QApplication.instance() or QApplication(["bench"])
    assert isinstance(app, QApplication)
    text = snapshot_text()
    events = burst()

    start = time.perf_counter()
    bare = Store()
    bare.apply_sync(json.loads(text))
    parsed = time.perf_counter() - start
    bare_burst, bare_longest = _apply_in_chunks(
        lambda e: bare.apply_event(e.event, e.data), events, None
    )

    with tempfile.TemporaryDirectory() as tmp:
        session = SyncSession("ws://127.0.0.1:9", "t", Store(), Outbox(Path(tmp) / "o.db"))
        window = MainWindow(session, QIcon())
        window.resize(1200, 760)
        window.show()
        app.processEvents()
        start = time.perf_counter()
        session.synced(json.loads(text))
        app.processEvents()
        shown = time.perf_counter() - start
        applied, longest = _apply_in_chunks(session.event, events, app)
        window.close()
        app.processEvents()

    print(f"snapshot of {CONVERSATIONS}: parse + store    {parsed:7.3f} s  (baseline)")
    print(
        f"snapshot of {CONVERSATIONS} on screen         {shown:7.3f} s  ratio {shown / parsed:5.2f}"
    )
    print(f"burst of {BURST}: store alone           {bare_burst:7.3f} s  (baseline)")
    print(
        f"burst of {BURST} in the window          {applied:7.3f} s  ratio "
        f"{applied / bare_burst:5.2f}; longest stall {longest * 1e3:.0f} ms "
        f"(store alone {bare_longest * 1e3:.0f} ms)"
    )
    return [
        {"bench": "app", "what": f"snapshot of {CONVERSATIONS} on screen (s)", "value": shown,
         "baseline": "parse + bare store (s)", "baseline_value": parsed,
         "ratio": shown / parsed, "goal": "<= 1 s"},
        {"bench": "app", "what": f"burst of {BURST} events applied (s)", "value": applied,
         "baseline": "bare store (s)", "baseline_value": bare_burst,
         "ratio": applied / bare_burst, "goal": "<= 2x the store alone"},
        {"bench": "app", "what": "longest loop stall during the burst (ms)",
         "value": longest * 1e3, "baseline": "bare store, longest chunk (ms)",
         "baseline_value": bare_longest * 1e3, "ratio": longest / bare_longest,
         "goal": "no stall > 100 ms"},
    ]  # fmt: skip


if __name__ == "__main__":
    main()
