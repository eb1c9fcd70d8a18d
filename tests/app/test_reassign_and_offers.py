"""Reassign via group… from the contact panel, and the offer card in the member's window."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.app.conftest import Desk
from tests.server.harness import until
from ui.history_text import history_lines
from ui.main_window import MainWindow
from ui.offers import countdown_text

pytestmark = pytest.mark.qt


async def user_id(desk: Desk, username: str) -> str:
    """A user's id."""
    creds = await desk.harness.storage.credentials(username)
    assert creds is not None
    return creds.user_id


async def set_up(desk: Desk, method: str, members: list[str]) -> dict[str, Any]:
    """Maria (rep: Ana) writes in; an admin made a group of `members` with Cleo as default."""
    for name in ("ana", "cleo"):
        if await desk.harness.storage.credentials(name) is None:
            await desk.harness.add_user(name)
    admin = await desk.harness.agent("root", "admin")
    ids = {name: await user_id(desk, name) for name in ("ana", "cleo", *members)}
    contact = (await admin.request("create_contact", name="Maria Garcia", phone="+15550100",
                                   account_rep_id=ids["ana"]))["contact"]  # fmt: skip
    group = (await admin.request("save_group", group={
        "name": "Key accounts", "member_ids": [ids[m] for m in members],
        "default_assignee_id": ids["cleo"], "method": method,
        "offer_seconds": 600}))["group"]  # fmt: skip
    gw = await desk.harness.gateway()
    await desk.harness.inbound(gw, "+15550100", "Who is my rep now?")
    return {"admin": admin, "ids": ids, "contact": contact, "group": group}


async def server_contact(t: dict[str, Any]) -> dict[str, Any]:
    """The contact as the server has it now."""
    found = await t["admin"].request("get_contact", contact_id=t["contact"]["id"])
    return found["contact"]  # type: ignore[no-any-return]


async def open_contact(window: MainWindow) -> None:
    """Open the first shared conversation, so the contact panel shows its contact."""
    await until(lambda: window.panes["shared"].row_count() == 1)
    window.panes["shared"].pick_row(0)
    await until(lambda: window.contact.contact_id is not None
                and window.contact.name.text() == "Maria Garcia")  # fmt: skip
    # Opening it marks it read: let that finish, so no request is in flight at the end.
    await until(lambda: all(c.unread == 0 for c in window.store.conversations.values()))


async def start_from_panel(sam: MainWindow, qtbot: QtBot) -> None:
    """Sam clicks Reassign via group…, picks the group, confirms and starts it."""
    strip = sam.contact.reassign
    assert strip.button.isVisible()
    qtbot.mouseClick(strip.button, Qt.MouseButton.LeftButton)
    dialog = strip.dialog
    assert dialog is not None
    await until(lambda: dialog.next_button.isEnabled())
    assert dialog.group.currentText() == "Key accounts"
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert "Start reassigning Maria Garcia through “Key accounts”?" in dialog.confirm_text.text()
    assert "Cleo becomes the account rep" in dialog.confirm_text.text()
    assert await dialog.start()


async def test_a_reassignment_from_the_panel_is_offered_and_accepted_in_the_members_window(
    desk: Desk, qtbot: QtBot
) -> None:
    """Sam starts a reassignment from the contact panel: the contact shows Re-assign in
    progress, Ben's window shows the offer with a live countdown, and Accept makes Ben the
    rep on the server; the panel and the card follow."""
    ben = await desk.window("ben")
    t = await set_up(desk, "round_robin", ["ben"])
    sam = await desk.window("sam", "supervisor")
    await open_contact(sam)
    await start_from_panel(sam, qtbot)
    assert (await server_contact(t))["reassignment"]["group_id"] == t["group"]["id"]
    strip = sam.contact.reassign
    await until(lambda: not strip.in_progress.isHidden())
    assert strip.in_progress.text().startswith("Re-assign in progress")
    assert not strip.button.isEnabled()

    await until(lambda: t["contact"]["id"] in ben.offers.cards)
    card = ben.offers.cards[t["contact"]["id"]]
    assert not ben.offers.isHidden()
    assert ben.toast.isHidden()  # the card says it: no toast repeating it
    assert card.title.text() == "Become Maria Garcia's account rep?"
    first = card.countdown.text()
    assert first.startswith("Offer ends in 9:5") or first == "Offer ends in 10:00"
    await until(lambda: card.countdown.text() != first, timeout=3)  # it counts down
    qtbot.mouseClick(card.accept_button, Qt.MouseButton.LeftButton)
    await until(lambda: not card.outcome.isHidden())
    assert card.outcome.text() == "You are now Maria Garcia's account rep."
    contact = await server_contact(t)
    assert contact["account_rep_id"] == t["ids"]["ben"]
    assert contact["reassignment"] is None
    await until(lambda: strip.in_progress.isHidden() and strip.button.isEnabled())
    await until(lambda: sam.contact.rep.text() == "Ben")
    # The panel's history follows without reopening (and no fetch is left in flight).
    await until(lambda: history_has(sam, "Reassignment finished"))


def history_has(window: MainWindow, text: str) -> bool:
    """Whether the contact panel's history shows an entry containing `text`."""
    history = window.contact.history
    return any(text in history.item(i).text() for i in range(history.count()))


async def test_an_offer_card_goes_when_the_offer_expires(desk: Desk) -> None:
    """When the offer's time runs out on the server the card disappears from the member's
    window and the group moves on (here to the default assignee)."""
    ben = await desk.window("ben")
    t = await set_up(desk, "round_robin", ["ben"])
    sam = await desk.harness.agent("sam", "supervisor")
    await sam.request("reassign_contact", contact_id=t["contact"]["id"], group_id=t["group"]["id"])
    await until(lambda: t["contact"]["id"] in ben.offers.cards)
    await desk.harness.advance(601)
    await until(lambda: not ben.offers.cards)
    assert ben.offers.isHidden()
    assert (await server_contact(t))["account_rep_id"] == t["ids"]["cleo"]


async def test_first_to_claim_the_others_card_goes_when_one_member_accepts(
    desk: Desk, qtbot: QtBot
) -> None:
    """With first_to_claim Ana and Ben both get a card; Ben accepts and Ana's card goes;
    Decline on a round-robin offer passes it on."""
    ana = await desk.window("ana")
    ben = await desk.window("ben")
    t = await set_up(desk, "first_to_claim", ["ana", "ben"])
    sam = await desk.harness.agent("sam", "supervisor")
    await sam.request("reassign_contact", contact_id=t["contact"]["id"], group_id=t["group"]["id"])
    await until(lambda: bool(ana.offers.cards) and bool(ben.offers.cards))
    assert await ben.offers.cards[t["contact"]["id"]].answer(True)
    await until(lambda: not ana.offers.cards)
    assert (await server_contact(t))["account_rep_id"] == t["ids"]["ben"]


async def test_an_offer_made_while_the_app_was_closed_shows_when_it_opens(desk: Desk) -> None:
    """Ben's app was not running when the group offered him the contact: his window shows the
    offer card, with its countdown, as soon as it connects."""
    await desk.harness.agent("ben")  # online elsewhere, so that the group does not skip him
    t = await set_up(desk, "round_robin", ["ben"])
    sam = await desk.harness.agent("sam", "supervisor")
    await sam.request("reassign_contact", contact_id=t["contact"]["id"], group_id=t["group"]["id"])
    ben = await desk.window("ben")
    await until(lambda: t["contact"]["id"] in ben.offers.cards)
    card = ben.offers.cards[t["contact"]["id"]]
    assert card.countdown.text().startswith("Offer ends in")
    assert card.title.text() == "Become Maria Garcia's account rep?"


async def test_declining_passes_the_offer_on(desk: Desk, qtbot: QtBot) -> None:
    """Decline says so on the card and the server gives the contact to the next in line."""
    ben = await desk.window("ben")
    t = await set_up(desk, "round_robin", ["ben"])
    sam = await desk.harness.agent("sam", "supervisor")
    await sam.request("reassign_contact", contact_id=t["contact"]["id"], group_id=t["group"]["id"])
    await until(lambda: t["contact"]["id"] in ben.offers.cards)
    card = ben.offers.cards[t["contact"]["id"]]
    qtbot.mouseClick(card.decline_button, Qt.MouseButton.LeftButton)
    await until(lambda: not card.outcome.isHidden())
    assert card.outcome.text() == "You passed on Maria Garcia; the group moves on."
    assert (await server_contact(t))["account_rep_id"] == t["ids"]["cleo"]


async def test_the_contacts_window_reassigns_through_the_same_dialog(
    desk: Desk, qtbot: QtBot
) -> None:
    """Team > Contacts…: Reassign via group… on the selected contact starts the group on the
    server; the form then says Re-assign in progress and the button waits until it is done."""
    await desk.window("ben")
    t = await set_up(desk, "round_robin", ["ben"])
    sam = await desk.window("sam", "supervisor")
    contacts = sam.tools.open_contacts()
    await until(lambda: not contacts.model.loading)
    await contacts.open_contact(t["contact"]["id"])
    button = contacts.reassign_button
    assert button.isVisible()
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = button.dialog
    assert dialog is not None
    await until(lambda: dialog.next_button.isEnabled())
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert await dialog.start()
    assert (await server_contact(t))["reassignment"]["group_id"] == t["group"]["id"]
    assert not button.isEnabled()
    await until(lambda: not contacts.editor.notice.isHidden())
    assert contacts.editor.notice.text().startswith("Re-assign in progress")


async def test_an_agent_sees_no_reassign_button(desk: Desk) -> None:
    """The contact panel of an agent has no Reassign via group… button."""
    ana = await desk.window("ana")
    await set_up(desk, "round_robin", ["ana"])
    await open_contact(ana)
    assert not ana.contact.reassign.button.isVisible()


def test_history_lines_name_the_people_and_the_group() -> None:
    """A reassignment's history steps name who was offered and which group started it, newest
    first, and an empty history says so."""
    names = {"u_a": "Ana", "u_b": "Ben", "u_s": "Sam"}.get

    def entry(kind: str, **details: object) -> dict[str, object]:
        return {"at": "2026-12-02T09:00:00Z", "kind": kind, "actor_id": "u_s",
                "source": "reassignment_group", "details": details}  # fmt: skip

    started, offered = (
        entry("reassignment_started", group_name="Key accounts"),
        entry("reassignment_offered", user_ids=["u_a", "u_b"]),
    )
    lines = history_lines([started, offered], lambda uid: names(uid or "") or "")
    assert lines[0].endswith("Offered to Ana, Ben — by Sam, by a reassignment group.")
    assert lines[1].endswith("Reassignment through Key accounts started — by Sam, by a "
                             "reassignment group.")  # fmt: skip
    assert history_lines([], lambda uid: "") == ["No account rep changes yet."]


def test_the_countdown_reads_as_a_clock() -> None:
    """The countdown shows minutes and seconds, hours when there are any, never below zero."""
    assert countdown_text(599.2) == "Offer ends in 10:00"
    assert countdown_text(61) == "Offer ends in 1:01"
    assert countdown_text(3725) == "Offer ends in 1:02:05"
    assert countdown_text(-3) == "Offer ends in 0:00"
