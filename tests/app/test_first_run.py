"""First run: the demo's pace and players, and `agent-inbox --self-test` (as a subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.demo import demo_bot, describe_demo
from desktop_app.main import main as app_main
from routing_server import demo
from routing_server.storage.sql import SqlStorage
from tests.app.fake_notifications import notification_service

ROOT = Path(__file__).resolve().parents[2]


def self_test(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`agent-inbox --self-test ARGS` in its own process, offscreen."""
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "desktop_app.main", "--self-test", *args],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=90, check=False,
    )  # fmt: skip


def lines(result: subprocess.CompletedProcess[str]) -> dict[str, tuple[str, str]]:
    """The report's checks: name → (outcome, detail)."""
    found = {}
    for line in result.stdout.splitlines()[1:-1]:
        outcome, rest = line.strip().split(None, 1)
        name, detail = rest.split("  ", 1)
        found[name.strip()] = (outcome, detail.strip())
    return found


def test_the_self_test_reports_each_check_and_passes_here() -> None:
    """On this machine (offscreen, a notification service on a session bus, no audio device, no
    keyring) every check is reported; nothing fails, so it exits 0."""
    with notification_service() as service:
        result = self_test(env={"DBUS_SESSION_BUS_ADDRESS": service.address})
    assert result.returncode == 0, result.stdout + result.stderr
    report = lines(result)
    assert set(report) == {"Qt platform", "Qt plugins", "fonts", "keyring", "notifications",
                           "sound", "server"}  # fmt: skip
    assert report["fonts"] == ("ok", "DejaVu Sans is installed")
    assert report["notifications"][0] == "ok"
    assert "fake-notifyd" in report["notifications"][1]
    assert report["server"] == ("ok", "the bundled server starts, signs a user in and syncs")
    assert report["sound"][0] in ("ok", "warn")
    assert result.stdout.splitlines()[-1].startswith("ready: 0 failed")


def test_the_self_test_fails_when_the_server_does_not_answer() -> None:
    """With --server pointing at nothing, the server check fails in plain words and the exit
    status is 1; without a notification service that is a warning, not a failure."""
    result = self_test("--server", "ws://127.0.0.1:9", env={"DBUS_SESSION_BUS_ADDRESS": ""})
    assert result.returncode == 1
    report = lines(result)
    assert report["server"] == ("FAIL", "Nothing is answering at 127.0.0.1:9 — is the server "
                                "running?")  # fmt: skip
    assert report["notifications"][0] == "warn"
    assert result.stdout.splitlines()[-1].startswith("NOT ready: 1 failed")


async def test_the_watch_pace_gives_a_newcomer_time(tmp_path: Path) -> None:
    """The default demo pace shares a rep's conversation after a minute and lets the demo agent
    wait at least 25 s before claiming; the fast pace keeps the 20 s timers."""
    watch, fast = demo.PACES["watch"], demo.PACES["fast"]
    assert watch.claim_after[0] >= 25
    assert fast.time_to_share == demo.DEMO_TIME_TO_SHARE
    storage = SqlStorage.sqlite(tmp_path / "db.sqlite3")
    await storage.open()
    try:
        await demo.seed(storage, watch)
        state = await storage.load_state()
    finally:
        await storage.close()
    assert {c.time_to_share for c in state.settings.channels.values()} == {60}


def test_demo_users_and_who_the_demo_agent_is(capsys: pytest.CaptureFixture[str]) -> None:
    """`--demo-user ben` plays Ben beside Ana and Cleo becomes the demo agent, as the README
    says; playing all three agents leaves no demo agent; an unknown name is a usage error."""
    assert demo_bot(("ana",)) == "cleo"
    assert demo_bot(("ana", "ben")) == "cleo"
    assert demo_bot(("ana", "cleo")) == "ben"
    assert demo_bot(("ana", "ben", "cleo")) is None
    text = describe_demo(("ana", "ben"), demo.PACES["watch"])
    assert "you are Ana Alvarez and Ben Okafor" in text
    assert "Cleo Park (the demo agent) claims" in text
    with pytest.raises(SystemExit) as exit_info:
        app_main(["--demo", "--demo-user", "zoe"])
    assert exit_info.value.code == 2
    assert "choose from ben, cleo, sam, root" in capsys.readouterr().err


def test_the_self_test_says_when_qt_cannot_open_a_window() -> None:
    """A platform plugin Qt cannot load (here a missing one) is a failure that names it, and
    the other checks still run."""
    result = self_test(env={"QT_QPA_PLATFORM": "nosuch", "DBUS_SESSION_BUS_ADDRESS": ""})
    assert result.returncode == 1
    report = lines(result)
    outcome, detail = report["Qt platform"]
    assert outcome == "FAIL"
    assert 'platform plugin "nosuch"' in detail
    assert report["fonts"][0] == "ok"
    assert report["server"][0] == "ok"
