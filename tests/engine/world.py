"""A small world for engine tests: a team, agents, a gateway, a fake clock, and helpers that run
each command the way the server does (fire due deadlines, run, settle, finish)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any, TypeVar

from routing_server.engine import Engine, presence
from routing_server.engine import conversations as cmd
from routing_server.engine.clock import next_deadline
from routing_server.engine.model import Contact, Conversation, Presence, Role, Team, User
from routing_server.engine.state import State
from routing_server.engine.tx import Changes, Tx

T = TypeVar("T")


class World:
    """An engine on a fake clock."""

    def __init__(self, *, agents: int = 3, max_open: int = 5) -> None:
        self.now = 1_000_000.0
        state = State()
        state.teams["support"] = Team("support", "support")
        people: list[tuple[str, Role]] = [(f"a{i}", "agent") for i in range(agents)]
        people.append(("sup", "supervisor"))
        for uid, role in people:
            user = User(uid, uid, uid.upper(), f"{uid}@x.test", role, ("support",), max_open)
            state.add_user(user, Presence(uid, "offline", 0.0))
        state.add_user(
            User("gw", "gw", "gw", None, "integration", ()), Presence("gw", "offline", 0)
        )
        counter = itertools.count(1)
        self.engine = Engine(state, new_id=lambda prefix: f"{prefix}{next(counter)}")
        self.last: Changes = Changes()
        self._ext = itertools.count(1)

    @property
    def state(self) -> State:
        return self.engine.state

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        """One command at the current time, as the server runs it."""
        tx = self.engine.begin(self.now)
        result = fn(tx, *args)
        self.last = self.engine.end(tx)
        return result

    def tick(self) -> Changes:
        """Let the timer fire what is due now."""
        self.run(lambda tx: None)
        return self.last

    def advance(self, seconds: float) -> Changes:
        """Move the clock on, firing deadlines as they fall due (as the server's timer does)."""
        target = self.now + seconds
        fired = Changes()
        while (due := next_deadline(self.state)) is not None and due <= target:
            self.now = max(self.now, due)
            fired = self.tick()
        self.now = target
        if self.tick().empty:
            self.last = fired  # keep what the deadlines did, for the test to look at
        return self.last

    def user(self, uid: str) -> User:
        return self.state.users[uid]

    def online(self, *uids: str) -> None:
        """Connect and set online."""
        for uid in uids:
            self.run(presence.connected, self.user(uid))
            self.run(presence.set_presence, self.user(uid), "online")

    def away(self, uid: str) -> None:
        self.run(presence.set_presence, self.user(uid), "away")

    def disconnect(self, uid: str) -> None:
        self.run(presence.disconnected, self.user(uid))

    def contact(self, address: str, rep: str | None = None, priority: bool = True) -> Contact:
        """A contact with an account rep (priority notifications on by default)."""
        contact = Contact(f"ct-{address}", address, address, phone=address, account_rep_id=rep,
                          priority_notifications=priority)  # fmt: skip
        self.state.add_contact(contact)
        return contact

    def inbound(self, address: str, channel: str = "sms", body: str = "hi") -> Conversation:
        conv, _ = self.run(cmd.inbound, channel, address, None, body, f"e{next(self._ext)}", None)
        return conv

    def claim(self, uid: str, conv: Conversation) -> Conversation:
        return self.run(cmd.claim, self.user(uid), conv.id)

    def close(self, uid: str, conv: Conversation) -> Conversation:
        return self.run(cmd.close, self.user(uid), conv.id)

    def events(self, name: str) -> list[tuple[object, frozenset[str]]]:
        """The last command's events called `name`, with their audiences."""
        return [(e.payload, e.audience) for e in self.last.events if e.name == name]

    def begin(self) -> Tx:
        return self.engine.begin(self.now)
