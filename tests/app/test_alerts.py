"""Alerts reach the agent: a desktop notification over D-Bus, the window marked urgent, the
toast, and the chime until claimed; "Do not disturb" keeps only the toast."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from tests.app.conftest import Desk
from tests.app.fake_notifications import FakeNotificationService, notification_service
from tests.app.test_attention import priority_for, record_sound
from tests.server.harness import until
from ui.chime import Chime, audio_problem, chime_path
from ui.desktop_notify import DesktopNotifications, NotificationServiceError

pytestmark = pytest.mark.qt


@pytest.fixture
def notifyd() -> Iterator[FakeNotificationService]:
    """A fake notification daemon on a private session bus."""
    with notification_service() as service:
        yield service


@pytest.fixture
def urgent(monkeypatch: pytest.MonkeyPatch) -> list[QWidget]:
    """The windows QApplication.alert marked urgent (offscreen Qt has no task bar to flash)."""
    marked: list[QWidget] = []
    monkeypatch.setattr("ui.attention.QApplication.alert", lambda w, ms=0: marked.append(w))
    return marked


async def test_priority_work_reaches_the_agent_until_claimed(
    desk: Desk, notifyd: FakeNotificationService, urgent: list[QWidget]
) -> None:
    """With no tray, a priority conversation raises a freedesktop notification over D-Bus (with
    the spec's signature), marks the window urgent, shows a toast that opens it, and plays the
    chime, again at each reminder until the agent claims it."""
    ana = await desk.window("ana")
    assert ana.notifier.tray is None
    ana.notifier.desktop = DesktopNotifications(bus=notifyd.address)
    ana.notifier.sound_enabled = True
    sound = record_sound(ana)
    await priority_for(desk, ana, "ana")
    await until(lambda: len(notifyd.notifications()) == 2)  # rep assigned, then priority
    assert {sig for member, sig, _ in notifyd.calls if member == "Notify"} == {"susssasa{sv}i"}
    app_name, _, _, summary, _body, _, hints, _ = notifyd.notifications()[-1]
    assert app_name == "Agent Inbox"
    priority = next(n for n in ana.notifier.shown if n.kind == "priority_routed")
    assert summary == priority.title
    assert hints["urgency"] == ("y", 2)
    assert urgent
    assert all(w is ana for w in urgent)
    assert not ana.toast.isHidden()
    assert priority.title in ana.toast.text.text()
    assert ana.toast.action.text() == "Open"
    ana.toast.action.click()
    conv_id = ana.panes["priority"].model.conversation_id(0)
    await until(lambda: ana.view.conversation_id == conv_id)
    assert sound.plays == 1
    ana.notifier._repeat.timeout.emit()
    ana.notifier._repeat.timeout.emit()
    assert sound.plays == 3
    await ana.session.conversation_command("claim", conv_id)
    await until(lambda: not ana.notifier.reminding)
    ana.notifier._repeat.timeout.emit()
    assert sound.plays == 3


async def test_do_not_disturb_keeps_only_the_toast(
    desk: Desk, notifyd: FakeNotificationService, urgent: list[QWidget]
) -> None:
    """With "Do not disturb" on (kept in the preferences), a priority conversation shows the
    toast but sends no desktop notification, does not mark the window and stays silent."""
    ana = await desk.window("ana")
    ana.notifier.desktop = DesktopNotifications(bus=notifyd.address)
    ana.notifier.sound_enabled = True
    sound = record_sound(ana)
    ana.dnd_action.trigger()
    assert desk.controller.prefs.do_not_disturb is True
    await priority_for(desk, ana, "ana")
    await until(lambda: "priority_routed" in [n.kind for n in ana.notifier.shown])
    assert not ana.toast.isHidden()
    ana.notifier._repeat.timeout.emit()
    assert sound.plays == 0
    assert notifyd.notifications() == []
    assert urgent == []


async def test_no_notification_service_is_an_error_with_a_reason() -> None:
    """A bus where nothing serves notifications gives a NotificationServiceError saying so."""
    with notification_service() as service:
        service.stop()
        with pytest.raises(NotificationServiceError, match="refused"):
            await DesktopNotifications(bus=service.address).notify("t", "b")
    with pytest.raises(NotificationServiceError, match="did not answer"):
        await DesktopNotifications(bus="unix:path=/nonexistent/bus").notify("t", "b")


def test_the_chime_is_a_short_real_sound_and_silence_is_said(qapp: QApplication) -> None:
    """The shipped chime is a short 16-bit WAV; with no audio device, playing it plays nothing
    and says why (the app goes on)."""
    import wave

    with wave.open(str(chime_path())) as chime:
        seconds = chime.getnframes() / chime.getframerate()
        assert chime.getsampwidth() == 2
    assert 0.2 <= seconds <= 1.5
    problem = audio_problem()
    chime_player = Chime()
    assert chime_player.play() is (problem is None)
    assert chime_player.requests == 1
