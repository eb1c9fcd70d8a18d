"""Reassignment offers in the window: a card per offer with Accept / Decline and a countdown.

A card appears with the `reassignment_offer` notification and goes when the offer is no longer
this user's: it expired, another member took it, or the group moved on — all of which the
contact's `reassignment.offered_to` says in `contact.updated`. After Accept or Decline the card
says what happened for a few seconds before it goes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from inbox_protocol import Contact, Notification
from routing_client.client import LinkState
from sync.session import SyncSession
from sync.store import Change
from ui.dialog_support import OwnedTasks, StoreWatch, error_text

OUTCOME_SECONDS = 4


def countdown_text(seconds: float) -> str:
    """ "Offer ends in 4:05" (hours shown when there are any)."""
    left = max(0, int(seconds + 0.999))
    hours, rest = divmod(left, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    return f"Offer ends in {clock}"


class OfferCard(QFrame):
    """One live offer: who, the countdown, Accept and Decline."""

    def __init__(
        self,
        session: SyncSession,
        note: Notification,
        done: Callable[[OfferCard], None],
        clock: Callable[[], float],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("offerCard")
        self.setAccessibleName("Reassignment offer")
        self.session = session
        self.contact_id = str(note.contact_id)
        self.expires_at: datetime | None = note.expires_at
        self._done = done
        self._clock = clock
        self.tasks = OwnedTasks(self)
        self.busy = False
        self.finished = False
        self.title = QLabel(note.title, self)
        self.title.setObjectName("offerTitle")
        self.title.setWordWrap(True)
        self.body = QLabel(note.body, self)
        self.body.setWordWrap(True)
        self.details = QLabel("", self)
        self.details.setObjectName("hint")
        self.details.hide()
        self.countdown = QLabel("", self)
        self.countdown.setObjectName("offerCountdown")
        self.outcome = QLabel("", self)
        self.outcome.setWordWrap(True)
        self.outcome.hide()
        self.accept_button = QPushButton("Accept", self)
        self.accept_button.setObjectName("primaryButton")
        self.accept_button.setToolTip("Become this customer's account rep")
        self.accept_button.clicked.connect(lambda: self.tasks.spawn(self.answer(True)))
        self.decline_button = QPushButton("Decline", self)
        self.decline_button.setToolTip("Pass: the group offers the customer to someone else")
        self.decline_button.clicked.connect(lambda: self.tasks.spawn(self.answer(False)))
        self.dismiss_button = QPushButton("Dismiss", self)
        self.dismiss_button.clicked.connect(self.close_card)
        self.dismiss_button.hide()
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title)
        text.addWidget(self.body)
        text.addWidget(self.details)
        text.addWidget(self.outcome)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.countdown)
        buttons.addStretch(1)
        buttons.addWidget(self.decline_button)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.dismiss_button)
        text.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(text, 1)
        self.tick()
        self.tasks.spawn(self.load_contact())

    async def load_contact(self) -> None:
        """Add who the customer is and who their rep is now (the notification names only)."""
        try:
            result = await self.session.request("get_contact", contact_id=self.contact_id)
        except Exception:
            return  # the card works without it
        contact = Contact.model_validate(result["contact"])
        store = self.session.store
        me = store.me.id if store.me else None
        rep_id = contact.account_rep_id
        rep = "you" if rep_id and rep_id == me else (store.member_name(rep_id) or "nobody")
        parts = [contact.phone or contact.email or contact.handle, f"account rep now: {rep}"]
        self.details.setText("  ·  ".join(p for p in parts if p))
        self.details.show()

    def seconds_left(self) -> float | None:
        """Seconds until the offer lapses (None when it has no expiry)."""
        if self.expires_at is None:
            return None
        return self.expires_at.timestamp() - self._clock()

    def tick(self) -> None:
        """Update the countdown; an expired offer goes."""
        if self.finished:
            return
        left = self.seconds_left()
        if left is None:
            self.countdown.setText("")
            return
        if left <= 0 and not self.busy:
            self.close_card()
            return
        self.countdown.setText(countdown_text(left))

    def contact_changed(self, contact: Contact) -> None:
        """The offer is gone when the contact's reassignment no longer offers it to me."""
        if self.busy or self.finished:
            return
        me = self.session.store.me
        reassignment = contact.reassignment
        if reassignment is None or me is None or me.id not in reassignment.offered_to:
            self.close_card()
        elif reassignment.offer_expires_at is not None:
            self.expires_at = reassignment.offer_expires_at

    async def answer(self, accept: bool) -> bool:
        """Accept or decline on the server; the card says how it went."""
        self.busy = True
        self.accept_button.setEnabled(False)
        self.decline_button.setEnabled(False)
        command = "accept_reassignment" if accept else "decline_reassignment"
        try:
            result = await self.session.request(command, contact_id=self.contact_id)
        except Exception as exc:
            self.busy = False
            self._show_outcome(f"{error_text(exc)}", failed=True)
            return False
        name = Contact.model_validate(result["contact"]).name
        if accept:
            self._show_outcome(f"You are now {name}'s account rep.", failed=False)
        else:
            self._show_outcome(f"You passed on {name}; the group moves on.", failed=False)
        return True

    def _show_outcome(self, text: str, *, failed: bool) -> None:
        self.finished = True
        self.countdown.setText("")
        self.outcome.setText(text)
        self.outcome.setObjectName("offerError" if failed else "offerOutcome")
        self.outcome.style().unpolish(self.outcome)
        self.outcome.style().polish(self.outcome)
        self.outcome.show()
        self.accept_button.hide()
        self.decline_button.hide()
        if failed:
            self.dismiss_button.show()  # an error stays until read
        else:
            QTimer.singleShot(OUTCOME_SECONDS * 1000, self, self.close_card)

    def close_card(self) -> None:
        """Remove the card from the window."""
        self.finished = True
        self._done(self)


class OfferBar(QWidget):
    """The offers this user holds now, stacked above the panes; hidden when there are none."""

    def __init__(
        self,
        session: SyncSession,
        parent: QWidget | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._clock = clock
        self.cards: dict[str, OfferCard] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 6, 8, 0)
        self._layout.setSpacing(6)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self.tasks = OwnedTasks(self)
        StoreWatch(session.store, self, self._on_change)
        # Offers made while this window was not connected come with no notification: ask for
        # the live ones after every (re)connection.
        session.observe_link(self._link_changed)
        self.hide()

    def _link_changed(self, state: LinkState) -> None:
        if state.status == "online":
            self.tasks.spawn(self.recover())

    async def recover(self) -> None:
        """Show every offer the server says this user holds now."""
        try:
            result = await self.session.request("list_offers")
        except Exception:
            return  # the next connection tries again; live notifications still arrive
        for raw in result["offers"]:
            self.add(Notification.model_validate(raw))

    def _on_change(self, change: Change) -> None:
        if change.kind == "notification" and isinstance(change.detail, Notification):
            note = change.detail
            if note.kind == "reassignment_offer" and note.contact_id:
                self.add(note)
        elif change.kind == "contact_changed" and change.key in self.cards:
            self.cards[change.key].contact_changed(Contact.model_validate(change.detail))

    def add(self, note: Notification) -> OfferCard | None:
        """Show an offer (replacing an older card for the same contact)."""
        if note.expires_at is not None and note.expires_at.timestamp() <= self._clock():
            return None  # replayed after it lapsed
        contact_id = str(note.contact_id)
        old = self.cards.get(contact_id)
        same = old is not None and not old.finished and old.expires_at == note.expires_at
        if old is not None and (old.busy or same):
            return old  # the same offer again (listed after a reconnect), or being answered
        if old is not None:
            del self.cards[contact_id]
            old.deleteLater()
        card = OfferCard(self.session, note, self._remove, self._clock, self)
        self.cards[contact_id] = card
        self._layout.addWidget(card)
        self.show()
        self._timer.start()
        return card

    def _remove(self, card: OfferCard) -> None:
        if self.cards.get(card.contact_id) is card:
            del self.cards[card.contact_id]
        card.hide()
        card.deleteLater()
        if not self.cards:
            self._timer.stop()
            self.hide()

    def _tick(self) -> None:
        for card in list(self.cards.values()):
            card.tick()
