"""Recognising a retried command (same `external_id` or `client_msg_id`) without reading the
database under the writer lock.

The database read happens before the lock is taken (`SeenMessages.check`); under the lock,
`RetryCheck.confirm` only has to look at what became known since: messages applied but not yet
on disk, and messages committed after the read began (kept in memory for a while). Only when
those have been forgotten does it read the database again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from routing_server.engine.model import Message

Key = tuple[str, str]
Load = Callable[[], Awaitable[Message | None]]


def message_keys(message: Message) -> list[Key]:
    """How a retry finds a message: inbound by external id, a reply by author and client id."""
    keys = []
    if message.direction == "in" and message.external_id:
        keys.append(("in", message.external_id))
    if message.direction == "out" and message.author_id and message.client_msg_id:
        keys.append((message.author_id, message.client_msg_id))
    return keys


@dataclass
class RetryCheck:
    """The outcome of the read made before the lock, to be confirmed under it."""

    seen: SeenMessages
    key: Key
    load: Load
    found: Message | None
    epoch: int

    async def confirm(self) -> Message | None:
        """The earlier message, if this command is a retry (call under the writer lock)."""
        if self.found is not None:
            return self.found
        return await self.seen.since(self)


class SeenMessages:
    """Messages by retry key: unflushed ones, and the ones committed most recently."""

    def __init__(self, keep: int = 50_000) -> None:
        self._keep = keep
        self._unflushed: dict[Key, Message] = {}
        self._recent: dict[Key, tuple[int, Message]] = {}
        self._epoch = 0  # batches committed so far
        self._forgotten = -1  # the latest epoch of a committed entry dropped from memory

    async def check(self, key: Key, load: Load) -> RetryCheck:
        """Look a key up in memory, else in the database (call before taking the lock)."""
        epoch = self._epoch
        found = self._memory(key)
        if found is None:
            found = await load()
        return RetryCheck(self, key, load, found, epoch)

    async def since(self, check: RetryCheck) -> Message | None:
        """What became known about `check.key` since its database read."""
        found = self._memory(check.key)
        if found is None and self._forgotten > check.epoch:
            # Something committed after the read has been forgotten: ask the database again.
            found = await check.load()
        return found

    def _memory(self, key: Key) -> Message | None:
        found = self._unflushed.get(key)
        if found is None and key in self._recent:
            found = self._recent[key][1]
        return found

    def applied(self, messages: Iterable[Message]) -> None:
        """Messages applied by a command whose commit is pending."""
        for message in messages:
            for key in message_keys(message):
                self._unflushed[key] = message

    def committed(self, messages: Iterable[Message]) -> None:
        """Messages whose commit is done (call once per batch, in order)."""
        self._epoch += 1
        for message in messages:
            for key in message_keys(message):
                self._unflushed.pop(key, None)
                self._recent[key] = (self._epoch, message)
        while len(self._recent) > self._keep:
            oldest = next(iter(self._recent))
            self._forgotten = max(self._forgotten, self._recent.pop(oldest)[0])

    def discard_unflushed(self) -> None:
        """A commit failed: the unflushed messages never happened."""
        self._unflushed.clear()
