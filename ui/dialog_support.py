"""What the admin and supervisor dialogs share: owned background tasks, error sentences, and
store observers that end with the dialog."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject

from routing_client.client import NotConnected
from routing_client.rpc import RequestFailed
from sync.store import Change, Store

NOT_CONNECTED = "Not connected to the server. Try again once the connection is back."


def error_text(exc: BaseException) -> str:
    """A failed request as one sentence for a dialog."""
    if isinstance(exc, NotConnected):
        return NOT_CONNECTED
    if isinstance(exc, RequestFailed):
        text = exc.message.strip() or exc.code
        text = text[0].upper() + text[1:]
        return text if text.endswith((".", "?", "!")) else f"{text}."
    return f"Something went wrong: {exc}"


class OwnedTasks:
    """Coroutines that belong to a widget: cancelled when it is destroyed, so none outlives it
    and touches deleted widgets."""

    def __init__(self, owner: QObject) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        owner.destroyed.connect(self.cancel)

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run `coro` in the background; returns its task (tests await it)."""
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def cancel(self) -> None:
        """Cancel every task still running."""
        for task in list(self._tasks):
            task.cancel()


class StoreWatch:
    """A store observer that stops when its widget is destroyed (or the store forgets it)."""

    def __init__(self, store: Store, owner: QObject, observer: Callable[[Change], None]) -> None:
        self._stop: Callable[[], None] | None = store.observe(observer)
        owner.destroyed.connect(self.stop)

    def stop(self) -> None:
        """Stop observing (a no-op when already stopped)."""
        stop, self._stop = self._stop, None
        if stop is not None:
            # The store may have forgotten every observer already (its window closed first).
            with contextlib.suppress(ValueError):
                stop()
