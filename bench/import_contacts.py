"""A bulk import of 50,000 rows, against parsing the same CSV with the csv module alone.

The baseline (reading every row with `csv.reader`) is measured in the same run, so the ratio
says what planning, applying and committing cost on top of merely reading the file.
"""

from __future__ import annotations

import csv
import io
import tempfile
import time
from pathlib import Path

from routing_server import admin
from routing_server.core import Core
from routing_server.engine import importer
from routing_server.storage.sql import SqlStorage

ROWS = 50_000


def make_csv(rows: int) -> str:
    """`rows` contacts, a third of them with a rep and priority notifications."""
    out = io.StringIO()
    out.write("name,phone,email,account_rep,priority_notifications\n")
    for i in range(rows):
        rep, flag = ("ana@x.test", "X") if i % 3 == 0 else ("", "")
        out.write(f"Customer {i},+1{i:010d},c{i}@example.com,{rep},{flag}\n")
    return out.getvalue()


async def main() -> None:
    """Print the import's time and its ratio to reading the CSV."""
    text = make_csv(ROWS)
    start = time.perf_counter()
    for _ in csv.reader(io.StringIO(text)):
        pass
    baseline = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        storage = SqlStorage.sqlite(Path(tmp) / "bench.sqlite3")
        await storage.open()
        await admin.add_user(storage, "ana", "agent", "pw", email="ana@x.test")
        core = Core(storage)
        await core.start()
        try:
            start = time.perf_counter()
            async with core.write() as tx:
                plan = importer.plan_import(tx.state, text)
            planned = time.perf_counter() - start
            start = time.perf_counter()
            async with core.write() as tx:
                plan = importer.plan_import(tx.state, text)
                importer.apply_import(tx, None, plan)
            applied = time.perf_counter() - start
            assert plan.counts["create"] == ROWS
        finally:
            await core.stop()
            await storage.close()
    print(f"read {ROWS} rows   {baseline:7.3f} s  (baseline)")
    print(f"dry run          {planned:7.3f} s  ratio {planned / baseline:6.1f}")
    print(f"import + commit  {applied:7.3f} s  ratio {applied / baseline:6.1f}")
