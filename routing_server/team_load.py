"""Live team load for supervisors: subscriptions and throttled pushes (at most 2 a second)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Protocol

import inbox_protocol as p
from routing_server import frames, wire
from routing_server.engine.state import State

MIN_INTERVAL = 0.5


class LoadSubscriber(Protocol):
    """A connection that receives `team_load` events."""

    def send_text(self, text: str) -> None:
        """Queue one frame."""


class TeamLoadHub:
    """Who watches which team, and the one task that pushes what changed."""

    def __init__(self, state: Callable[[], State], clock: Callable[[], float]) -> None:
        self._state = state
        self._clock = clock
        self._subscribers: dict[str, set[LoadSubscriber]] = {}
        self._dirty: set[str] = set()
        self._task: asyncio.Task[None] | None = None
        self._last_push = 0.0

    def subscribe(self, team_id: str, sub: LoadSubscriber) -> Callable[[], None]:
        """Watch a team; returns the function that stops watching."""
        self._subscribers.setdefault(team_id, set()).add(sub)

        def unsubscribe() -> None:
            subs = self._subscribers.get(team_id)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subscribers[team_id]

        return unsubscribe

    def load(self, team_id: str) -> p.TeamLoad:
        """The team's load now."""
        return wire.team_load(self._state(), team_id, self._clock())

    def render(self, team_id: str) -> dict[str, object]:
        """The team's load now, as a JSON-ready dict."""
        return wire.dump(self.load(team_id))

    def changed(self, team_ids: set[str]) -> None:
        """Mark teams whose load changed; subscribers get it within half a second."""
        watched = team_ids & self._subscribers.keys()
        if not watched:
            return
        self._dirty |= watched
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._push_soon(), name="team-load-push")

    async def _push_soon(self) -> None:
        delay = self._last_push + MIN_INTERVAL - self._clock()
        if delay > 0:
            await asyncio.sleep(delay)
        dirty, self._dirty = self._dirty, set()
        self._last_push = self._clock()
        seq = self._state().last_seq
        for team_id in dirty:
            subs = self._subscribers.get(team_id)
            if not subs:
                continue
            payload = p.TeamLoadUpdated(team_load=self.load(team_id))
            frame = frames.event("team_load", seq, wire.dump(payload))
            for sub in list(subs):
                sub.send_text(frame)

    async def stop(self) -> None:
        """Cancel a pending push."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
