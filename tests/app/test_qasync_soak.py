"""Guards the PySide6 pin: PySide6 6.12.0 with qasync on CPython 3.11 aborts with
`Fatal Python error: none_dealloc` after about 20,000 event-loop iterations."""

from __future__ import annotations

import asyncio

import pytest
import qasync
from PySide6 import __version__ as pyside_version

ITERATIONS = 300_000


def test_pyside6_is_the_pinned_release() -> None:
    """The desktop app is tested and shipped on PySide6 6.11.3 only."""
    assert pyside_version == "6.11.3"


@pytest.mark.qt
@pytest.mark.slow
async def test_qasync_loop_survives_hundreds_of_thousands_of_iterations() -> None:
    """Three hundred thousand loop iterations, with futures and call_soon, run to completion."""
    loop = asyncio.get_running_loop()
    assert isinstance(loop, qasync.QEventLoop)
    done = 0
    for i in range(ITERATIONS // 3):
        await asyncio.sleep(0)
        future: asyncio.Future[int] = loop.create_future()
        loop.call_soon(future.set_result, i)
        assert await future == i
        await asyncio.sleep(0)
        done += 1
    assert done == ITERATIONS // 3
