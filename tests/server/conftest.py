from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.server.harness import Harness, start_harness


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    """A running server on port 0 with an empty database."""
    h = await start_harness(tmp_path)
    try:
        yield h
    finally:
        await h.close()
