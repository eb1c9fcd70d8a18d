"""Live team load for supervisors: subscriptions, throttled pushes (at most 2 a second), and
the shared queue's depth over the last hour.

The depth history lives in memory only (a restart starts it afresh): it is sampled whenever a
team's load changes and once a minute, at most one sample per `BUCKET` seconds (a burst keeps
the latest depth of its bucket), and trimmed to `HISTORY` seconds. The minute tick also pushes
every watched team's load, since "silent" agents and waits become true with time alone.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable
from typing import Protocol

import inbox_protocol as p
from routing_server import frames, wire
from routing_server.engine.state import State

MIN_INTERVAL = 0.5
TICK = 60.0
BUCKET = 5.0
HISTORY = 3600.0


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
        self._ticker: asyncio.Task[None] | None = None
        self._last_push = 0.0
        self._history: dict[str, deque[tuple[float, int]]] = {}
        self.tick_seconds = TICK

    def start(self) -> None:
        """Start the minute tick (sampling every team, refreshing every watched one)."""
        if self._ticker is None:
            self._ticker = asyncio.create_task(self._tick(), name="team-load-tick")

    async def _tick(self) -> None:
        while True:
            self.sample(set(self._state().teams))
            await asyncio.sleep(self.tick_seconds)
            self.changed(set(self._subscribers))

    def sample(self, team_ids: set[str]) -> None:
        """Record the shared queue's depth of these teams now."""
        state = self._state()
        now = self._clock()
        for team_id in team_ids:
            if team_id not in state.teams:
                continue
            depth = state.index.shared_count(team_id)
            samples = self._history.setdefault(team_id, deque())
            if samples and now - samples[-1][0] < BUCKET:
                samples[-1] = (samples[-1][0], depth)
            else:
                samples.append((now, depth))
            while samples and samples[0][0] < now - HISTORY:
                samples.popleft()

    def history(self, team_id: str) -> list[tuple[float, int]]:
        """The team's sampled shared-queue depth over the last hour, oldest first."""
        now = self._clock()
        return [s for s in self._history.get(team_id, ()) if s[0] >= now - HISTORY]

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
        return wire.team_load(self._state(), team_id, self._clock(), self.history(team_id))

    def render(self, team_id: str) -> dict[str, object]:
        """The team's load now, as a JSON-ready dict."""
        return wire.dump(self.load(team_id))

    def changed(self, team_ids: set[str]) -> None:
        """Mark teams whose load changed; subscribers get it within half a second."""
        self.sample(team_ids)
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
        """Cancel a pending push and the tick."""
        for task in (self._task, self._ticker):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._ticker = None
