"""agent-inbox:// links, and one running app: a second launch hands its link to the first."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

import resources
from desktop_app.single_instance import BadLink, InstanceServer, Link, parse_link
from tests.app.conftest import Desk
from tests.server.harness import until

pytestmark = pytest.mark.qt
ROOT = Path(__file__).resolve().parents[2]


def launch(*args: str, instance: str) -> subprocess.CompletedProcess[str]:
    """`agent-inbox ARGS` as a separate process, as a desktop's link handler runs it."""
    env = {**os.environ, "AGENT_INBOX_INSTANCE": instance, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "desktop_app.main", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip


async def test_a_link_given_to_a_second_launch_opens_the_contact_in_the_first(
    desk: Desk,
) -> None:
    """With the app running, `agent-inbox agent-inbox://contact/<id>` hands the link over and
    exits 0, and the running app's window shows that contact."""
    ana = await desk.window("ana")
    sam = await desk.harness.agent("sam", "supervisor")
    contact = (await sam.request("create_contact", name="Maria Garcia",
                                 phone="+15550180"))["contact"]  # fmt: skip
    instance = InstanceServer(f"agent-inbox-test-{uuid.uuid4().hex[:8]}")
    instance.received.connect(desk.controller.open_link)
    assert instance.listen()
    try:
        loop = asyncio.get_running_loop()
        second = await loop.run_in_executor(
            None, lambda: launch(f"agent-inbox://contact/{contact['id']}", instance=instance.name)
        )
        assert second.returncode == 0, second.stderr
        assert "already running" in second.stdout
        await until(lambda: ana.contact.name.text() == "Maria Garcia")
        assert ana.contact.contact_id == contact["id"]
        assert ana.toast.text.text() == "Showing Maria Garcia from a link."
    finally:
        instance.close()


async def test_a_link_to_a_contact_one_cannot_see_says_so(desk: Desk) -> None:
    """A link to a contact that does not exist is said in the toast; the panel is unchanged."""
    ana = await desk.window("ana")
    assert desk.controller.open_link("agent-inbox://contact/ct_missing")
    await until(lambda: "Could not open the contact ct_missing" in ana.toast.text.text())
    assert ana.contact.contact_id is None


def test_links_are_parsed_and_bad_ones_refused() -> None:
    """Contact and conversation links parse; anything else is a BadLink naming the form."""
    assert parse_link("agent-inbox://contact/ct_31fe7d61c166614a") == Link(
        "contact", "ct_31fe7d61c166614a"
    )
    assert parse_link("agent-inbox://conversation/cv_1/") == Link("conversation", "cv_1")
    for bad in ("https://example.com", "agent-inbox://contact/", "agent-inbox://user/u_1",
                "agent-inbox://contact/a b"):  # fmt: skip
        with pytest.raises(BadLink, match="expected agent-inbox://contact/<id>"):
            parse_link(bad)


def test_a_bad_link_on_the_command_line_is_a_usage_error() -> None:
    """`agent-inbox not-a-link` exits 2 with one line that says what a link looks like."""
    result = launch("https://example.com", instance=f"agent-inbox-test-{uuid.uuid4().hex[:8]}")
    assert result.returncode == 2
    assert "expected agent-inbox://contact/<id>" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_desktop_entry_passes_the_link() -> None:
    """The launcher entry hands the clicked link to the app (%u) and claims the scheme."""
    entry = resources.read_text("agent-inbox.desktop")
    assert "Exec=agent-inbox %u" in entry
    assert "x-scheme-handler/agent-inbox" in entry
