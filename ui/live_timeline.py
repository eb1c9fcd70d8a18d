"""The open conversation's routing timeline, kept in step with the server while it is open, and
what the view says when the conversation leaves the user's view."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from inbox_protocol import Conversation, TimelineEntry
from routing_client.client import NotConnected
from routing_client.rpc import RequestFailed
from sync.session import SyncSession
from ui.tasks import owned, owner_of

log = logging.getLogger(__name__)


def moved(before: object, conv: Conversation) -> bool:
    """Whether a change took a routing step (state, owner or routing), which the timeline
    shows; a new message or an unread count does not."""
    if not isinstance(before, Conversation):
        return True
    return (before.state, before.assigned_to, before.routing) != (
        conv.state, conv.assigned_to, conv.routing)  # fmt: skip


def removal_notice(reason: str, transferred_by_me_to: str | None, now_with: str | None) -> str:
    """Why the open conversation left the view, naming who has it when that is known."""
    if reason == "transferred":
        if transferred_by_me_to:
            return f"You transferred this conversation to {transferred_by_me_to}."
        return f"This conversation was transferred to {now_with or 'a teammate'}."
    if reason == "claimed":
        if now_with:
            return f"{now_with} claimed this conversation."
        return "Another agent claimed this conversation."
    if reason == "account_rep_changed":
        return "The customer's account rep changed: it went to them."
    return "This conversation is no longer in your view."


class TimelineFollower(QObject):
    """Fetches a conversation's timeline again on request, one fetch at a time (a request
    meanwhile makes one more fetch after it)."""

    fetched = Signal(str, object)  # conversation id, list[TimelineEntry]

    def __init__(self, session: SyncSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = owner_of(parent)
        self.session = session
        self._fetching = False
        self._wanted: str | None = None

    def refresh(self, conversation_id: str) -> None:
        """Fetch the timeline of `conversation_id` (now, or after the fetch under way)."""
        self._wanted = conversation_id
        if not self._fetching:
            self._fetch()

    @owned
    async def _fetch(self) -> None:
        self._fetching = True
        try:
            while self._wanted is not None:
                conversation_id, self._wanted = self._wanted, None
                try:
                    result = await self.session.open_conversation(conversation_id)
                except (NotConnected, RequestFailed) as exc:
                    # Gone from view or offline: the steps shown stay; a resync fetches again.
                    log.info("timeline of %s not refreshed: %s", conversation_id, exc)
                    continue
                steps = [TimelineEntry.model_validate(t) for t in result["timeline"]]
                self.fetched.emit(conversation_id, steps)
        finally:
            self._fetching = False
