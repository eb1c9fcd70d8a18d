"""What the admin and supervisor dialogs share: owned background tasks, error sentences, and
store observers that end with the dialog."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any, cast

from PySide6.QtCore import QObject

from routing_client.client import NotConnected
from routing_client.rpc import RequestFailed
from sync.store import Change, Store
from ui.tasks import TaskOwner

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


class OwnedTasks(TaskOwner):
    """The tasks of a widget that can go before its window (a dialog, an offer card): cancelled
    when that widget is destroyed, so that none touches it afterwards; failures are logged as
    for every window task (ui/tasks.py)."""

    def __init__(self, owner: QObject) -> None:
        super().__init__()
        owner.destroyed.connect(lambda *_: self.cancel())

    def spawn(self, work: Coroutine[Any, Any, object]) -> asyncio.Task[None] | None:
        """Run `work` in the background; what it returns (a save's success, say) is for
        callers that await it directly, and the owner ignores it."""
        return super().spawn(cast("Coroutine[Any, Any, None]", work))


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
