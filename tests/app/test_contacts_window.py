"""The contacts window, driven as a supervisor would, against a real in-process server."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.app.conftest import Desk
from tests.server.harness import until
from ui.contacts_window import ContactsWindow
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt


async def user_id(desk: Desk, username: str) -> str:
    """A user's id, straight from the server's database."""
    creds = await desk.harness.storage.credentials(username)
    assert creds is not None
    return creds.user_id


async def contacts_of(window: MainWindow) -> ContactsWindow:
    """The window's contacts window, once its first search has answered."""
    contacts = window.tools.open_contacts()
    await until(lambda: not contacts.model.loading)
    return contacts


async def test_each_role_sees_only_its_menus(desk: Desk) -> None:
    """Agents see neither Team nor Admin; supervisors see Team; admins see both."""
    agent = await desk.window("ana")
    supervisor = await desk.window("sam", "supervisor")
    admin = await desk.window("root", "admin")
    shown = {
        name: (w.tools.team_menu.menuAction().isVisible(),
               w.tools.admin_menu.menuAction().isVisible())
        for name, w in (("agent", agent), ("supervisor", supervisor), ("admin", admin))
    }  # fmt: skip
    assert shown == {"agent": (False, False), "supervisor": (True, False), "admin": (True, True)}


async def test_creating_a_contact_stores_it_with_its_rep_and_history(desk: Desk) -> None:
    """New contact: the server has it with its rep and priority notifications, and the form
    shows the assignment in the history timeline."""
    await desk.window("ana")
    sam = await desk.window("sam", "supervisor")
    contacts = await contacts_of(sam)
    assert "No contacts yet" in contacts.state.text()
    editor = contacts.editor
    contacts.new_contact()
    editor.name.setText("Maria Garcia")
    editor.phone.setText("+1 555 010 0001")
    editor.email.setText("maria@example.com")
    ana_id = await user_id(desk, "ana")
    editor.rep.setCurrentIndex(editor.rep.findData(ana_id))
    assert "online" in editor.rep.currentText()
    editor.priority.setChecked(True)
    assert await contacts.save_now()
    await until(lambda: editor.history.count() >= 2)
    client = await desk.harness.connect("sam")
    found = (await client.request("search_contacts", query="maria"))["contacts"]
    assert len(found) == 1
    assert found[0]["account_rep_id"] == ana_id
    assert found[0]["priority_notifications"] is True
    texts = [editor.history.item(i).text() for i in range(editor.history.count())]
    assert any("Ana became the account rep" in t and "by Sam" in t for t in texts), texts
    assert contacts.model.rowCount() == 1


async def test_bad_fields_are_shown_inline_and_nothing_is_saved(desk: Desk) -> None:
    """A malformed phone is refused in the form; a taken phone is refused by the server, each
    next to its field, and the server keeps only the first contact."""
    sam = await desk.window("sam", "supervisor")
    client = await desk.harness.connect("sam")
    await client.request("create_contact", name="First", phone="+15550001")
    contacts = await contacts_of(sam)
    editor = contacts.editor
    contacts.new_contact()
    editor.name.setText("Second")
    editor.phone.setText("call me")
    assert not await contacts.save_now()
    assert editor.errors["phone"].isVisibleTo(contacts)
    assert "digits" in editor.errors["phone"].text()
    editor.phone.setText("+15550001")
    assert not await contacts.save_now()
    assert editor.errors["phone"].text() == "Another contact has '+15550001'."
    editor.name.setText("")
    assert not await contacts.save_now()
    assert editor.errors["name"].text() == "A name is required."
    found = (await client.request("search_contacts"))["contacts"]
    assert [c["name"] for c in found] == ["First"]


async def test_search_waits_for_typing_to_pause_and_asks_the_server_once(desk: Desk) -> None:
    """Typing 'mar' key by key sends one search (not one per key), and shows its matches."""
    sam = await desk.window("sam", "supervisor")
    client = await desk.harness.connect("sam")
    for name, phone in (("Maria", "+15550001"), ("Mark", "+15550002"), ("Ben", "+15550003")):
        await client.request("create_contact", name=name, phone=phone)
    contacts = await contacts_of(sam)
    assert contacts.model.rowCount() == 3
    before = contacts.model.requests
    for text in ("m", "ma", "mar"):
        contacts.search.setText(text)
        await asyncio.sleep(0.05)
    await until(lambda: contacts.model.requests > before and not contacts.model.loading)
    await asyncio.sleep(0.4)
    assert contacts.model.requests == before + 1
    names = [contacts.model.contacts[i].name for i in range(contacts.model.rowCount())]
    assert names == ["Maria", "Mark"]
    contacts.search.setText("zzz")
    await until(lambda: contacts.model.rowCount() == 0 and not contacts.model.loading)
    assert contacts.state.text() == "No contacts match 'zzz'."


async def test_changing_the_rep_warns_what_happens_to_open_work_then_changes_it(
    desk: Desk,
) -> None:
    """With a priority conversation open, Save warns that it goes to the new rep; on
    'Change rep' the server has the new rep and the conversation is in Ben's Priority pane."""
    ana = await desk.window("ana")
    ben = await desk.window("ben")
    sam = await desk.window("sam", "supervisor")
    client = await desk.harness.connect("sam")
    ana_id, ben_id = await user_id(desk, "ana"), await user_id(desk, "ben")
    created = await client.request("create_contact", name="Maria", phone="+15550001",
                                   account_rep_id=ana_id, priority_notifications=True)  # fmt: skip
    gw = await desk.harness.gateway()
    await desk.harness.inbound(gw, "+15550001", "Hello?")
    await until(lambda: ana.panes["priority"].row_count() == 1)
    contacts = await contacts_of(sam)
    await contacts.open_contact(created["contact"]["id"])
    editor = contacts.editor
    editor.rep.setCurrentIndex(editor.rep.findData(ben_id))
    assert not await contacts.save_now()
    box = contacts.warning
    assert isinstance(box, QMessageBox)
    assert "routed afresh to Ben's Priority inbox" in box.informativeText()
    unchanged = await client.request("get_contact", contact_id=created["contact"]["id"])
    assert unchanged["contact"]["account_rep_id"] == ana_id
    change = next(b for b in box.buttons() if b.text() == "Change rep")
    change.click()
    await until(lambda: ben.panes["priority"].row_count() == 1)
    after = await client.request("get_contact", contact_id=created["contact"]["id"])
    assert after["contact"]["account_rep_id"] == ben_id
    assert ana.panes["priority"].row_count() == 0


async def test_the_list_loads_a_page_at_a_time_as_it_scrolls(desk: Desk) -> None:
    """60 contacts: the first search brings 50; reaching the end brings the other 10."""
    sam = await desk.window("sam", "supervisor")
    client = await desk.harness.connect("sam")
    for i in range(60):
        await client.request("create_contact", name=f"Customer {i:02d}", phone=f"+1555000{i:04d}")
    contacts = await contacts_of(sam)
    assert contacts.model.rowCount() == 50
    assert "scroll for more" in contacts.state.text()
    contacts.list.scrollToBottom()
    if contacts.model.canFetchMore():
        contacts.model.fetchMore()
    await until(lambda: contacts.model.rowCount() == 60 and not contacts.model.loading)
    assert contacts.model.contacts[-1].name == "Customer 59"
    assert not contacts.model.canFetchMore()
    assert contacts.state.text() == "60 contacts"


async def test_a_change_made_elsewhere_shows_in_the_open_window(desk: Desk) -> None:
    """Another supervisor renames the contact shown: the list and the untouched form follow."""
    sam = await desk.window("sam", "supervisor")
    client = await desk.harness.connect("sam")
    created = (await client.request("create_contact", name="Maria", phone="+15550001"))["contact"]
    contacts = await contacts_of(sam)
    await contacts.open_contact(created["id"])
    await client.request("update_contact", contact_id=created["id"], name="Maria Garcia")
    await until(lambda: contacts.editor.name.text() == "Maria Garcia")
    assert contacts.model.contacts[0].name == "Maria Garcia"
    contacts.editor.phone.setText("+15550009")  # typed, not saved: kept over the next change
    await client.request("update_contact", contact_id=created["id"], name="M. Garcia")
    await until(lambda: contacts.model.contacts[0].name == "M. Garcia")
    await asyncio.sleep(0.2)
    assert contacts.editor.phone.text() == "+15550009"


async def test_editing_a_contact_saves_only_what_changed(desk: Desk) -> None:
    """Picking a contact in the list and changing its e-mail and name updates the server;
    the rep (unchanged) gets no new history entry."""
    await desk.window("ana")
    sam = await desk.window("sam", "supervisor")
    client = await desk.harness.connect("sam")
    ana_id = await user_id(desk, "ana")
    created = (await client.request("create_contact", name="Lee", phone="+15550002",
                                    account_rep_id=ana_id))["contact"]  # fmt: skip
    contacts = await contacts_of(sam)
    contacts.list.setCurrentIndex(contacts.model.index(0))
    await until(lambda: contacts.editor.contact is not None)
    editor = contacts.editor
    assert editor.save_button.text() == "Save changes"
    editor.name.setText("Lee Chen")
    editor.email.setText("lee@example.com")
    assert await contacts.save_now()
    after = await client.request("get_contact", contact_id=created["id"])
    assert (after["contact"]["name"], after["contact"]["email"]) == ("Lee Chen", "lee@example.com")
    assert after["contact"]["phone"] == "+15550002"
    assert [h["kind"] for h in after["history"]] == ["account_rep_assigned"]
    assert editor.title.text() == "Lee Chen"
    assert not await contacts.save_now()
    assert editor.general_error.text() == "Nothing to save: no field changed."
