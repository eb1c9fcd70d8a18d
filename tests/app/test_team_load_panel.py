"""The supervisor's Team load panel against a real in-process server: live within a second,
actions that change the server's state, read-only conversations, and no panel for agents."""

from __future__ import annotations

import time

import pytest
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QPushButton

from tests.app.conftest import Desk
from tests.server.harness import until, wait_for_event
from ui.main_window import MainWindow
from ui.team_load_panel import TeamLoadPanel

pytestmark = pytest.mark.qt


def panel_of(window: MainWindow) -> TeamLoadPanel:
    """The window's Team load panel (the test fails when it has none)."""
    panels = window.findChildren(TeamLoadPanel)
    assert len(panels) == 1
    return panels[0]


def menu_texts(window: MainWindow) -> list[str]:
    """Every action text in the window's menus."""
    texts = []
    for action in window.menuBar().actions():
        menu = action.menu()
        texts.append(action.text())
        if menu is not None:
            texts += [a.text() for a in menu.actions()]  # type: ignore[attr-defined]
    return texts


async def user_id(desk: Desk, username: str) -> str:
    """A user's id."""
    creds = await desk.harness.storage.credentials(username)
    assert creds is not None
    return creds.user_id


async def test_an_agents_window_has_no_team_load(desk: Desk) -> None:
    """An agent's window has neither the panel nor "View > Team load"; a supervisor's has both."""
    ana = await desk.window("ana")
    assert ana.findChildren(TeamLoadPanel) == []
    assert "Team load" not in menu_texts(ana)
    sam = await desk.window("sam", "supervisor")
    panel_of(sam)
    assert "Team load" in menu_texts(sam)


async def test_a_supervisor_alone_sees_the_empty_state(desk: Desk) -> None:
    """A team with nobody but the supervisor says so instead of an empty table."""
    sam = await desk.window("sam", "supervisor")
    panel = panel_of(sam)
    await until(lambda: panel.load is not None)
    assert panel.stack.currentWidget() is panel.empty
    assert panel.empty.text().startswith("No agents in this team yet")


async def test_the_panel_follows_an_inbound_message_and_a_claim_within_a_second(
    desk: Desk,
) -> None:
    """A new shared conversation shows in the figures and the queue line within a second; Ben's
    claim shows in his row, his bar and his list within a second."""
    ben = await desk.harness.agent("ben")
    gw = await desk.harness.gateway()
    sam = await desk.window("sam", "supervisor")
    panel = panel_of(sam)
    await until(lambda: panel.model.rowCount() == 1)
    started = time.monotonic()
    conv_id = (await desk.harness.inbound(gw, "+15557001", name="Lee"))["conversation_id"]
    await until(lambda: panel.figures.text("shared") == "1", timeout=1.0)
    await until(lambda: panel.queue_chart.depths()[-1:] == [1], timeout=1.0)
    assert time.monotonic() - started < 1.0
    started = time.monotonic()
    await ben.request("claim", conversation_id=conv_id)
    await until(lambda: panel.model.agent(0) is not None
                and panel.model.agent(0).open == 1, timeout=1.0)  # type: ignore[union-attr]  # fmt: skip
    assert time.monotonic() - started < 1.0
    assert panel.figures.text("shared") == "0"
    assert panel.load_chart.bar_values()[0][0] == 1.0
    panel.select_agent(await user_id(desk, "ben"))
    assert panel.claimed.item(0).text().startswith("Lee · SMS")


async def test_set_away_from_the_panel_reaches_the_agents_window(desk: Desk) -> None:
    """Sam sets Ana away from the panel: Ana's own window shows Away "by Sam", the server has
    her away, and her next customer is routed normally."""
    sam = await desk.window("sam", "supervisor")
    ana = await desk.window("ana")
    ben = await desk.harness.agent("ben")
    gw = await desk.harness.gateway()
    ana_id = await user_id(desk, "ana")
    panel = panel_of(sam)
    await until(lambda: panel.model.row_of(ana_id) >= 0)
    panel.select_agent(ana_id)
    assert panel.away_button.isEnabled()
    panel.away_button.click()
    await until(lambda: ana.presence.currentText() == "Away")
    await until(lambda: ana.presence.note.text().strip() == "Set to Away by Sam")
    team = (await ben.request("sync"))["snapshot"]["team"]
    assert next(m for m in team if m["user_id"] == ana_id)["status"] == "away"
    await until(lambda: "away" in panel.model.data(panel.model.index(0, 1)).lower())
    supervisor = sam.session
    await supervisor.request("create_contact", name="Maria Garcia", phone="+15550100",
                             account_rep_id=ana_id, priority_notifications=True)  # fmt: skip
    conv_id = (await desk.harness.inbound(gw, "+15550100"))["conversation_id"]
    data = await wait_for_event(ben, "conversation.upsert", conversation__id=conv_id)
    assert data["conversation"]["state"] == "shared"
    assert data["conversation"]["routing"]["reason"] == "dedicated_unavailable"
    assert ana.panes["priority"].row_count() == 0


async def test_move_priority_on_and_read_only_conversations(desk: Desk) -> None:
    """Ana's priority work shows only as a count; a claimed conversation opens read-only,
    without a reply box or actions; "Move priority work on" from the context menu shares the
    priority work."""
    sam = await desk.window("sam", "supervisor")
    ana = await desk.harness.agent("ana")
    gw = await desk.harness.gateway()
    ana_id = await user_id(desk, "ana")
    await sam.session.request("create_contact", name="Maria Garcia", phone="+15550100",
                              account_rep_id=ana_id, priority_notifications=True)  # fmt: skip
    await desk.harness.inbound(gw, "+15550100", body="Where is my order?")
    claimed = await desk.harness.inbound(gw, "+15557002", name="Lee", body="Hello?")
    await ana.request("claim", conversation_id=claimed["conversation_id"])
    panel = panel_of(sam)
    await until(lambda: panel.model.row_of(ana_id) >= 0
                and panel.model.agent(panel.model.row_of(ana_id)).priority == 1)  # type: ignore[union-attr]  # fmt: skip
    panel.select_agent(ana_id)
    texts = [panel.claimed.item(i).text() for i in range(panel.claimed.count())]
    assert texts[0].startswith("Lee · SMS")
    assert texts[1].startswith("1 priority, oldest")
    assert all("Maria" not in text for text in texts)
    panel.claimed.setCurrentRow(0)
    dialog = panel.open_selected_conversation()
    assert dialog is not None
    await dialog.wait_loaded()
    assert "Hello?" in dialog.messages.item(0).text()
    assert dialog.findChildren(QPlainTextEdit) == []
    assert [b.text() for b in dialog.findChildren(QPushButton)] == ["Close"]
    dialog.close()
    menu = panel.context_menu()
    actions = {a.text(): a for a in menu.actions()}
    assert list(actions) == ["Set away", "Set offline", "Move priority work on", "Open read-only"]
    reading = actions["Open read-only"].menu()
    assert isinstance(reading, QMenu)
    assert [a.text() for a in reading.actions()] == ["Lee"]
    actions["Move priority work on"].trigger()
    await until(lambda: panel.status.text().startswith("Moved 1 conversation of Ana"))
    await until(lambda: panel.figures.text("shared") == "1")
    snap = (await ana.request("sync"))["snapshot"]
    assert [c["state"] for c in snap["conversations"]].count("priority") == 0
