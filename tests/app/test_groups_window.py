"""Admin > Reassignment groups… driven as an admin would, against a real in-process server."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.app.conftest import Desk
from tests.server.harness import until
from ui.groups_window import GroupsWindow
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt


async def open_groups(window: MainWindow) -> GroupsWindow:
    """Open the window from the Admin menu and wait until it has loaded the people."""
    window.menus.groups.trigger()
    groups = window.admin_screens.groups
    assert groups is not None
    await until(lambda: groups.editor.members.count() > 0)
    return groups


async def server_groups(desk: Desk) -> list[dict[str, Any]]:
    """The groups as the server has them (read by a fresh client)."""
    if await desk.harness.storage.credentials("probe") is None:
        await desk.harness.add_user("probe")
    probe = await desk.harness.connect("probe", sync=False)
    return (await probe.request("list_groups"))["groups"]  # type: ignore[no-any-return]


async def user_id(desk: Desk, username: str) -> str:
    """A user's id."""
    creds = await desk.harness.storage.credentials(username)
    assert creds is not None
    return creds.user_id


async def test_a_group_is_created_edited_and_deleted_on_the_server(
    desk: Desk, qtbot: QtBot
) -> None:
    """Creating a group from an empty list, editing its name, members, method and offer time,
    then deleting it after the confirmation, each leaves the server's list as shown."""
    await desk.harness.add_user("ana")
    await desk.harness.add_user("ben")
    root = await desk.window("root", "admin")
    groups = await open_groups(root)
    assert groups.pages.currentWidget() is groups.empty
    ana, ben = await user_id(desk, "ana"), await user_id(desk, "ben")

    qtbot.mouseClick(groups.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(groups.editor.name, "Key accounts")
    groups.editor.set_member(ana, True)
    assert not groups.save_button.isEnabled()
    assert groups.status.text() == "Choose the default assignee."
    groups.editor.default.setCurrentIndex(groups.editor.default.findData(ben))
    groups.editor.default.activated.emit(groups.editor.default.currentIndex())
    assert groups.save_button.isEnabled()
    assert await groups.save()
    (created,) = await server_groups(desk)
    assert created["name"] == "Key accounts"
    assert created["member_ids"] == [ana]
    assert created["default_assignee_id"] == ben
    assert created["method"] == "round_robin"
    assert created["offer_seconds"] == 600
    assert groups.list.count() == 1
    assert "Key accounts" in groups.list.item(0).text()

    groups.editor.name.selectAll()
    qtbot.keyClicks(groups.editor.name, "VIP")
    groups.editor.set_member(ben, True)
    groups.editor.method.setCurrentIndex(groups.editor.method.findData("first_to_claim"))
    groups.editor.offer.setValue(120)
    assert not groups.list.isEnabled()  # unsaved edits keep the selection where it is
    assert await groups.save()
    (edited,) = await server_groups(desk)
    assert edited["id"] == created["id"]
    assert (edited["name"], edited["method"], edited["offer_seconds"]) == (
        "VIP", "first_to_claim", 120)  # fmt: skip
    assert set(edited["member_ids"]) == {ana, ben}
    assert groups.list.isEnabled()

    qtbot.mouseClick(groups.delete_button, Qt.MouseButton.LeftButton)
    assert not groups.confirm.isHidden()
    assert "Delete “VIP”?" in groups.confirm_text.text()
    qtbot.mouseClick(groups.confirm_no, Qt.MouseButton.LeftButton)
    assert groups.confirm.isHidden()
    assert len(await server_groups(desk)) == 1
    qtbot.mouseClick(groups.delete_button, Qt.MouseButton.LeftButton)
    assert await groups.delete()
    assert await server_groups(desk) == []
    assert groups.pages.currentWidget() is groups.empty


async def test_invalid_groups_are_refused_with_the_reason_in_the_window(desk: Desk) -> None:
    """A group without a name or members cannot be saved (the window says what is missing), and
    a name that is taken is refused by the server with its reason shown; nothing is created."""
    await desk.harness.add_user("ana")
    root = await desk.window("root", "admin")
    other = await desk.harness.agent("boss", "admin")
    ana = await user_id(desk, "ana")
    await other.request("save_group", group={"name": "Key accounts", "member_ids": [ana],
                        "default_assignee_id": ana, "method": "least_open",
                        "offer_seconds": 60})  # fmt: skip
    groups = await open_groups(root)
    await until(lambda: groups.list.count() == 1)
    groups.new_group()
    assert not groups.save_button.isEnabled()
    assert groups.editor.problem() == "Give the group a name."
    groups.editor.name.setText("key ACCOUNTS")
    assert groups.editor.problem() == "Tick at least one member."
    groups.editor.set_member(ana, True)
    groups.editor.default.setCurrentIndex(groups.editor.default.findData(ana))
    assert groups.editor.problem() is None
    assert not await groups.save()
    assert not groups.error.isHidden()
    assert "exists" in groups.error.text()
    assert len(await server_groups(desk)) == 1


async def test_deleting_a_group_that_is_reassigning_is_refused_and_said(desk: Desk) -> None:
    """A group choosing a rep right now cannot be deleted: the window shows the server's
    reason and the group is still there."""
    await desk.harness.agent("ana")
    root = await desk.window("root", "admin")
    ana = await user_id(desk, "ana")
    sam = await desk.harness.agent("sam", "supervisor")
    contact = (await sam.request("create_contact", name="Maria", phone="+15550100"))["contact"]
    saved = await sam.request("list_groups")
    assert saved["groups"] == []
    admin = await desk.harness.agent("boss", "admin")
    group = (await admin.request("save_group", group={"name": "Key", "member_ids": [ana],
             "default_assignee_id": ana, "method": "round_robin",
             "offer_seconds": 600}))["group"]  # fmt: skip
    await sam.request("reassign_contact", contact_id=contact["id"], group_id=group["id"])
    groups = await open_groups(root)
    await until(lambda: groups.list.count() == 1)
    groups.ask_delete()
    assert not await groups.delete()
    assert "choosing a rep" in groups.error.text()
    assert len(await server_groups(desk)) == 1


async def test_refresh_shows_another_admins_new_group(desk: Desk, qtbot: QtBot) -> None:
    """A group another admin creates while the window is open appears after Refresh."""
    await desk.harness.add_user("ana")
    root = await desk.window("root", "admin")
    groups = await open_groups(root)
    assert groups.list.count() == 0
    other = await desk.harness.agent("boss", "admin")
    ana = await user_id(desk, "ana")
    await other.request("save_group", group={"name": "Night shift", "member_ids": [ana],
                        "default_assignee_id": ana, "method": "least_open",
                        "offer_seconds": 300})  # fmt: skip
    qtbot.mouseClick(groups.refresh_button, Qt.MouseButton.LeftButton)
    await until(lambda: groups.list.count() == 1)
    assert "Night shift" in groups.list.item(0).text()
    assert "Least open · 1 member · offers last 5 min" in groups.list.item(0).text()
