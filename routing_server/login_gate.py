"""Password checks run on a small, bounded pool, shared fairly between network sources.

An argon2 check costs tens of milliseconds and tens of megabytes by design. Run on an unbounded
pool, a flood of logins (for any usernames at all) would take every core and a lot of memory,
and legitimate logins would wait behind it. Here at most `workers` checks run at once, at most
`queue` wait, and one source (a remote address) may hold only `per_source` of those places: past
either bound a login is answered `rate_limited` at once. Token `auth` never comes here.

A login holds its place for the whole attempt (`admit`), its credential read included: a flood
then costs the database no more concurrent reads than it costs the pool checks.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from routing_server.engine.errors import EngineError

T = TypeVar("T")


class LoginGate:
    """Runs password work for logins with a global and a per-source bound."""

    def __init__(self, workers: int = 2, queue: int = 16, per_source: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="argon2")
        self._capacity = workers + queue
        self._per_source = per_source
        self._held: Counter[str] = Counter()

    @property
    def in_use(self) -> int:
        """Checks running or waiting."""
        return sum(self._held.values())

    @contextlib.contextmanager
    def admit(self, source: str) -> Iterator[None]:
        """Hold one place for `source` while the block runs, or fail with `rate_limited` at once
        when the gate or the source's share of it is full."""
        if self.in_use >= self._capacity or self._held[source] >= self._per_source:
            raise EngineError("rate_limited", "too many logins at once; try again shortly")
        self._held[source] += 1
        try:
            yield
        finally:
            self._held[source] -= 1
            if not self._held[source]:
                del self._held[source]

    async def work(self, fn: Callable[..., T], *args: object) -> T:
        """Run `fn(*args)` on the pool (inside an `admit` block)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, fn, *args)

    async def run(self, source: str, fn: Callable[..., T], *args: object) -> T:
        """Run `fn(*args)` on the pool for `source`, or fail with `rate_limited` when full."""
        with self.admit(source):
            return await self.work(fn, *args)

    def close(self) -> None:
        """Stop the pool's threads once their current work is done."""
        self._pool.shutdown(wait=False, cancel_futures=True)
