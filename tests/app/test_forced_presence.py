"""The agent's window when a supervisor changes their presence: it shows who did, and the
app's presence restoration after a reconnect does not undo it."""

from __future__ import annotations

import pytest

from routing_client.client import Backoff
from tests.app.conftest import Desk
from tests.server.harness import until

pytestmark = pytest.mark.qt


async def test_forced_away_shows_who_set_it_until_the_agent_chooses(desk: Desk) -> None:
    """Set away by Sam: Ana's toggle says Away and "Set to Away by Sam"; choosing Online
    herself clears the note."""
    sam = await desk.harness.agent("sam", "supervisor")
    ana = await desk.window("ana")
    ana_id = ana.store.me.id  # type: ignore[union-attr]
    await sam.request("set_agent_presence", user_id=ana_id, status="away")
    await until(lambda: ana.presence.currentText() == "Away")
    await until(lambda: ana.presence.note.text() != "")
    assert ana.presence.note.text().strip() == "Set to Away by Sam"
    ana.presence.setCurrentIndex(0)
    ana.presence.activated.emit(0)
    await until(lambda: ana.presence.note.text() == "")
    team = (await sam.request("sync"))["snapshot"]["team"]
    assert next(m for m in team if m["user_id"] == ana_id)["status"] == "online"


async def test_a_reconnect_does_not_undo_a_supervisors_change(desk: Desk) -> None:
    """Sam sets Ana away while her app is reconnecting: once back, the app keeps Away (the
    server agrees) instead of restoring the Online she had chosen."""
    sam = await desk.harness.agent("sam", "supervisor")
    ana = await desk.window("ana")
    ana_id = ana.store.me.id  # type: ignore[union-attr]
    assert ana.session.chosen_presence == "online"
    ana.session.client.backoff = Backoff(first=1.0, cap=1.0)
    for conn in list(desk.harness.server.ctx.connections):
        if conn.user_id == ana_id:
            await conn.ws.close(1011, "test drops the connection")
    await until(lambda: ana.session.link.status != "online")
    await sam.request("set_agent_presence", user_id=ana_id, status="away")
    await until(lambda: ana.session.link.status == "online")
    await until(lambda: ana.presence.currentText() == "Away")
    await until(lambda: ana.session.chosen_presence == "away")
    assert ana.presence.note.text().strip() == "Set to Away by Sam"
    team = (await sam.request("sync"))["snapshot"]["team"]
    assert next(m for m in team if m["user_id"] == ana_id)["status"] == "away"
