"""Close and Release with Undo: the command waits a few seconds here before it is sent.

Why hold it rather than send it and revert: a released conversation goes to normal routing at
once, where another agent may claim it or round robin may assign it within the undo window, and
a closed one lets the customer's next message open a new conversation; reverting either could
fail or split the thread. Held here, Undo is exact and costs nothing on the server; the price is
that the server hears of it a few seconds later. A window that closes sends what it still holds
(the agent meant it).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from sync.session import SyncSession
from ui.tasks import TaskOwner

log = logging.getLogger(__name__)

UNDO_SECONDS = 5.0
DONE = {"close": "Closing", "release": "Releasing"}


@dataclass
class HeldAction:
    """A command waiting for its undo time to pass."""

    command: str
    conversation_id: str
    name: str
    deadline: float
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    def seconds_left(self, now: float | None = None) -> int:
        """Whole seconds until it is sent (at least 0)."""
        return max(0, round(self.deadline - (time.monotonic() if now is None else now)))

    def text(self) -> str:
        """What the toast says meanwhile."""
        return f"{DONE[self.command]} the conversation with {self.name} in {self.seconds_left()} s."


class DelayedActions(QObject):
    """The held commands of one window."""

    changed = Signal(str)  # conversation id
    failed = Signal(str)

    def __init__(
        self,
        session: SyncSession,
        tasks: TaskOwner,
        parent: QObject | None = None,
        *,
        seconds: float = UNDO_SECONDS,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.tasks = tasks
        self.seconds = seconds
        self._sleep = sleep
        self.held: dict[str, HeldAction] = {}

    def hold(self, command: str, conversation_id: str, name: str) -> HeldAction:
        """Send `command` for the conversation after the undo time, unless undone first."""
        self.undo(conversation_id)
        action = HeldAction(command, conversation_id, name, time.monotonic() + self.seconds)
        self.held[conversation_id] = action
        action.task = self.tasks.spawn(self._send_later(action))
        self.changed.emit(conversation_id)
        return action

    def undo(self, conversation_id: str) -> bool:
        """Forget the held command for the conversation; True when there was one."""
        action = self.held.pop(conversation_id, None)
        if action is None:
            return False
        if action.task is not None:
            action.task.cancel()
        self.changed.emit(conversation_id)
        return True

    async def _send_later(self, action: HeldAction) -> None:
        await self._sleep(self.seconds)
        if self.held.get(action.conversation_id) is not action:
            return
        await self._send(action)

    async def _send(self, action: HeldAction) -> None:
        self.held.pop(action.conversation_id, None)
        try:
            await self.session.conversation_command(action.command, action.conversation_id)
        except Exception as exc:
            message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            self.failed.emit(f"Could not {action.command} the conversation with "
                             f"{action.name}: {message}")  # fmt: skip
        self.changed.emit(action.conversation_id)

    async def send_all_now(self) -> None:
        """Send every held command at once (the window is closing), logging what fails."""
        actions, self.held = list(self.held.values()), {}
        for action in actions:
            if action.task is not None:
                action.task.cancel()
            try:
                await self.session.conversation_command(action.command, action.conversation_id)
            except Exception as exc:
                log.warning("held %s of %s not sent: %r", action.command, action.conversation_id,
                            exc)  # fmt: skip
