"""Indexes over the open conversations and the timers, kept in step as the state changes.

A command must cost what it changes, not what the state holds: routing asks "what is this
agent's load", "which conversations wait for this agent", "what is the oldest shared
conversation of this team" and "what is the next deadline", and each answer here is a lookup
or a peek. Every change to a conversation's routing fields (state, owner, team, deadlines) goes
through `State.reindex`, which moves the conversation between these indexes; timers go into one
heap whose stale entries are dropped lazily when they reach the top.
"""

from __future__ import annotations

import bisect
import heapq
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from routing_server.engine.model import Conversation

# Timer kinds, in the order the engine fires timers that fall due at the same instant.
PRESENCE_EXPIRY = 0
SHARE_AT = 1
CAPACITY_WAIT = 2
OFFER_EXPIRY = 3

Order = tuple[float, str]  # (created_at, id): "oldest first", with a tie-break


@dataclass(frozen=True, slots=True)
class Slot:
    """Where an open conversation is filed: the routing fields it was indexed under."""

    state: str
    assigned_to: str | None
    team_id: str
    order: Order
    share_at: float | None
    wait_until: float | None


def slot_of(conv: Conversation) -> Slot:
    """The slot an open conversation belongs in now."""
    return Slot(
        conv.state,
        conv.assigned_to,
        conv.team_id,
        (conv.created_at, conv.id),
        conv.share_at if conv.state == "priority" else None,
        conv.wait_until if conv.state == "waiting" else None,
    )


class RoutingIndex:
    """Per-agent load and queues, per-team shared queues and the timer heap."""

    def __init__(self) -> None:
        self._slots: dict[str, Slot] = {}
        # Claimed open conversations plus pending priority ones, per agent (DESIGN.md "Load").
        self.load: Counter[str] = Counter()
        self._assigned: dict[str, set[str]] = {}
        # Sorted lists: new conversations are the newest, so inserts land at the end.
        self._waiting: dict[str, list[Order]] = {}
        self._shared: dict[str, list[Order]] = {}
        self._team_open: Counter[str] = Counter()
        self._team_waiting: Counter[str] = Counter()
        self._timers: list[tuple[float, int, str]] = []
        # What changed since routing last settled: agents whose availability or load may free
        # work, and teams whose shared queue or members changed.
        self.dirty_agents: set[str] = set()
        self.dirty_teams: set[str] = set()

    # -- conversations ------------------------------------------------------------------------

    def file(self, conv: Conversation) -> None:
        """Move a conversation to the slots its fields call for (out of all when closed)."""
        old = self._slots.pop(conv.id, None)
        new = slot_of(conv) if conv.is_open else None
        if old == new:
            if new is not None:
                self._slots[conv.id] = new
            return
        if old is not None:
            self._unfile(conv.id, old)
        if new is not None:
            self._file(conv.id, new)
            self._slots[conv.id] = new

    def forget(self, conv_id: str) -> None:
        """Drop a conversation from every index (it left the state)."""
        old = self._slots.pop(conv_id, None)
        if old is not None:
            self._unfile(conv_id, old)

    def _file(self, conv_id: str, slot: Slot) -> None:
        self._team_open[slot.team_id] += 1
        if slot.assigned_to is not None:
            self._assigned.setdefault(slot.assigned_to, set()).add(conv_id)
        if slot.state in ("claimed", "priority") and slot.assigned_to is not None:
            self.load[slot.assigned_to] += 1
        if slot.state == "waiting":
            self._team_waiting[slot.team_id] += 1
        if slot.state == "waiting" and slot.assigned_to is not None:
            bisect.insort(self._waiting.setdefault(slot.assigned_to, []), slot.order)
            self.dirty_agents.add(slot.assigned_to)
        elif slot.state == "shared":
            bisect.insort(self._shared.setdefault(slot.team_id, []), slot.order)
            self.dirty_teams.add(slot.team_id)
        if slot.share_at is not None:
            self.add_timer(slot.share_at, SHARE_AT, conv_id)
        if slot.wait_until is not None:
            self.add_timer(slot.wait_until, CAPACITY_WAIT, conv_id)

    def _unfile(self, conv_id: str, slot: Slot) -> None:
        self._team_open[slot.team_id] -= 1
        if not self._team_open[slot.team_id]:
            del self._team_open[slot.team_id]
        if slot.assigned_to is not None:
            _discard(self._assigned, slot.assigned_to, conv_id)
        if slot.state in ("claimed", "priority") and slot.assigned_to is not None:
            self.load[slot.assigned_to] -= 1
            if not self.load[slot.assigned_to]:
                del self.load[slot.assigned_to]
            # Capacity freed: what waits for this agent may now go to them.
            self.dirty_agents.add(slot.assigned_to)
        if slot.state == "waiting":
            self._team_waiting[slot.team_id] -= 1
            if not self._team_waiting[slot.team_id]:
                del self._team_waiting[slot.team_id]
        if slot.state == "waiting" and slot.assigned_to is not None:
            _discard_sorted(self._waiting, slot.assigned_to, slot.order)
        elif slot.state == "shared":
            _discard_sorted(self._shared, slot.team_id, slot.order)

    def filed(self, conv_id: str) -> Slot | None:
        """The slot a conversation is filed under, if it is open."""
        return self._slots.get(conv_id)

    def assigned(self, user_id: str) -> frozenset[str]:
        """Ids of the open conversations assigned to a user (priority, waiting or claimed)."""
        return frozenset(self._assigned.get(user_id, ()))

    def waiting_for(self, user_id: str) -> list[str]:
        """Ids of the conversations waiting for a user's capacity, oldest first."""
        return [conv_id for _, conv_id in self._waiting.get(user_id, ())]

    def shared_queue(self, team_id: str) -> list[str]:
        """Ids of a team's shared conversations, oldest first."""
        return [conv_id for _, conv_id in self._shared.get(team_id, ())]

    def waiting_count(self, team_id: str) -> int:
        """How many of a team's conversations wait, invisible, for their rep's capacity."""
        return self._team_waiting[team_id]

    def shared_count(self, team_id: str) -> int:
        """How many conversations wait in a team's shared inbox."""
        return len(self._shared.get(team_id, ()))

    def contents(self) -> tuple[object, ...]:
        """What the index holds, timers and dirty marks aside: equal for equal states."""
        return (
            dict(self._slots),
            +self.load,
            {k: frozenset(v) for k, v in self._assigned.items()},
            {k: list(v) for k, v in self._waiting.items()},
            {k: list(v) for k, v in self._shared.items()},
            +self._team_open,
            +self._team_waiting,
        )

    def open_count(self) -> int:
        """How many conversations are open."""
        return len(self._slots)

    # -- timers -------------------------------------------------------------------------------

    def add_timer(self, at: float, kind: int, key: str) -> None:
        """Arm a timer; one that no longer matches the state is skipped when it surfaces."""
        heapq.heappush(self._timers, (at, kind, key))

    def peek_timer(self) -> tuple[float, int, str] | None:
        """The earliest armed timer (possibly stale: the caller checks it against the state)."""
        return self._timers[0] if self._timers else None

    def pop_timer(self) -> None:
        """Drop the earliest timer."""
        heapq.heappop(self._timers)

    def timers(self) -> Iterator[tuple[float, int, str]]:
        """Every armed timer, stale ones included, in no particular order."""
        return iter(self._timers)

    def timer_count(self) -> int:
        """How many timers are armed, stale ones included."""
        return len(self._timers)

    def compact_timers(self, live: list[tuple[float, int, str]]) -> None:
        """Replace the heap by the timers still live (when stale ones outnumber them)."""
        self._timers = list(live)
        heapq.heapify(self._timers)


def _discard(index: dict[str, set[str]], key: str, value: str) -> None:
    members = index.get(key)
    if members is not None:
        members.discard(value)
        if not members:
            del index[key]


def _discard_sorted(index: dict[str, list[Order]], key: str, value: Order) -> None:
    members = index.get(key)
    if members is not None:
        at = bisect.bisect_left(members, value)
        if at < len(members) and members[at] == value:
            del members[at]
        if not members:
            del index[key]
