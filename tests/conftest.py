"""Test set-up shared by every suite: offscreen Qt, and the event loop each async test runs on."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Mapping

import pytest

# Qt must know before any QApplication exists that there is no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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
