"""Close and Release can be undone for a few seconds; a transfer says to whom."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.app.conftest import UNDO_SECONDS, Desk
from tests.server.harness import until
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt


async def claimed_and_open(desk: Desk, window: MainWindow, sender: str = "+15550170") -> str:
    gw = await desk.harness.gateway()
    conv_id = str((await desk.harness.inbound(gw, sender, "hello"))["conversation_id"])
    await until(lambda: conv_id in window.store.conversations)
    await window.session.conversation_command("claim", conv_id)
    window.tabs.setCurrentWidget(window.panes["mine"])
    await until(lambda: window.panes["mine"].row_count() == 1)
    window.panes["mine"].pick_row(0)
    await until(lambda: window.view.close_button.isEnabled())
    return conv_id


def server_state(desk: Desk, conv_id: str) -> str:
    return str(desk.harness.server.core.state.conversations[conv_id].state)


async def test_undo_in_the_toast_keeps_a_closed_conversation_open(desk: Desk, qtbot: QtBot) -> None:
    """Close shows a toast with Undo and a countdown; Undo before it runs out leaves the
    conversation claimed on the server, and the buttons come back."""
    ana = await desk.window("ana")
    conv_id = await claimed_and_open(desk, ana)
    qtbot.mouseClick(ana.view.close_button, Qt.MouseButton.LeftButton)
    assert not ana.toast.isHidden()
    assert ana.toast.text.text().startswith("Closing the conversation with")
    assert ana.toast.action.text() == "Undo"
    assert not ana.view.close_button.isEnabled()
    assert not ana.view.reply.isEnabled()
    qtbot.mouseClick(ana.toast.action, Qt.MouseButton.LeftButton)
    await asyncio.sleep(UNDO_SECONDS * 2)
    assert server_state(desk, conv_id) == "claimed"
    assert ana.view.close_button.isEnabled()
    assert ana.view.where.text() == "Claimed by you."


async def test_a_close_not_undone_is_sent_when_the_time_is_up(desk: Desk) -> None:
    """Without Undo, the held Close reaches the server once its few seconds have passed."""
    ana = await desk.window("ana")
    conv_id = await claimed_and_open(desk, ana)
    ana.view.close_button.click()
    await asyncio.sleep(UNDO_SECONDS / 3)
    assert server_state(desk, conv_id) == "claimed"
    await until(lambda: server_state(desk, conv_id) == "closed")
    await until(lambda: ana.toast.isHidden())


async def test_ctrl_z_takes_back_a_release(desk: Desk, qtbot: QtBot) -> None:
    """Release, then Ctrl+Z: the conversation stays the agent's, on the server too."""
    ana = await desk.window("ana")
    conv_id = await claimed_and_open(desk, ana)
    ana.view.release_button.click()
    assert ana.toast.text.text().startswith("Releasing the conversation with")
    qtbot.keyClick(ana, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ana.toast.text.text() == "Undone: the conversation stays as it was."
    await asyncio.sleep(UNDO_SECONDS * 2)
    assert server_state(desk, conv_id) == "claimed"
    assert ana.panes["mine"].row_count() == 1


async def test_closing_the_window_sends_what_it_holds(desk: Desk) -> None:
    """A Close still waiting for its Undo time is sent when the window closes."""
    ana = await desk.window("ana")
    ana.view.held.seconds = 60
    conv_id = await claimed_and_open(desk, ana)
    ana.view.close_button.click()
    ana.close()
    assert ana.retired is not None
    await ana.retired
    assert server_state(desk, conv_id) == "closed"


async def test_a_transfer_says_to_whom(desk: Desk) -> None:
    """Transferring to Ben: the toast and the view's notice name Ben."""
    ben = await desk.window("ben")
    ana = await desk.window("ana")
    conv_id = await claimed_and_open(desk, ana)
    ben_id = ben.store.me.id  # type: ignore[union-attr]
    ana.view.transfer(ben_id)
    await until(lambda: not ana.view.notice.isHidden())
    assert ana.view.notice.text() == "You transferred this conversation to Ben."
    # The result may come after the event that took the conversation away (any order).
    await until(lambda: ana.toast.text.text().endswith("to Ben."))
    await until(lambda: conv_id in ben.store.conversations)


async def test_a_supervisors_transfer_and_a_teammates_claim_say_who(desk: Desk) -> None:
    """When a supervisor transfers Ana's conversation to Ben, Ana's open view says it went to
    Ben; when Ben claims a shared one Ana has open, it says Ben claimed it."""
    ben = await desk.window("ben")
    ana = await desk.window("ana")
    sam = await desk.harness.agent("sam", "supervisor")
    ben_id = ben.store.me.id  # type: ignore[union-attr]
    conv_id = await claimed_and_open(desk, ana)
    await sam.request("transfer", conversation_id=conv_id, to_user_id=ben_id)
    await until(lambda: not ana.view.notice.isHidden())
    assert ana.view.notice.text() == "This conversation was transferred to Ben."
    gw = await desk.harness.gateway()
    shared = str((await desk.harness.inbound(gw, "+15550171", "hi"))["conversation_id"])
    await until(lambda: shared in ana.store.conversations)
    ana.view.open(shared)
    await until(lambda: ana.view.notice.isHidden())
    await ben.session.conversation_command("claim", shared)
    await until(lambda: not ana.view.notice.isHidden())
    assert ana.view.notice.text() == "Ben claimed this conversation."
