"""`agent-inbox --self-test`: is this computer ready to run the app? A readable report of Qt's
plugins, the fonts, the keyring, notifications, sound and the server; exit 1 when something the
app cannot work without fails (a missing keyring, notification service or audio device only
costs a convenience: those are warnings)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

Outcome = Literal["ok", "warn", "FAIL"]
FONT = "DejaVu Sans"
PROBE_FLAG = "--qt-probe"  # the hidden argument of the child that tries Qt first


@dataclass(frozen=True)
class Check:
    """One line of the report."""

    name: str
    outcome: Outcome
    detail: str


def probe_platform() -> Check:
    """Start Qt in a child process: a platform plugin that cannot load (a missing libxcb-*)
    aborts the process that tries, so this one must not be the first to try."""
    command = [sys.executable] if getattr(sys, "frozen", False) else [
        sys.executable, "-m", "desktop_app.main"]  # fmt: skip
    try:
        probe = subprocess.run(
            [*command, PROBE_FLAG], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Check("Qt platform", "FAIL", f"Qt could not be started: {exc}")
    if probe.returncode == 0 and probe.stdout.strip():
        return Check("Qt platform", "ok", f"the {probe.stdout.strip()!r} plugin loads")
    said = [line for line in probe.stderr.splitlines() if line.strip()]
    reason = said[0] if said else f"exit status {probe.returncode}"
    return Check("Qt platform", "FAIL", f"Qt cannot open a window here: {reason}")


def check_qt(display_problem: str | None, platform: Check) -> list[Check]:
    """The platform plugin Qt runs on, and the image plugin the SVG icon needs."""
    from desktop_app.theme import app_icon

    checks = [Check("display", "FAIL", display_problem)] if display_problem else [platform]
    icon = app_icon()
    if icon.isNull() or icon.pixmap(32, 32).isNull():
        checks.append(Check("Qt plugins", "FAIL", "the SVG image plugin is missing: no icons"))
    else:
        checks.append(Check("Qt plugins", "ok", "SVG icons render"))
    return checks


def check_fonts() -> Check:
    """The app's text is designed for DejaVu Sans (no emoji, every glyph it uses)."""
    from PySide6.QtGui import QFontDatabase

    if FONT in QFontDatabase.families():
        return Check("fonts", "ok", f"{FONT} is installed")
    return Check("fonts", "FAIL", f"{FONT} is missing: install fonts-dejavu-core")


def check_keyring() -> Check:
    """Remember me needs a usable system keyring."""
    from desktop_app.credentials import CredentialStore

    problem = CredentialStore().problem
    if problem is None:
        import keyring

        return Check("keyring", "ok", f"{type(keyring.get_keyring()).__name__} keeps tokens")
    return Check("keyring", "warn", f"{problem}: you sign in with your password each time")


async def check_notifications() -> Check:
    """A tray, or the freedesktop notification service on the session bus."""
    from PySide6.QtWidgets import QSystemTrayIcon

    from ui.desktop_notify import DesktopNotifications, NotificationServiceError

    if QSystemTrayIcon.isSystemTrayAvailable():
        return Check("notifications", "ok", "through the system tray")
    try:
        server = await DesktopNotifications().server_name()
    except NotificationServiceError as exc:
        return Check("notifications", "warn",
                     f"no tray and {exc}: alerts show only inside the window")  # fmt: skip
    return Check("notifications", "ok", f"no tray; D-Bus notification service {server}")


def check_sound() -> Check:
    """The shipped chime, QtMultimedia, and an audio output to play it on."""
    from ui.chime import audio_problem, chime_path

    try:
        with wave.open(str(chime_path())) as chime:
            seconds = chime.getnframes() / chime.getframerate()
    except (OSError, wave.Error) as exc:
        return Check("sound", "FAIL", f"the chime cannot be read: {exc}")
    problem = audio_problem()
    if problem is not None:
        return Check("sound", "warn", f"{problem}: the {seconds:.1f} s chime stays silent")
    return Check("sound", "ok", f"the {seconds:.1f} s chime can play")


async def check_server(url: str | None) -> Check:
    """The given server answers as an Agent Inbox server; without one, the bundled server
    starts on this computer and a user signs in and syncs."""
    from routing_client.client import FatalError, login
    from routing_client.errors import explain

    if url is not None:
        try:
            await login(url, "self-test", "not a password")
        except FatalError:
            return Check("server", "ok", f"an Agent Inbox server answers at {url}")
        except Exception as exc:
            return Check("server", "FAIL", explain(url, exc))
        return Check("server", "ok", f"an Agent Inbox server answers at {url}")
    try:
        return await _bundled_server()
    except Exception as exc:
        return Check("server", "FAIL", f"the bundled server does not work: {exc!r}")


async def _bundled_server() -> Check:
    from routing_client.rpc import RpcClient
    from routing_server import admin
    from routing_server.app import RoutingServer, ServerConfig
    from routing_server.storage.sql import SqlStorage

    with tempfile.TemporaryDirectory(prefix="agent-inbox-self-test-") as folder:
        storage = SqlStorage.sqlite(Path(folder) / "self-test.sqlite3")
        server = await RoutingServer.start(storage, ServerConfig(port=0))
        try:
            password = os.urandom(12).hex()
            await admin.add_user(storage, "self-test", "agent", password)
            client = await RpcClient.open(server.url)
            try:
                await client.request("login", username="self-test", password=password)
                await client.request("sync")
            finally:
                await client.close()
        finally:
            await server.close()
    return Check("server", "ok", "the bundled server starts, signs a user in and syncs")


def report(checks: list[Check], out: TextIO) -> int:
    """Print the report; 1 when any check failed, else 0."""
    failed = sum(c.outcome == "FAIL" for c in checks)
    warned = sum(c.outcome == "warn" for c in checks)
    print("Agent Inbox self-test", file=out)
    width = max(len(c.name) for c in checks)
    for check in checks:
        print(f"  {check.outcome:<4}  {check.name:<{width}}  {check.detail}", file=out)
    verdict = "ready" if not failed else "NOT ready"
    print(f"{verdict}: {failed} failed, {warned} warnings (a warning costs a convenience, "
          "not the app)", file=out)  # fmt: skip
    return 1 if failed else 0


def probe_main() -> int:
    """The child of `probe_platform`: start Qt, print the platform's name."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["agent-inbox"])
    print(QGuiApplication.platformName())
    del app
    return 0


def run_self_test(server_url: str | None, display_problem: str | None, out: TextIO) -> int:
    """Run every check (offscreen when Qt cannot open a window here, to check the rest)."""
    platform = probe_platform() if not display_problem else Check("display", "FAIL", "")
    if display_problem or platform.outcome == "FAIL":
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["agent-inbox"])
    assert app is not None
    checks = check_qt(display_problem, platform)
    sync_checks: list[Callable[[], Check]] = [check_fonts, check_keyring, check_sound]
    checks += [check() for check in sync_checks]

    async def async_checks() -> list[Check]:
        return [await check_notifications(), await check_server(server_url)]

    checks += asyncio.run(async_checks())
    return report(checks, out)
