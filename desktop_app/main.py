"""`agent-inbox`: the desktop app on one qasync loop (Qt's), signed in to a routing server."""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import shutil
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from platformdirs import user_data_dir

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = _Parser(prog="agent-inbox", description="The Agent Inbox desktop app.")
    parser.add_argument(
        "link", nargs="?", metavar="LINK",
        help="an agent-inbox://contact/<id> link to open (handed to the app if it is running)",
    )  # fmt: skip
    parser.add_argument("--server", metavar="URL", help="the routing server, ws://HOST:PORT")
    parser.add_argument(
        "--demo", action="store_true",
        help="start the bundled server with demo data and sign in as a demo agent",
    )  # fmt: skip
    parser.add_argument(
        "--demo-user", metavar="NAME", action="append", default=[],
        help="with --demo, also open a window for this demo user (ben, cleo, sam, root); "
        "the demo agent is then the first of cleo, ben, ana you do not play",
    )  # fmt: skip
    parser.add_argument(
        "--demo-pace", choices=("watch", "fast"), default="watch",
        help="with --demo: 'watch' (default) gives you time to read and claim; 'fast' shows "
        "a lot in a minute",
    )  # fmt: skip
    parser.add_argument("--theme", choices=("light", "dark"))
    parser.add_argument("--qt-probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--self-test", action="store_true",
        help="check Qt plugins, fonts, the keyring, notifications, sound and the server "
        "(--server, or the bundled one), print a report and exit (1 on failure)",
    )  # fmt: skip
    return parser


def display_problem() -> str | None:
    """Why Qt could not open a window here, in one line (None when it can)."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        f"no display: run it under a virtual one, for example `xvfb-run -a {launcher()} --demo`, "
        "or set QT_QPA_PLATFORM=offscreen"
    )


def launcher() -> str:
    """How to start this app again from a shell, as a command that works as printed (the
    `agent-inbox` script is often not on PATH, e.g. inside a virtual environment)."""
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == "agent-inbox" and script.exists():
        return shlex.quote(os.path.relpath(script) if not script.is_absolute() else str(script))
    found = shutil.which("agent-inbox")
    if found:
        return "agent-inbox"
    return f"{shlex.quote(sys.executable)} -m desktop_app.main"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app until its last window closes."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.demo_user and not args.demo:
        parser.error("--demo-user needs --demo")
    if args.demo_user:
        from desktop_app.demo import HUMANS

        unknown = [u for u in args.demo_user if u not in HUMANS or u == "ana"]
        if unknown:
            others = ", ".join(u for u in HUMANS if u != "ana")
            parser.error(f"--demo-user {unknown[0]!r}: choose from {others} (Ana's window "
                         "always opens)")  # fmt: skip
    if args.link:
        from desktop_app.single_instance import BadLink, parse_link

        try:
            parse_link(args.link)
        except BadLink as exc:
            parser.error(str(exc))
    if args.qt_probe:
        from desktop_app.self_test import probe_main

        return probe_main()
    problem = display_problem()
    if args.self_test:
        from desktop_app.self_test import run_self_test

        return run_self_test(args.server, problem, sys.stdout)
    if problem:
        print(f"agent-inbox: {problem}", file=sys.stderr)
        return EXIT_USAGE
    from PySide6.QtWidgets import QApplication

    from desktop_app.qt_loop import QtLoop
    from desktop_app.single_instance import ACTIVATE, hand_over

    app = QApplication.instance() or QApplication(["agent-inbox"])
    app.setApplicationName("Agent Inbox")
    app.setOrganizationName("Agent Inbox")
    if hand_over(args.link or ACTIVATE):
        print("agent-inbox: already running; " + ("handed it the link" if args.link else
              "brought its window forward"))  # fmt: skip
        return 0
    try:
        with asyncio.Runner(loop_factory=lambda: QtLoop(app)) as runner:
            return int(runner.run(run_app(args)))
    except asyncio.CancelledError:
        return 0


async def run_app(args: argparse.Namespace) -> int:
    """Open the windows, wait until the user closes the last one, then shut down."""
    from PySide6.QtWidgets import QApplication

    from desktop_app.credentials import CredentialStore
    from desktop_app.preferences import Preferences
    from desktop_app.theme import app_icon, apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    prefs = Preferences()
    apply_theme(app, args.theme or prefs.theme)
    from desktop_app.controller import AppController
    from desktop_app.single_instance import InstanceServer

    data_dir = Path(user_data_dir("agent-inbox", appauthor=False)) / "client"
    controller = AppController(app_icon(), prefs, CredentialStore(), data_dir)
    # Later launches hand their links to this one (and exit) instead of starting another.
    instance = InstanceServer()
    instance.received.connect(controller.open_link)
    instance.listen()
    if args.link:
        controller.open_link(args.link)
    demo_server = None
    if args.demo:
        from desktop_app.demo import describe_demo, start_demo
        from routing_server.demo import PACES

        users = tuple(dict.fromkeys(("ana", *args.demo_user)))
        demo_server = await start_demo(humans=users, pace=args.demo_pace)
        print(describe_demo(users, PACES[args.demo_pace]), flush=True)
        for username in users:
            controller.open_window(demo_server.url, username, await demo_server.token(username))
    else:
        await controller.start(args.server)
    # A session ending (or `kill`) closes the windows cleanly; the outbox is on disk already.
    signal.signal(signal.SIGTERM, lambda *_: controller.finished.set())
    try:
        await controller.finished.wait()
    finally:
        instance.close()
        await controller.stop()
        if demo_server is not None:
            await demo_server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
