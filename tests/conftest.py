"""Test set-up shared by every suite: offscreen Qt, and the event loop each async test runs on."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from pathlib import Path

import hypothesis  # noqa: F401  (see below)
import pytest

# hypothesis is imported here, at start-up, on purpose: its pytest plugin otherwise imports it
# for the first time at the very end of the session, after Qt and qasync ran, and CPython 3.11.7
# then fails in ast.parse ("AST constructor recursion depth mismatch") and the run exits 1.

# Qt must know before any QApplication exists that there is no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.postgres import PostgresCluster
from tests.server.harness import Harness, start_harness


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], asyncio.AbstractEventLoop]]:
    """Qt tests (marked `qt`) run on a qasync loop over the QApplication; the rest on asyncio."""
    if item.get_closest_marker("qt") is None:
        return {"asyncio": asyncio.new_event_loop}

    def qasync_loop() -> asyncio.AbstractEventLoop:
        import qasync
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication([])
        return qasync.QEventLoop(app)  # type: ignore[no-any-return]

    return {"qasync": qasync_loop}


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    """A running server on port 0 with an empty database."""
    h = await start_harness(tmp_path)
    try:
        yield h
    finally:
        await h.close()


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """One real PostgreSQL server for the whole run, started on first use."""
    cluster = PostgresCluster()
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
