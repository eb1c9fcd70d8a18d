"""A signed-in session: the client, the store and the outbox, and the intents the UI sends.

The UI never talks to the network: it calls these coroutines (through qasync) and reads the
store. Replies go through the outbox first, so a reply typed offline is sent once, on reconnect,
even after the app restarts.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from inbox_protocol import Event
from routing_client.client import FatalError, InboxClient, LinkState, NotConnected
from routing_client.rpc import RequestFailed
from sync.outbox import Outbox, QueuedReply
from sync.store import PendingReply, Store

LinkObserver = Callable[[LinkState], None]


class SyncSession:
    """Keeps one user's store in step with the server and carries out their intents."""

    def __init__(
        self, url: str, token: str, store: Store, outbox: Outbox, *, online_at_start: bool = True
    ) -> None:
        self.url = url
        # Whether the first connection should take an offline agent online (see `connected`).
        self._online_at_start = online_at_start
        # The presence the user chose (None until known): restored after every reconnect, since
        # an outage longer than the server's grace period leaves them offline there.
        self.chosen_presence: str | None = None
        self.token = token
        self.store = store
        self.outbox = outbox
        self.client = InboxClient(url, token, self)
        self.link = LinkState("connecting")
        self.fatal: FatalError | None = None
        self._link_observers: list[LinkObserver] = []
        self.failed_replies: list[tuple[QueuedReply, str]] = []

    def observe_link(self, observer: LinkObserver) -> None:
        """Call `observer` whenever the connection's state changes."""
        self._link_observers.append(observer)

    def detach_observers(self) -> None:
        """Forget every observer of the store and the link (their views are going away)."""
        self._link_observers.clear()
        self.store.detach_observers()

    async def run(self) -> FatalError | None:
        """Run until stopped; returns the fatal error that ended the session, if any."""
        for reply in await self.outbox.all():
            self._show_pending(reply)
        try:
            await self.client.run()
        except FatalError as exc:
            self.fatal = exc
            return exc
        return None

    def stop(self) -> None:
        """Disconnect for good."""
        self.client.stop()

    # -- ClientListener -----------------------------------------------------------------------

    def link_changed(self, state: LinkState) -> None:
        """Remember and announce the connection's state."""
        self.link = state
        for observer in list(self._link_observers):
            observer(state)

    def synced(self, result: dict[str, Any]) -> None:
        """Apply a snapshot or delta."""
        self.store.apply_sync(result)

    def event(self, event: Event) -> None:
        """Apply an event; a live change of my presence (another window of mine) is a choice."""
        self.store.apply_event(event.event, event.data)
        me = self.store.me
        if event.event == "presence.changed" and me is not None and event.data["user_id"] == me.id:
            self.chosen_presence = event.data["status"]

    async def connected(self) -> None:
        """Put back the presence the user chose, then send what the outbox holds, once."""
        presence = self.store.presence
        if self._online_at_start:
            # Signing in means starting work: an offline agent becomes online (a chosen Away
            # from an earlier session stays).
            self._online_at_start = False
            if presence is not None:
                self.chosen_presence = "online" if presence.status == "offline" else presence.status
        elif presence is not None and (
            self.chosen_presence is None or self._set_by_someone_else(presence.set_by)
        ):
            # A supervisor who changed it while we were away wins over what we chose before.
            self.chosen_presence = presence.status
        if (
            presence is not None
            and self.chosen_presence is not None
            and presence.status != self.chosen_presence
        ):
            await self.set_presence(self.chosen_presence)
        await self.flush_outbox()

    def _set_by_someone_else(self, set_by: str | None) -> bool:
        me = self.store.me
        return set_by is not None and (me is None or set_by != me.id)

    # -- intents ------------------------------------------------------------------------------

    async def request(self, type: str, **fields: Any) -> dict[str, Any]:
        """A request on the live connection (`NotConnected` while offline)."""
        return await self.client.request(type, **fields)

    async def set_presence(self, status: str) -> None:
        """Ask the server to set the user's presence (the store shows the server's answer)."""
        result = await self.request("set_presence", status=status)
        self.chosen_presence = result["status"]
        me = self.store.me
        if me is not None and me.id in self.store.team:
            self.store.apply_event(
                "presence.changed", {"user_id": me.id, "status": result["status"],
                                     "since": result["since"], "set_by": result.get("set_by")}
            )  # fmt: skip

    async def open_conversation(self, conversation_id: str) -> dict[str, Any]:
        """Load a conversation's newest messages and its timeline."""
        result = await self.request("get_conversation", conversation_id=conversation_id)
        self.store.set_messages(conversation_id, result["messages"])
        return result

    async def conversation_command(self, command: str, conversation_id: str, **fields: Any) -> None:
        """claim, release, close, mark_read or transfer; the store follows from the events."""
        result = await self.request(command, conversation_id=conversation_id, **fields)
        if "conversation" in result:
            self.store.apply_event("conversation.upsert", {"conversation": result["conversation"]})

    async def send_reply(self, conversation_id: str, body: str) -> str:
        """Queue a reply durably, show it as pending, and send it if connected."""
        reply = QueuedReply(str(uuid.uuid4()), conversation_id, body, time.time())
        await self.outbox.add(reply)
        self._show_pending(reply)
        if self.client.online:
            await self._send(reply)
        return reply.client_msg_id

    async def flush_outbox(self) -> None:
        """Send every queued reply, oldest first; stop at the first network failure."""
        for reply in await self.outbox.all():
            if not await self._send(reply):
                return

    async def _send(self, reply: QueuedReply) -> bool:
        """True when the server has the reply (or refused it for good); False when offline."""
        try:
            await self.request(
                "send_message",
                conversation_id=reply.conversation_id,
                body=reply.body,
                client_msg_id=reply.client_msg_id,
            )
        except NotConnected:
            return False
        except RequestFailed as exc:
            # Refused for good (closed, no longer ours): keep it visible as failed, stop retrying.
            self.failed_replies.append((reply, exc.message))
            self.store.pending.pop(reply.client_msg_id, None)
            self.store.apply_event(
                "notification",
                {"kind": "reply_failed", "title": "A reply could not be sent",
                 "body": f"{exc.message}: {reply.body[:80]}",
                 "conversation_id": reply.conversation_id},
            )  # fmt: skip
        await self.outbox.remove(reply.client_msg_id)
        return True

    def _show_pending(self, reply: QueuedReply) -> None:
        self.store.add_pending(
            PendingReply(
                reply.client_msg_id,
                reply.conversation_id,
                reply.body,
                datetime.fromtimestamp(reply.queued_at, UTC),
            )
        )
