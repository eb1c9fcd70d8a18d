"""The desktop app driven as an agent would, against a real in-process server."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.credentials import CredentialStore
from desktop_app.main import display_problem
from desktop_app.main import main as app_main
from routing_client.client import LinkState
from routing_client.rpc import RpcClient
from tests.app.conftest import Desk, MemoryKeyring
from tests.server.harness import PASSWORD, drain, until, wait_for_event
from ui.conversation_model import Role
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt


async def rep_customer(desk: Desk, rep: str, phone: str = "+15550100") -> None:
    """A customer whose account rep (priority notifications on) is `rep`."""
    sam = await desk.harness.agent("sam", "supervisor")
    rep_id = (await desk.harness.storage.credentials(rep)).user_id  # type: ignore[union-attr]
    await sam.request("create_contact", name="Maria Garcia", phone=phone,
                      account_rep_id=rep_id, priority_notifications=True)  # fmt: skip


def counts(window: MainWindow) -> dict[str, int]:
    return {name: pane.row_count() for name, pane in window.panes.items()}


async def test_priority_shows_only_in_its_agents_window_then_in_every_shared_pane(
    desk: Desk,
) -> None:
    """A priority conversation is in its rep's Priority pane alone, with a countdown; after the
    time to share it is in every team member's Shared pane."""
    ana = await desk.window("ana")
    ben = await desk.window("ben")
    await rep_customer(desk, "ana")
    gw = await desk.harness.gateway()
    await desk.harness.inbound(gw, "+15550100", "Is my order on its way?")
    await until(lambda: counts(ana)["priority"] == 1)
    model = ana.panes["priority"].model
    seconds = model.data(model.index(0), Role.SecondsToShare)
    assert 0 < seconds <= 300
    await until(lambda: "1 priority" in ana.windowTitle())
    await asyncio.sleep(0.2)
    assert counts(ben) == {"priority": 0, "shared": 0, "mine": 0}
    await desk.harness.advance(301)
    await until(lambda: counts(ben)["shared"] == 1 and counts(ana)["shared"] == 1)
    assert counts(ana)["priority"] == 0


async def test_claiming_takes_it_out_of_the_others_shared_pane(desk: Desk, qtbot: QtBot) -> None:
    """Ben clicks Claim: it leaves Ana's Shared pane at once and her open view says why."""
    ana = await desk.window("ana")
    ben = await desk.window("ben")
    gw = await desk.harness.gateway()
    await desk.harness.inbound(gw, "+15559999", "Hello?")
    await until(lambda: counts(ana)["shared"] == 1 and counts(ben)["shared"] == 1)
    ana.panes["shared"].pick_row(0)
    ben.panes["shared"].pick_row(0)
    await until(lambda: ben.view.claim_button.isEnabled())
    qtbot.mouseClick(ben.view.claim_button, Qt.MouseButton.LeftButton)
    await until(lambda: counts(ana)["shared"] == 0 and counts(ben)["mine"] == 1)
    await until(lambda: not ana.view.notice.isHidden())
    assert ana.view.notice.text() == "Another agent claimed this conversation."
    assert counts(ben)["shared"] == 0


async def test_enter_sends_and_shift_enter_adds_a_line(desk: Desk, qtbot: QtBot) -> None:
    """Typing a reply and pressing Enter claims and sends it; the customer's gateway gets it."""
    ana = await desk.window("ana")
    gw = await desk.harness.gateway()
    await desk.harness.inbound(gw, "+15557777", "Can you help?")
    await until(lambda: counts(ana)["shared"] == 1)
    ana.panes["shared"].pick_row(0)
    await until(lambda: ana.view.reply.isEnabled())
    ana.view.reply.setFocus()
    qtbot.keyClicks(ana.view.reply, "Sure,")
    qtbot.keyClick(ana.view.reply, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(ana.view.reply, "on it.")
    assert ana.view.reply.toPlainText() == "Sure,\non it."
    qtbot.keyClick(ana.view.reply, Qt.Key.Key_Return)
    out = await wait_for_event(gw, "outbound.message")
    assert out["body"] == "Sure,\non it."
    await until(lambda: counts(ana)["mine"] == 1)
    await until(lambda: "✓" in ana.view.messages_view.toPlainText())


async def test_a_reply_typed_while_the_server_is_down_is_delivered_once(
    desk: Desk, qtbot: QtBot
) -> None:
    """The server goes away: the banner says so, panes stay readable, actions that need the
    server are disabled with the reason, the reply shows as queued; when the server is back it
    is delivered exactly once and the actions come back."""
    ana = await desk.window("ana")
    gw = await desk.harness.gateway()
    await desk.harness.inbound(gw, "+15551111", "Anyone there?")
    await until(lambda: counts(ana)["shared"] == 1)
    ana.panes["shared"].pick_row(0)
    await until(lambda: ana.view.claim_button.isEnabled())
    qtbot.mouseClick(ana.view.claim_button, Qt.MouseButton.LeftButton)
    await until(lambda: counts(ana)["mine"] == 1)
    await desk.harness.stop()
    await until(lambda: "Reconnecting" in ana.banner.text_now())
    assert counts(ana)["mine"] == 1
    # Actions that need the server wait for it, and say why; the reply box stays open.
    await until(lambda: not ana.view.close_button.isEnabled())
    assert not ana.view.release_button.isEnabled()
    assert "Not connected" in ana.view.close_button.toolTip()
    assert ana.view.send_button.isEnabled()
    ana.view.reply.setPlainText("Back in a minute")
    ana.view.send()
    await until(lambda: "queued" in ana.view.messages_view.toPlainText())
    await desk.harness.start()
    gw = await desk.harness.gateway()
    out = await wait_for_event(gw, "outbound.message", timeout=15)
    assert out["body"] == "Back in a minute"
    await until(lambda: ana.banner.text_now() == "")
    await until(lambda: ana.view.close_button.isEnabled())
    assert ana.view.close_button.toolTip() == ""
    await asyncio.sleep(0.5)
    assert [e for e in await drain(gw) if e.event == "outbound.message"] == []


async def test_a_queued_reply_survives_an_app_restart(desk: Desk) -> None:
    """A reply queued offline, the window closed and opened again: sent once when back."""
    ana = await desk.window("ana")
    gw = await desk.harness.gateway()
    await desk.harness.inbound(gw, "+15552222", "Hi")
    await until(lambda: counts(ana)["shared"] == 1)
    conv_id = ana.panes["shared"].model.conversation_id(0)
    await ana.session.conversation_command("claim", conv_id)
    await desk.harness.stop()
    await until(lambda: ana.session.link.status == "waiting")
    ana.panes["mine"].pick_row(0)
    ana.view.reply.setPlainText("Queued before quitting")
    ana.view.send()
    await until(lambda: "queued" in ana.view.messages_view.toPlainText())
    ana.close()
    await asyncio.sleep(0.2)
    await desk.harness.start()
    gw = await desk.harness.gateway()
    again = await desk.window("ana")
    out = await wait_for_event(gw, "outbound.message", timeout=15)
    assert out["body"] == "Queued before quitting"
    await asyncio.sleep(0.5)
    assert [e for e in await drain(gw) if e.event == "outbound.message"] == []
    assert again.session.store.pending == {}


async def test_the_presence_toggle_shows_the_servers_view(desk: Desk) -> None:
    """Choosing Away asks the server; teammates see it; the toggle shows what the server says."""
    ana = await desk.window("ana")
    ben = await desk.window("ben")
    ana_id = ana.store.me.id  # type: ignore[union-attr]
    ana.presence.setCurrentIndex(1)
    ana.presence.activated.emit(1)
    await until(lambda: ben.store.team[ana_id].status == "away")
    assert ana.presence.currentText() == "Away"


async def test_a_revoked_token_returns_to_the_login_dialog(desk: Desk) -> None:
    """Logging the token out elsewhere closes the window and opens the sign-in dialog."""
    await desk.harness.add_user("ana")
    token = await desk.harness.token("ana")
    window = desk.controller.open_window(desk.harness.url, "ana", token)
    await until(lambda: window.session.link.status == "online")
    other = await RpcClient.open(desk.harness.url)
    await other.request("auth", token=token)
    await other.request("logout")
    await other.close()
    await until(lambda: desk.controller.login_dialog is not None)
    dialog = desk.controller.login_dialog
    assert dialog is not None
    assert "signed out" in dialog.error.text()
    assert window not in desk.controller.windows


async def test_remember_me_needs_a_keyring(desk: Desk) -> None:
    """With no usable keyring the box is disabled and says why; nothing is stored anywhere."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        desk.controller.credentials = CredentialStore()
        dialog = desk.controller.show_login(desk.harness.url, "ana")
        assert not dialog.remember.isEnabled()
        assert "no system keyring" in dialog.remember.toolTip()
        # Said in the dialog itself, not only in a tooltip.
        assert not dialog.keyring_note.isHidden()
        assert "no system keyring" in dialog.keyring_note.text()
        dialog.close()
    finally:
        keyring.set_keyring(previous)


async def test_remember_me_keeps_the_token_in_the_keyring(
    desk: Desk, keyring_memory: MemoryKeyring
) -> None:
    """Signing in with remember me stores the token in the keyring, and the next start uses it."""
    await desk.harness.add_user("ana")
    desk.controller.credentials = CredentialStore()
    dialog = desk.controller.show_login(desk.harness.url, "")
    dialog.username.setText("ana")
    dialog.password.setText(PASSWORD)
    dialog.remember.setChecked(True)
    await dialog.submit()
    assert len(desk.controller.windows) == 1
    assert desk.controller.login_dialog is None
    assert list(keyring_memory.secrets.values())
    assert PASSWORD not in keyring_memory.secrets.values()
    desk.controller.windows[0].close()
    await desk.controller.start(desk.harness.url)
    assert len(desk.controller.windows) == 1
    assert desk.controller.login_dialog is None
    window = desk.controller.windows[0]
    await until(lambda: window.session.link.status == "online")


async def test_wrong_password_stays_in_the_dialog_with_the_reason(desk: Desk) -> None:
    """A failed sign-in keeps the dialog open and explains."""
    await desk.harness.add_user("ana")
    dialog = desk.controller.show_login(desk.harness.url, "ana")
    dialog.password.setText("wrong")
    await dialog.submit()
    assert dialog.error.text() == "Wrong username or password."
    assert dialog.isVisible()
    assert dialog.progress.isHidden()


async def test_sign_in_problems_are_said_in_plain_words(desk: Desk) -> None:
    """Nothing listening, and something that is not an Agent Inbox server, each get a sentence
    that says what to check — never the library's errno or HTTP status."""

    async def not_ours(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    web = await asyncio.start_server(not_ours, "127.0.0.1", 0)
    web_port = web.sockets[0].getsockname()[1]
    closed = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    closed_port = closed.sockets[0].getsockname()[1]
    closed.close()
    await closed.wait_closed()
    try:
        expectations = {
            closed_port: f"Nothing is answering at 127.0.0.1:{closed_port} — is the server "
            "running?",
            web_port: f"Something answered at 127.0.0.1:{web_port}, but it is not an Agent "
            "Inbox server.",
        }
        for port, expected in expectations.items():
            dialog = desk.controller.show_login(f"ws://127.0.0.1:{port}", "ana")
            dialog.password.setText("whatever")
            await dialog.submit()
            assert dialog.error.text() == expected
            assert "Errno" not in dialog.error.text()
            dialog.close()
    finally:
        web.close()
        await web.wait_closed()


def test_no_display_says_how_to_run_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without a display the app says in one line how to run it, and exits 2."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert display_problem() is not None
    assert app_main(["--demo"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    command = err[0].split("`")[1].split()
    assert command[:2] == ["xvfb-run", "-a"]
    # The command works as printed: its program exists (no bare name that is not on PATH).
    program = command[2]
    assert Path(program).exists() or shutil.which(program) is not None


def test_demo_user_needs_demo(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--demo-user without --demo is a usage error (exit 2, one line)."""
    with pytest.raises(SystemExit) as exit_info:
        app_main(["--demo-user", "ben"])
    assert exit_info.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


async def test_a_closed_window_leaves_nothing_listening_to_its_session(desk: Desk) -> None:
    """Once a window is closed (and its widgets deleted), its session reporting that it stopped
    reaches no deleted widget — the traceback every window close used to print."""
    window = await desk.window("ana")
    session = window.session
    window.close()
    for _ in range(5):
        await asyncio.sleep(0.05)  # the loop deletes the closed window's widgets
    session.link_changed(LinkState("stopped"))
    session.store.apply_sync({"mode": "delta", "seq": 99, "events": [
        {"event": "settings.updated", "seq": 99, "data": {"settings": {}}}]})  # fmt: skip


async def test_the_highlighted_row_is_the_open_conversation(desk: Desk, qtbot: QtBot) -> None:
    """Down moves the highlight and opens that conversation; Ctrl+Shift+W then closes the one
    highlighted and shown, not the one opened before."""
    ana = await desk.window("ana")
    gw = await desk.harness.gateway()
    for sender in ("+15550101", "+15550102"):
        conv_id = (await desk.harness.inbound(gw, sender, "hello"))["conversation_id"]
        await until(lambda: counts(ana)["shared"] == 1)
        await ana.session.conversation_command("claim", conv_id)
    await until(lambda: counts(ana)["mine"] == 2)
    ana.tabs.setCurrentWidget(ana.panes["mine"])
    mine = ana.panes["mine"]
    first, second = mine.model.conversation_id(0), mine.model.conversation_id(1)
    mine.pick_row(0)
    await until(lambda: ana.view.conversation_id == first)
    mine.list.setFocus()
    qtbot.keyClick(mine.list, Qt.Key.Key_Down)
    await until(lambda: ana.view.conversation_id == second)
    qtbot.keyClick(ana, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    state = desk.harness.server.core.state
    await until(
        lambda: second not in state.conversations or not state.conversations[second].is_open
    )
    assert state.conversations[first].state == "claimed"


async def test_a_conversation_leaving_the_pane_hands_the_highlight_to_nobody(desk: Desk) -> None:
    """When the open conversation leaves the pane (another agent claimed it), the view keeps it
    and says so, and no other row is highlighted or opened in its place."""
    ana = await desk.window("ana")
    ben = await desk.window("ben")
    gw = await desk.harness.gateway()
    await desk.harness.inbound(gw, "+15550103", "mine?")
    await desk.harness.inbound(gw, "+15550104", "other")
    await until(lambda: counts(ana)["shared"] == 2)
    shared = ana.panes["shared"]
    taken = shared.model.conversation_id(0)
    shared.pick_row(0)
    await until(lambda: ana.view.conversation_id == taken)
    await ben.session.conversation_command("claim", taken)
    await until(lambda: counts(ana)["shared"] == 1)
    await until(lambda: not ana.view.notice.isHidden())
    assert ana.view.conversation_id == taken
    assert not shared.list.currentIndex().isValid()
