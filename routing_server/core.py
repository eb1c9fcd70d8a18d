"""The server's heart: one writer over the engine, durable commits, fan-out and the timer.

Every mutation runs inside `Core.write()`: under one lock the engine applies the command, so a
claim race has exactly one winner; then, without the lock, the command waits for the group
commit that makes its changes durable (commands applied meanwhile share that commit's fsync),
and only then are its events pushed and its result sent. Nothing is announced that is not on
disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from routing_server import frames, wire
from routing_server.engine import Engine
from routing_server.engine.clock import next_deadline, recover
from routing_server.engine.conversations import set_delivery
from routing_server.engine.model import Contact, Conversation, Presence, User
from routing_server.engine.state import State
from routing_server.engine.tx import Changes, Tx
from routing_server.engine.visibility import can_see
from routing_server.group_commit import GroupCommit, Pending
from routing_server.mailer import Mailer
from routing_server.metrics import ServerMetrics
from routing_server.retries import RetryCheck, SeenMessages
from routing_server.storage.base import Storage, StoredEvent
from routing_server.team_load import TeamLoadHub

log = logging.getLogger(__name__)


class Subscriber(Protocol):
    """A live connection that receives the events addressed to its user."""

    @property
    def synced(self) -> bool:
        """Whether the connection has called `sync` (no events are pushed before)."""

    def send_text(self, text: str) -> None:
        """Queue one frame."""


@dataclass
class CoreOptions:
    """Tunables of the core (tests shorten them)."""

    delta_limit: int = 2000


class Core:
    """The engine, its storage and the connections that listen to it."""

    def __init__(
        self,
        storage: Storage,
        clock: Callable[[], float] = time.time,
        options: CoreOptions | None = None,
    ) -> None:
        self.storage = storage
        self.clock = clock
        self.options = options or CoreOptions()
        self.engine: Engine | None = None
        self.lock = asyncio.Lock()
        self.subscribers: dict[str, set[Subscriber]] = {}
        self._wake = asyncio.Event()
        self._timer: asyncio.Task[None] | None = None
        self._loaded_closed: set[str] = set()
        self.team_load = TeamLoadHub(lambda: self.state, self.clock)
        self.mailer: Mailer | None = None
        self._mail_tasks: set[asyncio.Task[None]] = set()
        # Called under the writer lock before each command: raises to refuse it (the server
        # refuses commands of connections that closed while they waited).
        self.admit: Callable[[], None] = lambda: None
        # How one frame reaches many subscribers; the server installs a socket-level broadcast.
        self.broadcast: Callable[[list[Subscriber], str], None] = _send_each
        self.group = GroupCommit(self._write_batch, self._after_batch, self._restore)
        # Commit and fan-out times, for `/metrics` (the server installs them).
        self.metrics: ServerMetrics | None = None
        # Retried `external_id`s and `client_msg_id`s, recognised without a read under the lock.
        self.seen = SeenMessages()

    @property
    def state(self) -> State:
        """The engine's state."""
        return self.running_engine.state

    @property
    def running_engine(self) -> Engine:
        """The engine, once `start` has loaded it."""
        if self.engine is None:
            raise RuntimeError("core is not started")
        return self.engine

    async def start(self) -> None:
        """Load the state, start every grace period afresh (nobody is connected) and the timer."""
        self.engine = Engine(await self.storage.load_state())
        self.group.start()
        async with self.write() as tx:
            recover(tx)
        self._timer = asyncio.create_task(self._run_timer(), name="core-timer")
        self.team_load.start()

    async def stop(self) -> None:
        """Stop the timer, pushes and mail (storage is closed by its owner)."""
        await self.team_load.stop()
        if self._mail_tasks:
            await asyncio.wait(self._mail_tasks, timeout=5)
        if self._timer is not None:
            self._timer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._timer
            self._timer = None
        await self.group.stop()

    # -- writing ------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[Tx]:
        """Run one command: the engine under the writer lock, then wait for its group commit."""
        pending: Pending | None = None
        async with self.lock:
            self.admit()
            engine = self.running_engine
            tx = engine.begin(self.clock())
            try:
                yield tx
                self._mark_handed_replies_sent(tx)
                changes = engine.end(tx)
                if not changes.empty:
                    pending = self._submit(changes, tx.now)
            except BaseException:
                if tx.touched:
                    # The engine may have changed memory that never reached the disk: reload
                    # (once what earlier commands submitted is on disk).
                    log.warning("command failed after changing state; reloading from storage")
                    await self.group.flush()
                    await self._reload()
                raise
            finally:
                self._evict_closed()
        if pending is not None:
            # Shielded: a command whose client went away is still written, only not answered.
            await asyncio.shield(pending.done)
        self._wake.set()

    async def durable(self) -> None:
        """Wait until every command applied so far is on disk (reads that must not run ahead)."""
        await self.group.flush()

    def _mark_handed_replies_sent(self, tx: Tx) -> None:
        """Replies a connected gateway will receive are `sent` in the same commit."""
        state = tx.state
        gateways = frozenset(u.id for u in state.integrations())
        if not self._gateway_listening(gateways):
            return
        for outbound in tx.outbound_messages():
            if outbound.message.delivery == "pending":
                set_delivery(tx, outbound.message, outbound.conversation, "sent")

    def _submit(self, changes: Changes, now: float) -> Pending:
        """Number the events, remember unflushed messages, and queue the commit."""
        state = self.running_engine.state
        stored: list[StoredEvent] = []
        seq = state.last_seq
        for ev in changes.events:
            seq += 1
            stored.append(StoredEvent(seq, ev.name, wire.event_data(state, ev), ev.audience))
        rows = self.storage.prepare(changes, stored, now)
        pending = self.group.submit(changes, stored, now, rows)
        state.last_seq = seq
        self.seen.applied(changes.new_messages)
        return pending

    async def _write_batch(self, batch: Sequence[Pending]) -> None:
        if self.metrics is None:
            await self.storage.commit_prepared([p.rows for p in batch])
            return
        with self.metrics.timed(self.metrics.commit_seconds):
            await self.storage.commit_prepared([p.rows for p in batch])

    def _after_batch(self, batch: Sequence[Pending]) -> None:
        """Once a batch is durable: push its events, in order, and what follows from them."""
        if self.metrics is None:
            self._push(batch)
            return
        with self.metrics.timed(self.metrics.fanout_seconds):
            self._push(batch)

    def _push(self, batch: Sequence[Pending]) -> None:
        self.seen.committed(m for pending in batch for m in pending.changes.new_messages)
        for pending in batch:
            changes = pending.changes
            # Closed conversations leave memory once their closing is on disk.
            self._loaded_closed.update(pending.closed)
            self._fan_out(pending.events)
            self.team_load.changed(changes.load_changed)
            if self.mailer is not None:
                self._mail_new_reps(changes, pending.at)

    async def _restore(self, exc: BaseException) -> None:
        """A batch failed: memory ran ahead of the disk, so load the state the disk holds."""
        self.seen.discard_unflushed()
        await self._reload()

    async def earlier_inbound(self, external_id: str) -> RetryCheck:
        """Whether a gateway's message was seen before (read before the writer lock; confirm
        under it)."""
        key = ("in", external_id)
        return await self.seen.check(key, lambda: self.storage.find_inbound(external_id))

    async def earlier_reply(self, author_id: str, client_msg_id: str) -> RetryCheck:
        """Whether an agent's reply was seen before (read before the lock; confirm under it)."""
        key = (author_id, client_msg_id)
        return await self.seen.check(
            key, lambda: self.storage.find_outbound(author_id, client_msg_id)
        )

    def _mail_new_reps(self, changes: Changes, now: float) -> None:
        """E-mail each newly assigned rep once per command, listing their new contacts."""
        assert self.mailer is not None
        state = self.running_engine.state
        by_rep: dict[str, list[Contact]] = {}
        for entry in changes.history:
            rep_id = entry.details.get("user_id")
            if entry.kind == "account_rep_assigned" and isinstance(rep_id, str):
                contact = state.contacts.get(entry.contact_id)
                if contact is not None:
                    by_rep.setdefault(rep_id, []).append(contact)
        for rep_id, contacts in by_rep.items():
            rep = state.users.get(rep_id)
            if rep is None or not rep.email:
                continue
            task = asyncio.create_task(self.mailer.send_assignment(rep, contacts, now))
            self._mail_tasks.add(task)
            task.add_done_callback(self._mail_done)

    def _mail_done(self, task: asyncio.Task[None]) -> None:
        self._mail_tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("could not e-mail a new account rep: %s", type(task.exception()).__name__)

    async def _reload(self) -> None:
        state = await self.storage.load_state()
        for user_id, subs in self.subscribers.items():
            if user_id in state.presence:
                state.presence[user_id].connections = len(subs)
        self.running_engine.state = state

    def _evict_closed(self) -> None:
        conversations = self.running_engine.state.conversations
        for conv_id in self._loaded_closed:
            conv = conversations.get(conv_id)
            if conv is not None and not conv.is_open:
                del conversations[conv_id]
        self._loaded_closed.clear()

    async def conversation_for_write(
        self, tx: Tx, conversation_id: str, user: User | None = None
    ) -> Conversation | None:
        """The conversation, loading a closed one into the state for this command.

        With `user`, one the user may not see costs the same storage read as one that does not
        exist, so that the time to answer `not_found` tells nothing about hidden conversations.
        """
        conv = tx.state.conversations.get(conversation_id)
        if conv is not None and user is not None and not can_see(user, conv):
            await self.storage.load_conversation(conversation_id)
        if conv is None:
            conv = await self.storage.load_conversation(conversation_id)
            if conv is not None:
                tx.state.add_conversation(conv)
                self._loaded_closed.add(conv.id)
        return conv

    async def visible_conversation(self, user: User, conversation_id: str) -> Conversation | None:
        """The conversation if `user` may see it, else None (hidden or nonexistent alike, with
        the same storage read for both)."""
        await self.durable()
        conv = self.running_engine.state.conversations.get(conversation_id)
        if conv is not None and can_see(user, conv):
            return conv
        stored = await self.storage.load_conversation(conversation_id)
        found = conv or stored
        return found if found is not None and can_see(user, found) else None

    async def conversation_for_read(self, conversation_id: str) -> Conversation | None:
        """The conversation from memory, or a closed one from storage (once durable)."""
        await self.durable()
        conv = self.running_engine.state.conversations.get(conversation_id)
        return conv or await self.storage.load_conversation(conversation_id)

    # -- fan-out ------------------------------------------------------------------------------

    def subscribe(self, user_id: str, sub: Subscriber) -> None:
        """Register a connection for its user's events."""
        self.subscribers.setdefault(user_id, set()).add(sub)

    def unsubscribe(self, user_id: str, sub: Subscriber) -> None:
        """Forget a connection."""
        subs = self.subscribers.get(user_id)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self.subscribers[user_id]

    def _fan_out(self, events: list[StoredEvent]) -> None:
        for ev in events:
            text = event_frame(ev)  # serialized once, whatever the audience
            recipients = [
                sub
                for user_id in ev.audience
                for sub in self.subscribers.get(user_id, ())
                if sub.synced
            ]
            if recipients:
                self.broadcast(recipients, text)

    def _gateway_listening(self, audience: frozenset[str]) -> bool:
        return any(sub.synced for user_id in audience for sub in self.subscribers.get(user_id, ()))

    async def mark_sent(self, message_ids: list[str]) -> None:
        """Replies handed to a connected gateway are `sent` (unless already further along)."""
        async with self.write() as tx:
            for message_id in message_ids:
                message = await self.storage.get_message(message_id)
                if message is None or message.delivery != "pending":
                    continue
                conv = await self.conversation_for_write(tx, message.conversation_id)
                if conv is not None:
                    set_delivery(tx, message, conv, "sent")

    # -- timers -------------------------------------------------------------------------------

    def poke(self) -> None:
        """Re-check the deadlines now (after the clock jumped, as a fake one does in tests)."""
        self._wake.set()

    async def _run_timer(self) -> None:
        while True:
            deadline = next_deadline(self.running_engine.state)
            self._wake.clear()
            delay = None if deadline is None else max(0.0, deadline - self.clock())
            try:
                async with asyncio.timeout(delay):
                    await self._wake.wait()
                continue
            except TimeoutError:
                pass
            try:
                # Beginning a write fires whatever is due.
                async with self.write():
                    pass
            except Exception:
                log.exception("firing timers failed; retrying in a second")
                await asyncio.sleep(1.0)

    # -- reading ------------------------------------------------------------------------------

    def user(self, user_id: str) -> User | None:
        """A user by id."""
        return self.running_engine.state.users.get(user_id)

    async def refresh_directory(self) -> None:
        """Load users and teams added to the database (by the CLI) since the state was loaded."""
        teams, users = await self.storage.load_directory()
        async with self.lock:
            state = self.running_engine.state
            for team in teams:
                state.teams.setdefault(team.id, team)
            for user in users:
                if user.id not in state.users:
                    state.add_user(user, Presence(user.id, "offline", self.clock()))

    async def ensure_user(self, user_id: str) -> User | None:
        """A user, loading one added to the database (by the CLI) while the server runs."""
        state = self.running_engine.state
        found = state.users.get(user_id)
        if found is not None:
            return found
        loaded = await self.storage.load_user(user_id)
        if loaded is None:
            return None
        async with self.lock:
            for team_id in loaded.team_ids:
                if team_id not in state.teams:
                    team = await self.storage.load_team(team_id)
                    if team is not None:
                        state.teams[team.id] = team
            if loaded.id not in state.users:
                state.add_user(loaded, Presence(loaded.id, "offline", self.clock()))
        return state.users[user_id]


def event_frame(ev: StoredEvent) -> str:
    """The frame of a stored event."""
    return frames.event(ev.name, ev.seq, ev.data)


def _send_each(subscribers: list[Subscriber], text: str) -> None:
    """Queue a frame on each subscriber (the default, for subscribers that are not sockets)."""
    for sub in subscribers:
        sub.send_text(text)
