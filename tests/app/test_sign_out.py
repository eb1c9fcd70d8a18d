"""Signing out and switching user from the File menu, against a real in-process server."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.credentials import CredentialStore
from routing_client.rpc import RequestFailed
from tests.app.conftest import Desk, MemoryKeyring
from tests.server.harness import PASSWORD, until
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


async def remembered_window(desk: Desk, keyring: MemoryKeyring) -> tuple[MainWindow, str]:
    """Ana signs in through the dialog with "remember me"; returns her window and token."""
    await desk.harness.add_user("ana")
    desk.controller.credentials = CredentialStore()
    dialog = desk.controller.show_login(desk.harness.url, "")
    dialog.username.setText("ana")
    dialog.password.setText(PASSWORD)
    dialog.remember.setChecked(True)
    await dialog.submit()
    window = desk.controller.windows[0]
    await until(lambda: window.session.link.status == "online")
    # Signing in sets her online: let that land before anything else happens.
    await until(lambda: window.store.presence is not None
                and window.store.presence.status == "online")  # fmt: skip
    (token,) = keyring.secrets.values()
    return window, token


async def test_sign_out_revokes_the_token_and_forgets_it(
    desk: Desk, keyring_memory: MemoryKeyring, qtbot: QtBot
) -> None:
    """Ctrl+Shift+Q (File > Sign out) revokes the token on the server (auth with it fails
    afterwards), removes it from the keyring, closes the window and shows the sign-in dialog for
    the same user."""
    window, token = await remembered_window(desk, keyring_memory)
    assert window.menus.sign_out.shortcut().toString() == "Ctrl+Shift+Q"
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL_SHIFT)
    await until(lambda: window not in desk.controller.windows)
    assert keyring_memory.secrets == {}
    dialog = desk.controller.login_dialog
    assert dialog is not None
    assert dialog.username.text() == "ana"
    assert dialog.progress.text() == "Ana signed out."
    assert dialog.error.text() == ""
    probe = await desk.harness.open()
    with pytest.raises(RequestFailed) as failure:
        await probe.request("auth", token=token)
    assert failure.value.code == "invalid_token"
    # The next start asks again instead of reusing the token.
    dialog.close()
    await desk.controller.start(desk.harness.url)
    assert desk.controller.windows == []
    assert desk.controller.login_dialog is not None


async def test_switch_user_opens_a_blank_sign_in_and_the_next_user_gets_a_window(
    desk: Desk, keyring_memory: MemoryKeyring, qtbot: QtBot
) -> None:
    """Ctrl+Shift+U (File > Switch user) ends Ana's session the same way, keeps the app open
    with an empty username, and Ben can sign in from that dialog."""
    window, token = await remembered_window(desk, keyring_memory)
    await desk.harness.add_user("ben")
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_U, CTRL_SHIFT)
    await until(lambda: window not in desk.controller.windows)
    dialog = desk.controller.login_dialog
    assert dialog is not None
    assert dialog.username.text() == ""
    assert not desk.controller.finished.is_set()
    assert keyring_memory.secrets == {}
    dialog.username.setText("ben")
    dialog.password.setText(PASSWORD)
    await dialog.submit()
    (ben,) = desk.controller.windows
    await until(lambda: ben.store.me is not None and ben.store.me.username == "ben")
    await until(lambda: ben.store.presence is not None and ben.store.presence.status == "online")
    probe = await desk.harness.open()
    with pytest.raises(RequestFailed):
        await probe.request("auth", token=token)


async def test_signing_out_while_the_server_is_down_still_forgets_the_token(
    desk: Desk, keyring_memory: MemoryKeyring
) -> None:
    """With no server to tell, signing out still forgets the token here, says the session on
    the server was not ended, and says that the queued reply is kept."""
    window, _ = await remembered_window(desk, keyring_memory)
    await desk.harness.stop()
    await until(lambda: window.session.link.status != "online")
    await window.session.send_reply("cv_somewhere", "I will call you back.")
    window.menus.sign_out.trigger()
    await until(lambda: window not in desk.controller.windows)
    assert keyring_memory.secrets == {}
    dialog = desk.controller.login_dialog
    assert dialog is not None
    assert "server was not reachable" in dialog.progress.text()
    assert "1 reply not sent yet is kept and sent when ana signs in again." in (
        dialog.progress.text())  # fmt: skip
    await desk.harness.start()


async def test_an_agent_sees_no_admin_menu_and_an_admin_does(desk: Desk) -> None:
    """The Admin menu is hidden (and its actions disabled) for an agent, shown for an admin;
    File > Sign out is there for both."""
    ana = await desk.window("ana")
    root = await desk.window("root", "admin")
    await until(lambda: root.store.me is not None)
    assert not ana.menus.admin.menuAction().isVisible()
    assert not ana.menus.routing_settings.isEnabled()
    assert root.menus.admin.menuAction().isVisible()
    assert root.menus.groups.isEnabled()
    assert ana.menus.sign_out.isEnabled()
    assert root.menus.sign_out.isEnabled()
