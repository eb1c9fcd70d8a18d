"""`inbox-server user list|set|passwd|disable|enable`: users managed from the command line.

`set`, `disable` and `enable` run the engine on the database (as `import-contacts` does), so
they need the database to themselves: a running server keeps users in memory and would
overrule them (use the app's Users window then). `list` only reads; `passwd` changes only what
the server reads from the database at each sign-in, so it works while a server runs.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from routing_server import admin, auth
from routing_server.core import Core
from routing_server.engine import admin as engine_admin
from routing_server.engine.errors import EngineError
from routing_server.engine.model import User
from routing_server.storage.sql import SqlStorage

# The actions that change users through the engine (they hold the database lock).
ENGINE_ACTIONS = frozenset({"set", "disable", "enable"})


def add_parsers(user: Any, common: argparse.ArgumentParser) -> None:
    """Add list, set, passwd, disable and enable to the `user` subcommands."""
    user.add_parser("list", parents=[common], help="every user, one a line")
    user_set = user.add_parser("set", parents=[common], help="change a user")
    user_set.add_argument("username")
    user_set.add_argument("--role", choices=[r for r in admin.ROLES if r != "integration"])
    user_set.add_argument(
        "--team", action="append", metavar="NAME", help="the user's teams (repeat for several)"
    )
    user_set.add_argument("--display-name")
    user_set.add_argument("--email", help="an e-mail address; '' clears it")
    user_set.add_argument("--max-open", type=int)
    passwd = user.add_parser("passwd", parents=[common], help="give a user a new password")
    passwd.add_argument("username")
    passwd.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    for name, text in (("disable", "stop a user signing in"), ("enable", "let them again")):
        user.add_parser(name, parents=[common], help=text).add_argument("username")


async def run(args: argparse.Namespace, storage: SqlStorage) -> int:
    """Carry out a `user` action other than `add` on an open storage."""
    if args.action == "list":
        _teams, users = await storage.load_directory()
        for user in sorted(users, key=lambda u: u.username):
            print(_line(user))
        return 0
    creds = await storage.credentials(args.username)
    if creds is None:
        raise admin.AdminError(f"no user {args.username!r}")
    if args.action == "passwd":
        return await _passwd(args, storage, creds.user_id)
    fields = _fields(args)
    core = Core(storage)
    await core.start()
    try:
        async with core.write() as tx:
            user = engine_admin.update_user(tx, creds.user_id, fields)
    except EngineError as exc:
        raise admin.AdminError(exc.message) from None
    finally:
        await core.stop()
    if user.disabled:
        await storage.revoke_user_tokens(user.id)
    print(_line(user))
    return 0


def _fields(args: argparse.Namespace) -> dict[str, Any]:
    """The changes an action asks for (`set` needs at least one)."""
    if args.action in ("disable", "enable"):
        return {"disabled": args.action == "disable"}
    fields: dict[str, Any] = {}
    if args.role is not None:
        fields["role"] = args.role
    if args.team is not None:
        fields["team_ids"] = [admin.team_id_for(name) for name in args.team]
    if args.display_name is not None:
        if not args.display_name.strip():
            raise admin.AdminError("--display-name may not be blank")
        fields["display_name"] = args.display_name
    if args.email is not None:
        email = args.email.strip()
        if email and (email.count("@") != 1 or " " in email):
            raise admin.AdminError(f"--email {email!r} is not an e-mail address")
        fields["email"] = email or None
    if args.max_open is not None:
        if not 1 <= args.max_open <= 1000:
            raise admin.AdminError("--max-open must be between 1 and 1000")
        fields["max_open"] = args.max_open
    if not fields:
        raise admin.AdminError(
            "nothing to change: give --role, --team, --display-name, --email or --max-open"
        )
    return fields


async def _passwd(args: argparse.Namespace, storage: SqlStorage, user_id: str) -> int:
    if not args.password_stdin:
        raise admin.AdminError("--password-stdin is required (the password is never an argument)")
    password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < 8:
        raise admin.AdminError("the password must be at least 8 characters")
    user = await storage.load_user(user_id)
    if user is None or user.role == "integration":
        raise admin.AdminError(f"{args.username!r} is a gateway: it signs in with a token")
    await storage.set_password_hash(user_id, auth.hash_password(password))
    await storage.revoke_user_tokens(user_id)
    print(
        f"password of {user.username} changed; their tokens are revoked (windows already "
        "signed in to a running server stay until they reconnect)"
    )
    return 0


def _line(user: User) -> str:
    """One user as `list` prints it."""
    state = "disabled" if user.disabled else "enabled"
    teams = ",".join(user.team_ids) or "-"
    return (
        f"{user.username:<16} {user.role:<11} {state:<8} teams={teams} max_open={user.max_open} "
        f"email={user.email or '-'} name={user.display_name!r}"
    )
