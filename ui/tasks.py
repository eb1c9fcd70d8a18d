"""Async work that belongs to a window: started through its owner, cancelled and awaited when
the window closes, and never left with an exception nobody looked at."""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from PySide6.QtCore import QObject

log = logging.getLogger(__name__)

P = ParamSpec("P")
S = TypeVar("S", bound="HasTasks")
Work = Coroutine[Any, Any, None]


class TaskOwner:
    """The running tasks of one window (or of one object outside any window)."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()
        self.closed = False

    def __len__(self) -> int:
        return len(self._tasks)

    def spawn(self, work: Work) -> asyncio.Task[None] | None:
        """Run `work` as a task of this owner (refused, and closed, once the owner is closed)."""
        if self.closed:
            work.close()
            return None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            # Outside the loop (a plain test, shutdown): nothing could ever run it.
            log.warning("no running loop: %r not started", work)
            work.close()
            return None
        task = loop.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            # Every intent reports its own failures; reaching here is a bug, said loudly.
            log.error("A task of a window failed: %r", exc, exc_info=exc)

    def cancel(self) -> list[asyncio.Task[None]]:
        """Stop accepting work and cancel what runs; returns the tasks still to finish."""
        self.closed = True
        running = list(self._tasks)
        for task in running:
            task.cancel()
        return running

    async def aclose(self) -> None:
        """Cancel every task and wait until each has finished."""
        running = self.cancel()
        if running:
            await asyncio.gather(*running, return_exceptions=True)

    def close_then(
        self, then: Callable[[], None], last: Work | None = None
    ) -> asyncio.Task[None] | None:
        """Cancel every task, await `last` (work the closing itself needs) once they have all
        finished, then call `then`; at once, without `last`, when no loop runs any more.
        Returns the task that waits, if one was needed."""
        running = self.cancel()
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            if last is not None:
                last.close()
            then()
            return None

        async def finish() -> None:
            try:
                if running:
                    await asyncio.gather(*running, return_exceptions=True)
                if last is not None:
                    await last
            finally:
                then()

        return asyncio.ensure_future(finish())


class HasTasks(Protocol):
    """An object whose async slots run as tasks of its `tasks` owner."""

    tasks: TaskOwner


def owner_of(obj: QObject | None) -> TaskOwner:
    """The task owner of the nearest ancestor that has one (a new one when none does)."""
    while obj is not None:
        tasks = getattr(obj, "tasks", None)
        if isinstance(tasks, TaskOwner):
            return tasks
        obj = obj.parent()
    return TaskOwner()


def owned(
    method: Callable[Concatenate[S, P], Work],
) -> Callable[Concatenate[S, P], asyncio.Task[None] | None]:
    """Make an async method a slot whose runs are tasks of `self.tasks`. Qt passes a signal's
    arguments (`clicked` passes `checked`): extra trailing ones are dropped, as Qt does."""
    params = list(inspect.signature(method).parameters.values())[1:]
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        arity: int | None = None
    else:
        arity = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)

    def start(self: S, /, *args: P.args, **kwargs: P.kwargs) -> asyncio.Task[None] | None:
        trimmed = args if arity is None else args[:arity]
        return self.tasks.spawn(method(self, *trimmed, **kwargs))  # type: ignore[arg-type]

    functools.update_wrapper(start, method)
    return start
