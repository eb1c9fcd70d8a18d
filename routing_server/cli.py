"""`inbox-server`: serve, set up teams, users and gateway tokens, and simulate customers.

Bad arguments print one line and exit with status 2.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NoReturn

from filelock import FileLock, Timeout
from platformdirs import user_data_dir
from sqlalchemy.exc import SQLAlchemyError

from routing_server import admin, cli_users, demo
from routing_server.app import RoutingServer, ServerConfig
from routing_server.core import Core
from routing_server.engine import importer
from routing_server.engine.errors import EngineError
from routing_server.mailer import MailConfig
from routing_server.simulate import simulate
from routing_server.storage.copy import CopyError, copy_database
from routing_server.storage.sql import SqlStorage

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def default_db() -> str:
    """`INBOX_DB`, else a SQLite file in the platform's user data folder."""
    env = os.environ.get("INBOX_DB")
    if env:
        return env
    return str(Path(user_data_dir("agent-inbox", appauthor=False)) / "server.sqlite3")


def is_url(db: str) -> bool:
    """Whether a `--db` value is a database URL rather than a SQLite file's path."""
    return "://" in db


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be above 0")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    common = _Parser(add_help=False)
    common.add_argument(
        "--db",
        default=None,
        metavar="PATH|URL",
        help="a SQLite file, or postgresql://USER@HOST/NAME (default: INBOX_DB, else a file in "
        "the user data folder)",
    )
    parser = _Parser(prog="inbox-server", description="The Agent Inbox routing server.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    serve = commands.add_parser("serve", parents=[common], help="run the server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_positive_int, default=8765)
    serve.add_argument("--tls-cert", type=Path)
    serve.add_argument("--tls-key", type=Path)
    serve.add_argument("--demo", action="store_true", help="seed demo accounts and traffic")
    serve.add_argument("--smtp-host", help="SMTP relay for e-mails to newly assigned reps")
    serve.add_argument("--smtp-port", type=_positive_int, default=25)
    serve.add_argument("--smtp-from", default="agent-inbox@localhost", metavar="ADDRESS")

    team = commands.add_parser("team", help="manage teams").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    team_add = team.add_parser("add", parents=[common], help="create a team")
    team_add.add_argument("name")
    team_add.add_argument("--distribution", choices=admin.DISTRIBUTIONS, default="claim")

    user = commands.add_parser("user", help="manage users").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    user_add = user.add_parser("add", parents=[common], help="create a user")
    user_add.add_argument("username")
    user_add.add_argument("--role", choices=admin.ROLES, required=True)
    user_add.add_argument("--team", default="support")
    user_add.add_argument("--display-name")
    user_add.add_argument("--email")
    user_add.add_argument("--max-open", type=_positive_int, default=5)
    user_add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    cli_users.add_parsers(user, common)

    token = commands.add_parser("token", help="manage tokens").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    token_create = token.add_parser("create", parents=[common], help="a gateway token")
    token_create.add_argument("--integration", required=True, metavar="NAME")

    imp = commands.add_parser(
        "import-contacts", parents=[common], help="bulk contact update from a CSV file"
    )
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--dry-run", action="store_true", help="show what would change; change nothing"
    )
    imp.add_argument("--skip-errors", action="store_true", help="apply the good rows anyway")

    copy = commands.add_parser(
        "migrate-db", help="copy every row of one database into a new one (e.g. to PostgreSQL)"
    )
    copy.add_argument("--from", dest="source", required=True, metavar="PATH|URL")
    copy.add_argument("--to", dest="target", required=True, metavar="URL|PATH")

    sim = commands.add_parser("simulate", parents=[common], help="simulate customers")
    sim.add_argument("--url", required=True)
    sim.add_argument("--token", required=True)
    sim.add_argument("--contacts", type=_positive_int, default=10)
    sim.add_argument("--rate", type=_positive_float, default=0.5, metavar="PER_SECOND")
    sim.add_argument("--duration", type=_positive_float, default=None, metavar="S")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    db: str = (getattr(args, "db", None) or default_db()) if args.command != "migrate-db" else ""
    try:
        if args.command == "migrate-db":
            if not is_url(args.source):
                if not Path(args.source).is_file():
                    raise admin.AdminError(f"--from {args.source}: no such database file")
                with database_lock(args.source):
                    return asyncio.run(_migrate_db(args))
            return asyncio.run(_migrate_db(args))
        if args.command == "serve":
            with database_lock(db):
                return asyncio.run(_serve(args, db))
        if args.command == "import-contacts":
            with database_lock(db):
                return asyncio.run(_import(args, db))
        if args.command == "user" and args.action in cli_users.ENGINE_ACTIONS:
            with database_lock(db, "use the app's Users window"):
                return asyncio.run(_setup(args, db))
        if args.command == "simulate":
            asyncio.run(
                simulate(
                    args.url,
                    args.token,
                    contacts=args.contacts or 1,
                    rate=args.rate,
                    duration=args.duration,
                )
            )
            return 0
        return asyncio.run(_setup(args, db))
    except admin.AdminError as exc:
        print(f"inbox-server: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (OSError, ValueError, RuntimeError) as exc:
        print(f"inbox-server: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SQLAlchemyError as exc:
        # One line, never the SQL: the database's own complaint, e.g. "database is locked".
        reason = str(getattr(exc, "orig", None) or type(exc).__name__).splitlines()[0]
        print(f"inbox-server: error: the database could not be used: {reason}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 0


@contextlib.contextmanager
def database_lock(db: str, instead: str = "import through the app") -> Iterator[None]:
    """Hold a SQLite database for this process: one server (or import) per database at a time.
    (On PostgreSQL the writer's advisory lock does this: `SqlStorage.claim_writer`.)"""
    if is_url(db):
        yield
        return
    Path(db).parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(f"{db}.lock", blocking=False)
    try:
        with lock:
            yield
    except Timeout:
        raise admin.AdminError(
            f"{db} is in use by a running server; stop it first (or {instead})"
        ) from None


async def _claim_writer(storage: SqlStorage) -> None:
    if not await storage.claim_writer():
        raise admin.AdminError(
            "another server is writing this database; stop it first (or import through the app)"
        )


async def _migrate_db(args: argparse.Namespace) -> int:
    source, target = SqlStorage.at(args.source), SqlStorage.at(args.target)
    if source.url == target.url:
        raise admin.AdminError("--from and --to are the same database")

    def report(table: str, rows: int) -> None:
        print(f"  {table}: {rows} rows", flush=True)

    try:
        copied = await copy_database(source, target, report)
    except CopyError as exc:
        raise admin.AdminError(str(exc)) from None
    print(f"copied {sum(copied.values())} rows; serve with --db {args.target}")
    return 0


async def _import(args: argparse.Namespace, db: str) -> int:
    try:
        text = args.file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise admin.AdminError(f"{args.file}: not UTF-8 text") from None
    storage = SqlStorage.at(db)
    await storage.open()
    await _claim_writer(storage)
    core = Core(storage)
    await core.start()
    try:
        async with core.write() as tx:
            plan = importer.plan_import(tx.state, text)
            apply = not args.dry_run and (args.skip_errors or not plan.has_errors)
            if apply:
                importer.apply_import(tx, None, plan)
    except EngineError as exc:
        raise admin.AdminError(exc.message) from None
    finally:
        await core.stop()
        await storage.close()
    for row in plan.rows:
        if row.action == "error":
            print(f"line {row.line}: {row.error}", file=sys.stderr)
    counts = ", ".join(f"{n} {action}" for action, n in plan.counts.items())
    verdict = (
        "applied"
        if apply
        else (
            "dry run: nothing applied"
            if args.dry_run
            else "nothing applied (fix the errors or use --skip-errors)"
        )
    )
    print(f"{counts}; {verdict}")
    return EXIT_USAGE if plan.has_errors and not args.skip_errors else 0


async def _setup(args: argparse.Namespace, db: str) -> int:
    storage = SqlStorage.at(db)
    await storage.open()
    try:
        if args.command == "team":
            team = await admin.add_team(storage, args.name, args.distribution)
            print(f"team {team.name} ({team.id}) created")
        elif args.command == "user" and args.action != "add":
            return await cli_users.run(args, storage)
        elif args.command == "user":
            password = None
            if args.password_stdin:
                password = sys.stdin.readline().rstrip("\r\n")
            elif args.role != "integration":
                raise admin.AdminError("--password-stdin is required for this role")
            user = await admin.add_user(
                storage,
                args.username,
                args.role,
                password,
                team=args.team,
                display_name=args.display_name,
                email=args.email,
                max_open=args.max_open,
            )
            print(f"user {user.username} ({user.role}) created")
        elif args.command == "token":
            print(await admin.integration_token(storage, args.integration))
    finally:
        await storage.close()
    return 0


async def _serve(args: argparse.Namespace, db: str) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("websockets").setLevel(logging.WARNING)
    # Handled from the very start: a SIGTERM during start-up, or right after "listening on",
    # stops the server cleanly; later ones while it stops change nothing.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    storage = SqlStorage.at(db)
    mail = MailConfig(args.smtp_host, args.smtp_port, args.smtp_from) if args.smtp_host else None
    config = ServerConfig(
        host=args.host, port=args.port, tls_cert=args.tls_cert, tls_key=args.tls_key, mail=mail
    )
    if args.demo:
        await storage.open()
        passwords = await demo.seed(storage)
        await storage.close()
    server = await RoutingServer.start(storage, config)
    print(f"listening on {server.url}", flush=True)
    traffic: asyncio.Task[None] | None = None
    if args.demo:
        _print_demo_accounts(passwords)
        traffic = asyncio.create_task(demo.run_demo_traffic(server.url, storage))
    await stop.wait()
    if traffic is not None:
        traffic.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await traffic
    await server.close()
    # Closing the loop would put back the default handlers: until the process exits, ignore
    # further signals instead, rather than let one kill an orderly exit (143).
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.remove_signal_handler(sig)
        signal.signal(sig, signal.SIG_IGN)
    return 0


def _print_demo_accounts(passwords: dict[str, str]) -> None:
    if passwords:
        print("demo accounts (passwords are shown only this once):", flush=True)
        for d in demo.DEMO_USERS:
            print(f"  {d.username:<6} {d.role:<10} {passwords.get(d.username, '?')}", flush=True)
    else:
        print(
            "demo accounts exist already: ana, ben, cleo (agents), sam (supervisor), root (admin)"
        )
    print(
        f"demo traffic: simulated customers; {demo.DEMO_BOT} claims and answers; ana is online "
        "but slow, so her priority conversations go to the shared inbox",
        flush=True,
    )
    print(
        f"demo timers are short: time to share {demo.DEMO_TIME_TO_SHARE} s, capacity wait "
        f"{demo.DEMO_CAPACITY_WAIT} s (the defaults are 300 s)",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
