"""Group commit: commands applied while a commit is on disk are written together by the next one.

The engine applies commands one at a time under the writer lock, so their order and outcome
(one claim winner) are decided in memory; what costs time is making each durable. A command
submits its changes here and waits, without the lock, for the commit that carries them. The
committer takes everything submitted while the previous commit ran and writes it in one
transaction: one fsync for the lot, each command acknowledged only once its changes are on disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from routing_server.engine.tx import Changes
from routing_server.storage.base import PreparedWrite, StoredEvent

log = logging.getLogger(__name__)


@dataclass
class Pending:
    """One command's changes, its numbered events, its rows, and the future its handler awaits."""

    changes: Changes
    events: list[StoredEvent]
    at: float
    rows: PreparedWrite
    # Conversations the command closed (decided now: later commands change the live objects).
    closed: tuple[str, ...] = ()
    done: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


WriteBatch = Callable[[Sequence[Pending]], Awaitable[None]]
AfterBatch = Callable[[Sequence[Pending]], None]
OnFailure = Callable[[BaseException], Awaitable[None]]


class CommitFailed(Exception):
    """A command's changes could not be made durable (it was not acknowledged)."""


class GroupCommit:
    """Writes submitted commands in batches, in order, and resolves each once durable.

    `write` makes a batch durable; `after` runs for each batch once it is (fan-out), before any
    of its commands is acknowledged; `on_failure` restores memory to what the disk holds when a
    batch fails — every command submitted since then failed with it, since it built on it.
    """

    def __init__(
        self, write: WriteBatch, after: AfterBatch, on_failure: OnFailure, max_batch: int = 256
    ) -> None:
        self._write = write
        self._after = after
        self._on_failure = on_failure
        self._max_batch = max_batch
        self._queue: list[Pending] = []
        self._last: Pending | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.batches = 0
        self.commands = 0

    def start(self) -> None:
        """Start the committer task."""
        self._task = asyncio.create_task(self._run(), name="group-commit")

    async def stop(self) -> None:
        """Write what is queued, then stop."""
        await self.flush()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def submit(
        self, changes: Changes, events: list[StoredEvent], at: float, rows: PreparedWrite
    ) -> Pending:
        """Queue one command's changes; await `.done` before acknowledging it."""
        if self._task is None or self._task.done():
            raise CommitFailed("the committer is not running")
        closed = tuple(c.id for c in changes.conversations if not c.is_open)
        pending = Pending(changes, events, at, rows, closed)
        self._queue.append(pending)
        self._last = pending
        self._wake.set()
        return pending

    async def flush(self) -> None:
        """Wait until everything submitted so far is durable (or has failed)."""
        last = self._last
        if last is not None and not last.done.done():
            with contextlib.suppress(Exception):
                await asyncio.shield(last.done)

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._queue:
                batch = self._queue[: self._max_batch]
                del self._queue[: len(batch)]
                await self._commit(batch)

    async def _commit(self, batch: list[Pending]) -> None:
        try:
            await self._write(batch)
        except BaseException as exc:
            # Later submissions were applied on top of this batch in memory: they fail too.
            failed = batch + self._queue
            self._queue.clear()
            log.warning("commit of %d command(s) failed; reloading the state", len(failed))
            try:
                await self._on_failure(exc)
            finally:
                for pending in failed:
                    if not pending.done.done():
                        pending.done.set_exception(CommitFailed(str(exc) or type(exc).__name__))
            if isinstance(exc, asyncio.CancelledError):
                raise
            return
        self.batches += 1
        self.commands += len(batch)
        try:
            self._after(batch)
        except Exception:
            log.exception("fan-out after a commit failed")
        for pending in batch:
            if not pending.done.done():
                pending.done.set_result(None)
