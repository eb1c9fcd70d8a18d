"""`inbox-server user list|set|passwd|disable|enable`, run as the administrator would."""

from __future__ import annotations

from pathlib import Path

import pytest

from routing_client.rpc import RequestFailed, RpcClient
from tests.server.test_cli_and_durability import run_cli, served

PASSWORD = "first password"


def make_ana(db: Path) -> None:
    """A database with the agent ana."""
    made = run_cli("user", "add", "ana", "--role", "agent", "--email", "ana@x.test",
                   "--password-stdin", stdin=f"{PASSWORD}\n", db=db)  # fmt: skip
    assert made.returncode == 0, made.stderr


def test_list_and_set_change_role_teams_capacity_name_and_email(tmp_path: Path) -> None:
    """set changes what it is given, and list shows it afterwards."""
    db = tmp_path / "db.sqlite3"
    make_ana(db)
    assert run_cli("team", "add", "Billing", db=db).returncode == 0
    changed = run_cli("user", "set", "ana", "--role", "supervisor", "--team", "support",
                      "--team", "Billing", "--max-open", "9", "--display-name", "Ana Ruiz",
                      "--email", "", db=db)  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    listed = run_cli("user", "list", db=db)
    assert listed.returncode == 0
    line = next(x for x in listed.stdout.splitlines() if x.startswith("ana "))
    assert "supervisor" in line
    assert "teams=support,billing" in line
    assert "max_open=9" in line
    assert "email=-" in line
    assert "name='Ana Ruiz'" in line


def test_bad_user_commands_print_one_line_and_exit_2(tmp_path: Path) -> None:
    """Unknown users, nothing to change, bad values and a missing --password-stdin: exit 2."""
    db = tmp_path / "db.sqlite3"
    make_ana(db)
    for args, stdin in (
        (["user", "set", "nobody", "--role", "agent"], ""),
        (["user", "set", "ana"], ""),
        (["user", "set", "ana", "--max-open", "0"], ""),
        (["user", "set", "ana", "--team", "nope"], ""),
        (["user", "set", "ana", "--role", "integration"], ""),
        (["user", "set", "ana", "--email", "not-an-address"], ""),
        (["user", "passwd", "ana"], "x\n"),
        (["user", "passwd", "ana", "--password-stdin"], "short\n"),
        (["user", "disable"], ""),
    ):
        result = run_cli(*args, stdin=stdin, db=db)
        assert result.returncode == 2, (args, result.stdout)
        assert len(result.stderr.strip().splitlines()) == 1, (args, result.stderr)
        assert "error" in result.stderr


async def test_disable_enable_and_passwd_decide_who_signs_in(tmp_path: Path) -> None:
    """Disabled: login is forbidden. Enabled: the old password works. passwd: the new one does."""
    db = tmp_path / "db.sqlite3"
    make_ana(db)
    assert run_cli("user", "disable", "ana", db=db).returncode == 0
    assert "disabled" in run_cli("user", "list", db=db).stdout
    async with served(db) as (_, url):
        client = await RpcClient.open(url)
        with pytest.raises(RequestFailed) as refused:
            await client.request("login", username="ana", password=PASSWORD)
        assert refused.value.code == "forbidden"
        busy = run_cli("user", "enable", "ana", db=db)
        assert busy.returncode == 2
        assert "Users window" in busy.stderr
        await client.close()
    assert run_cli("user", "enable", "ana", db=db).returncode == 0
    new = "second password"
    async with served(db) as (_, url):
        client = await RpcClient.open(url)
        assert (await client.request("login", username="ana", password=PASSWORD))["user"]
        reset = run_cli("user", "passwd", "ana", "--password-stdin", stdin=f"{new}\n", db=db)
        assert reset.returncode == 0, reset.stderr
        other = await RpcClient.open(url)
        with pytest.raises(RequestFailed) as old:
            await other.request("login", username="ana", password=PASSWORD)
        assert old.value.code == "invalid_credentials"
        assert (await other.request("login", username="ana", password=new))["user"]
        await client.close()
        await other.close()
