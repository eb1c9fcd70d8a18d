"""The server suite runs on both storage backends: SQLite (the embedded default) and a real
PostgreSQL server. A test that is about SQLite itself (its files, the `--db PATH` command line)
is marked `sqlite_only`."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.postgres import PostgresCluster
from tests.server import harness
from tests.server.harness import FakeClock, Harness, start_harness

BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Give every server test that starts a server (it takes `harness` or `tmp_path`) a
    `backend` parameter: PostgreSQL too, unless it is skipped."""
    names = metafunc.fixturenames
    if "backend" not in names or not {"harness", "tmp_path"} & set(names):
        return
    only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
    skip_postgres = os.environ.get("INBOX_SKIP_POSTGRES") == "1"
    chosen = ["sqlite"] if only_sqlite or skip_postgres else list(BACKENDS)
    metafunc.parametrize("backend", chosen, indirect=True)


@pytest.fixture(autouse=True)
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """The storage backend this test's servers start on (a fresh PostgreSQL database each)."""
    name: str = getattr(request, "param", "sqlite")
    if name == "postgresql":
        cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
        harness.postgres_database = cluster.new_database()
    try:
        yield name
    finally:
        harness.postgres_database = None


@pytest.fixture
async def timed(tmp_path: Path) -> AsyncIterator[Harness]:
    """A server on a fake clock."""
    h = await start_harness(tmp_path, clock=FakeClock())
    try:
        yield h
    finally:
        await h.close()
