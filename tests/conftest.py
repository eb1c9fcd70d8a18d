"""Test set-up shared by every suite: offscreen Qt, and the event loop each async test runs on."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from pathlib import Path

import hypothesis  # noqa: F401  (see below)
import pytest
import pytestqt.plugin as pytestqt_plugin

# hypothesis is imported here, at start-up, on purpose: its pytest plugin otherwise imports it
# for the first time at the very end of the session, after Qt and qasync ran, and CPython 3.11.7
# then fails in ast.parse ("AST constructor recursion depth mismatch") and the run exits 1.

# Qt must know before any QApplication exists that there is no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.postgres import PostgresCluster
from tests.server.harness import Harness, start_harness


class _LostTaskErrors(logging.Handler):
    """Keeps what asyncio reports about tasks nobody awaited (it only logs them)."""

    PHRASES = ("Task exception was never retrieved", "Task was destroyed but it is pending",
               "A task of a window failed")  # fmt: skip

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if any(phrase in message for phrase in self.PHRASES):
            exc = record.exc_info[1] if record.exc_info else None
            self.records.append(f"{message} ({exc!r})" if exc else message)


_lost = _LostTaskErrors()
logging.getLogger("asyncio").addHandler(_lost)
logging.getLogger("ui.tasks").addHandler(_lost)


@pytest.fixture(autouse=True)
def _no_lost_task_errors() -> Iterator[None]:
    """A test fails when a task it started died with an exception nobody retrieved (asyncio
    only logs that, when the task is garbage-collected: collect before judging)."""
    _lost.records.clear()
    yield
    gc.collect()
    lost, _lost.records[:] = list(_lost.records), []
    if lost:
        pytest.fail("asyncio reported lost tasks:\n" + "\n".join(lost), pytrace=False)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Lost task errors reported after the last test (at loop or interpreter shutdown) fail the
    run too."""
    gc.collect()
    if _lost.records:
        print("\nasyncio reported lost tasks after the tests:\n" + "\n".join(_lost.records))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], asyncio.AbstractEventLoop]]:
    """Qt tests (marked `qt`) run on a qasync loop over the QApplication; the rest on asyncio."""
    if item.get_closest_marker("qt") is None:
        return {"asyncio": asyncio.new_event_loop}

    def qasync_loop() -> asyncio.AbstractEventLoop:
        from PySide6.QtWidgets import QApplication

        from desktop_app.qt_loop import QtLoop

        app = QApplication.instance() or QApplication([])
        loop: asyncio.AbstractEventLoop = QtLoop(app)
        _qt_loops[:] = [loop]
        return loop

    return {"qasync": qasync_loop}


# The qasync loop of the running Qt test. pytest-qt processes Qt events after each phase of a
# test, while no asyncio loop runs: qasync's callbacks (a task's next step, a server timer being
# armed) would then run with no running loop and die with "no running event loop", reported
# only as "Task exception was never retrieved". Those events are processed on the loop instead.
_qt_loops: list[asyncio.AbstractEventLoop] = []


def _process_events_on_the_loop() -> None:
    """pytest-qt's `_process_events`, run inside the test's qasync loop while it is open."""
    from PySide6.QtWidgets import QApplication

    loop = _qt_loops[0] if _qt_loops else None
    if loop is not None and not loop.is_closed() and not loop.is_running():
        loop.run_until_complete(asyncio.sleep(0))
        return
    app = QApplication.instance()
    if app is not None:
        app.processEvents()


pytestqt_plugin._process_events = _process_events_on_the_loop


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
