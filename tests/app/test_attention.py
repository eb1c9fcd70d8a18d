"""Notifications, sound, auto-away and the preferences that govern them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QIcon, QKeyEvent

from sync.outbox import Outbox
from sync.session import SyncSession
from sync.store import Store
from tests.app.conftest import Desk
from tests.server.harness import until
from ui.attention import Notifier
from ui.chime import Chime
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt


async def priority_for(desk: Desk, window: MainWindow, rep: str) -> None:
    sam = await desk.harness.agent("sam", "supervisor")
    rep_id = (await desk.harness.storage.credentials(rep)).user_id  # type: ignore[union-attr]
    await sam.request("create_contact", name="Maria", phone="+15550100",
                      account_rep_id=rep_id, priority_notifications=True)  # fmt: skip
    gw = await desk.harness.gateway()
    await desk.harness.inbound(gw, "+15550100", "Urgent, please")


class Recorder:
    """Stands in for QSoundEffect: counts the plays asked of it (there is no audio device)."""

    def __init__(self) -> None:
        self.plays = 0

    def play(self) -> None:
        self.plays += 1


def record_sound(window: MainWindow) -> Recorder:
    recorder = Recorder()
    window.notifier.chime = Chime(window.notifier, player=recorder)
    return recorder


async def test_priority_work_notifies_and_repeats_until_claimed(desk: Desk) -> None:
    """A priority conversation is announced with the chime, which repeats until it is claimed."""
    ana = await desk.window("ana")
    sound = record_sound(ana)
    ana.notifier.sound_enabled = True
    await priority_for(desk, ana, "ana")
    await until(lambda: "priority_routed" in [n.kind for n in ana.notifier.shown])
    assert [n.kind for n in ana.notifier.shown] == ["account_rep_assigned", "priority_routed"]
    assert sound.plays == 1
    assert ana.notifier.reminding
    ana.notifier._repeat.timeout.emit()
    assert sound.plays == 2
    conv_id = ana.panes["priority"].model.conversation_id(0)
    await ana.session.conversation_command("claim", conv_id)
    await until(lambda: not ana.notifier.reminding)
    ana.notifier._repeat.timeout.emit()
    assert sound.plays == 2


async def test_sound_can_be_turned_off_in_the_preferences(desk: Desk) -> None:
    """Saving the preferences with sound off silences every window; the choice is kept."""
    ana = await desk.window("ana")
    sound = record_sound(ana)
    dialog = desk.controller.show_preferences(ana)
    dialog.sound.setChecked(False)
    dialog.auto_away.setValue(5)
    dialog._save()
    assert desk.controller.prefs.sound is False
    assert desk.controller.prefs.auto_away_minutes == 5
    assert ana.auto_away.idle_minutes == 5
    await priority_for(desk, ana, "ana")
    await until(lambda: "priority_routed" in [n.kind for n in ana.notifier.shown])
    assert sound.plays == 0


async def test_auto_away_and_back_on_input(desk: Desk) -> None:
    """Idle past the preference sets away; the next key press sets online again."""
    ana = await desk.window("ana")
    ben = await desk.window("ben")
    ana_id = ana.store.me.id  # type: ignore[union-attr]
    ana.auto_away.idle_minutes = 1
    ana.auto_away.check(now=ana.auto_away.last_input + 61)
    await until(lambda: ben.store.team[ana_id].status == "away")

    event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier)
    ana.auto_away.eventFilter(ana, event)
    await until(lambda: ben.store.team[ana_id].status == "online")


def test_the_notifier_alerts_on_alert_kinds_and_ignores_the_rest(
    qapp: object, tmp_path: Path
) -> None:
    """A priority notification is shown and starts the reminder; a kind that is not an alert is
    not shown; the reminder stops once no priority conversation waits."""
    store = Store()
    session = SyncSession("ws://127.0.0.1:9", "t", store, Outbox(tmp_path / "o.db"))
    notifier = Notifier(session, QIcon())
    me = {"id": "me", "username": "me", "display_name": "Me", "email": None, "role": "agent",
          "team_ids": ["support"], "max_open": 5}  # fmt: skip
    at = "2026-11-23T14:00:00Z"
    conv = {"id": "cv1", "team_id": "support", "channel": "sms",
            "contact": {"id": "ct1", "name": "Maria", "handle": "+1"}, "state": "priority",
            "assigned_to": "me", "share_at": at, "routing": {"reason": "dedicated_available",
            "at": at}, "last_message": None, "unread": 1, "created_at": at,
            "updated_at": at}  # fmt: skip
    store.apply_sync({"mode": "snapshot", "seq": 1, "snapshot": {
        "me": me, "presence": {"status": "online", "since": at}, "settings": {},
        "conversations": [], "team": []}})  # fmt: skip
    store.apply_event("notification", {"kind": "something_else", "title": "x", "body": "y"})
    assert notifier.shown == []
    store.apply_event("conversation.upsert", {"conversation": conv})
    store.apply_event("notification", {"kind": "priority_routed", "title": "Maria wrote",
                                       "body": "Hi", "conversation_id": "cv1"})  # fmt: skip
    assert [n.title for n in notifier.shown] == ["Maria wrote"]
    assert notifier.reminding
    store.apply_event("conversation.upsert",
                      {"conversation": {**conv, "state": "claimed", "share_at": None}})  # fmt: skip
    assert not notifier.reminding
