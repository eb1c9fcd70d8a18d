"""What every screenshot script shares: waiting for the app to reach a state, and running the
script's `shoot(out)` offscreen on the app's own event loop (desktop_app.qt_loop.QtLoop)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from desktop_app.qt_loop import QtLoop


async def until(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    """Wait (polling: the app has no event for it) until `condition` holds."""
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.1)


def run(shoot: Callable[[Path], Coroutine[Any, Any, None]]) -> None:
    """Save the screenshots into the folder named on the command line (docs/screenshots)."""
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(["screenshots"])
    with asyncio.Runner(loop_factory=lambda: QtLoop(app)) as runner:
        runner.run(shoot(out))
