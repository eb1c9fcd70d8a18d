"""The open conversation follows the server while it is open, and its tasks end with its window."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from tests.app.conftest import Desk
from tests.server.harness import PASSWORD, until
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt


def steps(window: MainWindow) -> list[str]:
    """The routing steps as shown inline among the messages."""
    rows = window.view.messages_view.message_model.rows()
    return [row.text for row in rows if row.kind == "step"]


async def shared_conversation(desk: Desk, window: MainWindow, sender: str = "+15550150") -> str:
    gw = await desk.harness.gateway()
    conv_id = str((await desk.harness.inbound(gw, sender, "hello"))["conversation_id"])
    await until(lambda: conv_id in window.store.conversations)
    return conv_id


async def test_the_timeline_headline_and_buttons_follow_claim_release_and_close(
    desk: Desk,
) -> None:
    """With a conversation open, a claim, release, re-claim and close made elsewhere (another
    window of the agent's) each appear in its timeline, headline and buttons without reopening."""
    ana = await desk.window("ana")
    conv_id = await shared_conversation(desk, ana)
    ana.view.open(conv_id)
    await until(lambda: steps(ana) == ["In the shared inbox: this customer has no account rep."])
    other = await desk.harness.connect("ana")
    await other.request("claim", conversation_id=conv_id)
    await until(lambda: steps(ana)[-1:] == ["Claimed by you."])
    assert ana.view.where.text() == "Claimed by you."
    await until(lambda: ana.view.release_button.isEnabled())
    assert not ana.view.claim_button.isEnabled()
    await other.request("release", conversation_id=conv_id)
    await until(lambda: steps(ana)[-1:] == ["Released by you to the shared inbox."])
    await until(lambda: ana.view.claim_button.isEnabled())
    await other.request("claim", conversation_id=conv_id)
    await until(lambda: steps(ana)[-1:] == ["Claimed by you."] and len(steps(ana)) == 4)
    await other.request("close", conversation_id=conv_id)
    await until(lambda: steps(ana)[-1:] == ["Closed by you."])
    assert ana.view.where.text() == "Closed (you)."
    assert not ana.view.close_button.isEnabled()
    assert not ana.view.reply.isEnabled()


async def test_a_priority_conversation_left_open_shows_its_hand_off(desk: Desk) -> None:
    """A priority conversation open on the rep's screen past its time to share shows the step to
    the shared inbox and the new headline, without reopening."""
    ana = await desk.window("ana")
    sam = await desk.harness.agent("sam", "supervisor")
    ana_id = ana.store.me.id  # type: ignore[union-attr]
    await sam.request("create_contact", name="Maria Garcia", phone="+15550100",
                      account_rep_id=ana_id, priority_notifications=True)  # fmt: skip
    gw = await desk.harness.gateway()
    conv_id = str((await desk.harness.inbound(gw, "+15550100", "Hi"))["conversation_id"])
    await until(lambda: conv_id in ana.store.conversations)
    ana.view.open(conv_id)
    await until(lambda: len(steps(ana)) == 1)
    assert ana.view.where.text().startswith("Priority for you.")
    await desk.harness.advance(301)
    await until(
        lambda: steps(ana)[-1:] == ["In the shared inbox: not claimed within the time to share."]
    )
    assert ana.view.where.text() == "In the shared inbox: the first to claim it gets it."


async def test_a_supervisors_open_view_follows_a_transfer(desk: Desk) -> None:
    """Sam watches a conversation Ana claimed; Ana transfers it to Ben and Sam's timeline says
    so, naming both."""
    ana = await desk.window("ana")
    ben = await desk.window("ben")
    sam = await desk.window("sam", "supervisor")
    conv_id = await shared_conversation(desk, ana)
    await ana.session.conversation_command("claim", conv_id)
    await until(lambda: sam.store.conversations.get(conv_id) is not None)
    sam.view.open(conv_id)
    await until(lambda: steps(sam)[-1:] == ["Claimed by Ana."])
    ben_id = ben.store.me.id  # type: ignore[union-attr]
    await ana.session.conversation_command("transfer", conv_id, to_user_id=ben_id)
    await until(lambda: steps(sam)[-1:] == ["Transferred by Ana to Ben."])


async def test_an_open_conversation_does_not_count_as_unread(desk: Desk) -> None:
    """Opening a conversation marks it read, and a customer's message while it stays open does
    not make it unread again."""
    ana = await desk.window("ana")
    gw = await desk.harness.gateway()
    conv_id = str((await desk.harness.inbound(gw, "+15550160", "one"))["conversation_id"])
    await until(lambda: conv_id in ana.store.conversations)
    await ana.session.conversation_command("claim", conv_id)
    await desk.harness.inbound(gw, "+15550160", "two")
    mine = ana.panes["mine"].model
    await until(lambda: mine.unread() > 0)
    ana.view.open(conv_id)
    await until(lambda: mine.unread() == 0)
    await desk.harness.inbound(gw, "+15550160", "three")
    await until(lambda: "three" in ana.view.messages_view.toPlainText())
    await until(lambda: ana.store.conversations[conv_id].unread == 0)
    assert mine.unread() == 0


async def test_closing_a_window_mid_request_ends_its_tasks_before_its_widgets(
    desk: Desk,
) -> None:
    """A window closed while its view is still loading a conversation cancels that task and waits
    for it before deleting its widgets: no task is left and nothing reports a deleted widget."""
    ana = await desk.window("ana")
    conv_id = await shared_conversation(desk, ana)
    ana.view.open(conv_id)
    ana.view.refresh_timeline()
    assert len(ana.tasks) >= 1
    ana.close()
    assert ana.retired is not None
    await ana.retired
    assert len(ana.tasks) == 0
    assert ana.tasks.spawn(asyncio.sleep(0)) is None  # a closed window starts nothing more


async def test_closing_the_sign_in_dialog_mid_attempt_ends_the_attempt(desk: Desk) -> None:
    """Closing the sign-in dialog while it signs in cancels the attempt: it opens no window and
    touches no deleted widget."""
    await desk.harness.add_user("ana")
    dialog = desk.controller.show_login(desk.harness.url, "ana")
    dialog.password.setText(PASSWORD)
    attempt = dialog.submit()
    dialog.close()
    with contextlib.suppress(asyncio.CancelledError):
        await attempt
    assert attempt.cancelled()
    await asyncio.sleep(0.2)
    assert desk.controller.windows == []
