"""The users window, driven as an admin would, against a real in-process server."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from routing_client.rpc import RequestFailed
from tests.app.conftest import Desk
from tests.server.harness import until
from ui.main_window import MainWindow
from ui.users_window import UsersWindow

pytestmark = pytest.mark.qt
PASSWORD = "dana's first password"


async def users_of(window: MainWindow) -> UsersWindow:
    """The window's users window, once its list has loaded."""
    users = window.tools.open_users()
    await until(lambda: users.table.rowCount() > 0)
    return users


async def login(desk: Desk, username: str, password: str) -> dict[str, object]:
    """Sign in on a fresh connection (raises RequestFailed when refused)."""
    client = await desk.harness.open()  # closed with the server, at the end of the test
    return await client.request("login", username=username, password=password)


async def test_creating_disabling_and_enabling_a_user(desk: Desk) -> None:
    """New user: they sign in; disabled (after the confirmation): forbidden; enabled again:
    they sign in with the same password."""
    root = await desk.window("root", "admin")
    users = await users_of(root)
    dialog = users.new_user()
    dialog.username.setText("dana")
    dialog.display_name.setText("Dana Li")
    dialog.email.setText("dana@example.com")
    dialog.role.setCurrentIndex(dialog.role.findData("supervisor"))
    dialog.max_open.setValue(8)
    dialog.password.setText(PASSWORD)
    dialog.confirm.setText(PASSWORD)
    assert await dialog.submit_now()
    await until(lambda: any(u["username"] == "dana" for u in users.users))
    assert (await login(desk, "dana", PASSWORD))["user"]
    users.select("dana")
    assert users.toggle_button.text() == "Disable"
    users.toggle_selected()
    box = users.confirm
    assert isinstance(box, QMessageBox)
    next(b for b in box.buttons() if b.text() == "Disable").click()
    await until(lambda: any(u["username"] == "dana" and u["disabled"] for u in users.users))
    with pytest.raises(RequestFailed) as refused:
        await login(desk, "dana", PASSWORD)
    assert refused.value.code == "forbidden"
    users.select("dana")
    assert users.toggle_button.text() == "Enable"
    users.toggle_selected()
    await until(lambda: any(u["username"] == "dana" and not u["disabled"] for u in users.users))
    signed_in = await login(desk, "dana", PASSWORD)
    user = signed_in["user"]
    assert isinstance(user, dict)
    assert (user["role"], user["max_open"], user["email"]) == ("supervisor", 8, "dana@example.com")


async def test_editing_a_user_and_resetting_their_password(desk: Desk) -> None:
    """Edit changes role, capacity and e-mail on the server; a reset password replaces the
    old one."""
    await desk.harness.add_user("ana")
    root = await desk.window("root", "admin")
    users = await users_of(root)
    users.select("ana")
    dialog = users.edit_user()
    assert dialog is not None
    dialog.role.setCurrentIndex(dialog.role.findData("supervisor"))
    dialog.max_open.setValue(12)
    dialog.email.setText("ana@example.com")
    assert await dialog.submit_now()
    client = await desk.harness.connect("root")
    listed = {u["username"]: u for u in (await client.request("list_users"))["users"]}
    assert (listed["ana"]["role"], listed["ana"]["max_open"]) == ("supervisor", 12)
    assert listed["ana"]["email"] == "ana@example.com"
    await until(lambda: (users.selected() or {}).get("max_open") == 12)
    reset = users.reset_password()
    assert reset is not None
    reset.password.setText("new and long")
    reset.confirm.setText("new and lung")
    assert not await reset.submit_now()
    assert reset.errors["confirm"].text() == "The two passwords differ."
    reset.confirm.setText("new and long")
    assert await reset.submit_now()
    assert (await login(desk, "ana", "new and long"))["user"]


async def test_bad_input_in_the_new_user_dialog_is_shown_by_its_field(desk: Desk) -> None:
    """A taken username comes back from the server next to Username; a short password and no
    team are caught in the form; nobody is created."""
    root = await desk.window("root", "admin")
    users = await users_of(root)
    dialog = users.new_user()
    dialog.username.setText("root")
    dialog.password.setText(PASSWORD)
    dialog.confirm.setText(PASSWORD)
    assert not await dialog.submit_now()
    assert dialog.errors["username"].text() == "'root' is taken."
    dialog.username.setText("eve")
    dialog.password.setText("short")
    for i in range(dialog.teams.count()):
        dialog.teams.item(i).setCheckState(dialog.teams.item(i).checkState().Unchecked)
    assert not await dialog.submit_now()
    assert dialog.errors["password"].text() == "At least 8 characters."
    assert dialog.errors["team_ids"].text() == "Tick at least one team."
    assert await desk.harness.storage.credentials("eve") is None
