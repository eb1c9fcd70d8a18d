"""The app's asyncio loop: qasync's loop over Qt's, minus one step taken with no loop running."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

import qasync

T = TypeVar("T")


class QtLoop(qasync.QEventLoop):  # type: ignore[misc]
    """qasync's QEventLoop, whose `run_until_complete` does not process Qt events once more
    after the loop stopped: qasync does, and the callbacks that then run (a task's next step, a
    timer being armed) find no running loop and die with "no running event loop", reported
    only later as "Task exception was never retrieved". Here they wait for the next run."""

    def run_until_complete(self, future: Awaitable[T]) -> T:
        """Run the loop until `future` is done; returns its result."""
        task = asyncio.ensure_future(future, loop=self)

        def stop(_: Any) -> None:
            self.stop()

        task.add_done_callback(stop)
        try:
            self.run_forever()
        finally:
            task.remove_done_callback(stop)
        if not task.done():
            raise RuntimeError("Event loop stopped before Future completed.")
        return task.result()
