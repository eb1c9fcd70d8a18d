"""The app's loop never runs a callback while no loop is running."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QApplication

from desktop_app.qt_loop import QtLoop


def test_a_callback_scheduled_as_a_run_stops_waits_for_the_next_run(qapp: QApplication) -> None:
    """A callback scheduled while a run is stopping runs in the next run, with the loop running
    (qasync's own loop runs it as it stops, with none: it dies with "no running event loop")."""
    loop = QtLoop(qapp)
    seen: list[bool] = []

    def probe() -> None:
        try:
            seen.append(asyncio.get_running_loop() is loop)
        except RuntimeError:
            seen.append(False)

    async def last_step() -> None:
        loop.call_soon(lambda: loop.call_soon(probe))

    try:
        loop.run_until_complete(last_step())
        loop.run_until_complete(asyncio.sleep(0.05))
    finally:
        loop.close()
    assert seen == [True]
