"""Start-up on 50,000 open conversations, against reading the same rows with sqlite3.

The database is seeded through the real engine and storage (`command_cost.seed`). Measured:
opening the storage, loading the state (users, contacts, open conversations, today's figures)
and starting the core, as `inbox-server serve` does before it listens. Baseline, in the same
run: plain sqlite3 selecting every open conversation and every contact into Python tuples.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.command_cost import seed
from routing_server.core import Core
from routing_server.storage.sql import SqlStorage

OPEN = 50_000


async def main(open_conversations: int = OPEN) -> list[dict[str, Any]]:
    """Print and return the start-up time beside the sqlite3 baseline."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        await seed(db, open_conversations)
        start = time.perf_counter()
        conn = sqlite3.connect(db)
        conversations = conn.execute("SELECT * FROM conversations WHERE state != 'closed'")
        rows = len(conversations.fetchall()) + len(
            conn.execute("SELECT * FROM contacts").fetchall()
        )
        conn.close()
        baseline = time.perf_counter() - start
        assert rows >= 2 * open_conversations
        start = time.perf_counter()
        storage = SqlStorage.sqlite(db)
        await storage.open()
        core = Core(storage)
        await core.start()
        started = time.perf_counter() - start
        assert core.state.index.open_count() == open_conversations
        await core.stop()
        await storage.close()
    print(f"sqlite3 reads {open_conversations} open + contacts  {baseline:7.3f} s  (baseline)")
    print(
        f"server start-up on them               {started:7.3f} s  ratio {started / baseline:5.1f}"
    )
    return [
        {
            "bench": "startup",
            "what": f"start-up on {open_conversations} open conversations (s)",
            "value": started,
            "baseline": "sqlite3 reading the same rows (s)",
            "baseline_value": baseline,
            "ratio": started / baseline,
            "goal": "reported (no goal in the issue)",
        }
    ]
