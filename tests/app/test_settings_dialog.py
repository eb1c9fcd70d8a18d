"""Admin > Routing settings… driven as an admin would, against a real in-process server."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.app.conftest import Desk
from tests.server.harness import until
from ui.duration_box import format_duration, parse_duration
from ui.main_window import MainWindow
from ui.settings_dialog import RoutingSettingsDialog

pytestmark = pytest.mark.qt


async def open_dialog(window: MainWindow) -> RoutingSettingsDialog:
    """Open the dialog from the Admin menu and wait until it knows the teams."""
    window.menus.routing_settings.trigger()
    dialog = window.admin_screens.settings
    assert dialog is not None
    await until(lambda: dialog.team.count() > 0)
    return dialog


async def server_settings(desk: Desk) -> dict[str, Any]:
    """The settings as the server has them now (read by a fresh client)."""
    probe = await desk.harness.connect("probe", sync=False)
    return (await probe.request("get_settings"))["settings"]  # type: ignore[no-any-return]


async def test_saved_settings_and_distribution_are_the_servers_and_reach_agents(
    desk: Desk, qtbot: QtBot
) -> None:
    """Turning sharing off, typing a time to share as "4:30", switching chat's dedicated routing
    on and the team to round robin saves exactly that on the server, and an agent's window gets
    the new settings."""
    await desk.harness.add_user("probe")
    ana = await desk.window("ana")
    root = await desk.window("root", "admin")
    dialog = await open_dialog(root)
    dialog.sharing.setChecked(False)
    box = dialog.rows["sms"].time_to_share
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "4:30")
    box.interpretText()
    assert box.value() == 270
    assert box.text() == "4 min 30 s"
    assert not dialog.rows["chat"].time_to_share.isEnabled()
    dialog.rows["chat"].dedicated.setChecked(True)
    assert dialog.rows["chat"].time_to_share.isEnabled()
    dialog.distribution.setCurrentIndex(dialog.distribution.findData("round_robin"))
    assert await dialog.save()
    settings = await server_settings(desk)
    assert settings["sharing_enabled"] is False
    assert settings["channels"]["sms"]["time_to_share"] == 270
    assert settings["channels"]["chat"]["dedicated_routing"] is True
    assert settings["channels"]["email"]["time_to_share"] == 300
    probe = await desk.harness.connect("probe", sync=False)
    (team,) = (await probe.request("list_teams"))["teams"]
    assert team["distribution"] == "round_robin"
    await until(lambda: ana.store.settings.get("sharing_enabled") is False)
    assert root.admin_screens.settings is None  # closed after saving


async def test_out_of_range_timers_cannot_be_entered(desk: Desk, qtbot: QtBot) -> None:
    """Timers stay within 5 s to 1 h and the grace within 0 to 10 min whatever is typed or
    set, the bounds are shown, and nothing out of range reaches the server."""
    root = await desk.window("root", "admin")
    dialog = await open_dialog(root)
    box = dialog.rows["email"].capacity_wait
    box.setValue(10_000)
    assert box.value() == 3600
    box.setValue(1)
    assert box.value() == 5
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "2 h")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    box.interpretText()
    assert box.value() <= 3600
    dialog.grace.setValue(601)
    assert dialog.grace.value() == 600
    assert "5 s to 1 h" in box.toolTip()
    assert "0 s to 10 min" in dialog.grace.toolTip()
    dialog.close()


def test_durations_read_and_write_the_way_people_type_them() -> None:
    """Durations format as minutes and seconds and parse from the forms people type."""
    assert format_duration(45) == "45 s"
    assert format_duration(300) == "5 min"
    assert format_duration(3605) == "1 h 05 s"
    assert format_duration(86_400) == "24 h"
    assert parse_duration("4:30") == 270
    assert parse_duration("1:05:00") == 3900
    assert parse_duration("4 min 30 s") == 270
    assert parse_duration("90") == 90
    assert parse_duration("2h") == 7200
    assert parse_duration("soon") is None
    assert parse_duration("") is None


async def test_a_refused_save_says_why_and_keeps_the_dialog_open(desk: Desk) -> None:
    """When the server refuses (the admin was made an agent meanwhile), the dialog shows the
    reason, stays open with the edits, and the server's settings are unchanged."""
    await desk.harness.add_user("probe")
    root = await desk.window("root", "admin")
    other = await desk.harness.agent("boss", "admin")
    dialog = await open_dialog(root)
    dialog.grace.setValue(120)
    me = root.store.me
    assert me is not None
    await other.request("update_user", user_id=me.id, role="agent")
    assert not await dialog.save()
    assert dialog.isVisible()
    assert not dialog.error.isHidden()
    assert dialog.error.text() == "Your role may not use update_settings."
    assert dialog.grace.value() == 120
    assert (await server_settings(desk))["presence_grace_seconds"] == 30
    dialog.close()


async def test_another_admins_change_while_open_is_merged_not_lost(desk: Desk) -> None:
    """A settings.updated from another admin while the dialog is open shows their values in the
    fields this admin did not touch, keeps this admin's edit, says so, and Save then sends only
    the edit — both changes end up on the server."""
    await desk.harness.add_user("probe")
    root = await desk.window("root", "admin")
    other = await desk.harness.agent("boss", "admin")
    dialog = await open_dialog(root)
    dialog.rows["email"].time_to_share.setValue(600)
    await other.request("update_settings", channels={"sms": {"capacity_wait": 900}},
                        presence_grace_seconds=45)  # fmt: skip
    await until(lambda: not dialog.notice.isHidden())
    assert dialog.rows["sms"].capacity_wait.value() == 900
    assert dialog.grace.value() == 45
    assert dialog.rows["email"].time_to_share.value() == 600
    assert "E-mail time to share" in dialog.notice.text()
    assert dialog.patch() == {"channels": {"email": {"time_to_share": 600}}}
    assert await dialog.save()
    settings = await server_settings(desk)
    assert settings["channels"]["sms"]["capacity_wait"] == 900
    assert settings["channels"]["email"]["time_to_share"] == 600
    assert settings["presence_grace_seconds"] == 45
