"""The command line, SIGTERM, and durability across SIGKILL."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from routing_client.rpc import RpcClient

CLI = [sys.executable, "-m", "routing_server.cli"]


def run_cli(
    *args: str, stdin: str = "", db: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `inbox-server ARGS` to completion."""
    extra = ["--db", str(db)] if db is not None else []
    return subprocess.run(
        [*CLI, *args, *extra], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


@asynccontextmanager
async def served(db: Path, *extra: str) -> AsyncIterator[tuple[asyncio.subprocess.Process, str]]:
    """`inbox-server serve --port 0 [EXTRA…]` as a child process; yields it and its URL."""
    proc = await asyncio.create_subprocess_exec(
        *CLI,
        "serve",
        *extra,
        "--port",
        "0",
        "--db",
        str(db),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode().strip()
    assert line.startswith("listening on ws://127.0.0.1:"), line
    try:
        yield proc, line.removeprefix("listening on ")
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


def setup_db(db: Path) -> str:
    """A database with agent ana and a gateway; returns the gateway token."""
    assert (
        run_cli(
            "user",
            "add",
            "ana",
            "--role",
            "agent",
            "--password-stdin",
            stdin="s3cret-pass\n",
            db=db,
        ).returncode
        == 0
    )
    token = run_cli("token", "create", "--integration", "sms-gw", db=db)
    assert token.returncode == 0
    return token.stdout.strip()


def test_bad_arguments_print_one_line_and_exit_2(tmp_path: Path) -> None:
    """Unknown commands, bad values and missing options: one line on stderr, exit status 2."""
    db = tmp_path / "db.sqlite3"
    for args in (
        ["fly"],
        ["serve", "--port", "http"],
        ["user", "add", "x"],
        ["team", "add", "support"],
        ["user", "add", "x", "--role", "agent", "--team", "nope", "--password-stdin"],
        ["simulate", "--url", "ws://x"],
    ):
        result = run_cli(*args, stdin="pw\n", db=db)
        assert result.returncode == 2, args
        assert len(result.stderr.strip().splitlines()) == 1, (args, result.stderr)
        assert "error" in result.stderr


def test_team_user_and_token_commands(tmp_path: Path) -> None:
    """team add, user add --password-stdin and token create work and refuse duplicates."""
    db = tmp_path / "db.sqlite3"
    assert run_cli("team", "add", "Billing", "--distribution", "round_robin", db=db).returncode == 0
    made = run_cli(
        "user",
        "add",
        "ana",
        "--role",
        "supervisor",
        "--team",
        "Billing",
        "--display-name",
        "Ana A",
        "--email",
        "ana@x.test",
        "--max-open",
        "7",
        "--password-stdin",
        stdin="pw-1\n",
        db=db,
    )
    assert made.returncode == 0, made.stderr
    again = run_cli("user", "add", "ana", "--role", "agent", "--password-stdin", stdin="x\n", db=db)
    assert again.returncode == 2
    token = run_cli("token", "create", "--integration", "gw", db=db)
    assert token.returncode == 0
    assert len(token.stdout.strip()) >= 40


async def test_login_with_a_cli_created_user_while_serving(tmp_path: Path) -> None:
    """A user added by the CLI while the server runs can log in at once."""
    db = tmp_path / "db.sqlite3"
    async with served(db) as (_, url):
        assert (
            run_cli(
                "user",
                "add",
                "late",
                "--role",
                "agent",
                "--password-stdin",
                stdin="pw-late\n",
                db=db,
            ).returncode
            == 0
        )
        client = await RpcClient.open(url)
        result = await client.request("login", username="late", password="pw-late")
        assert result["user"]["username"] == "late"
        await client.close()


async def test_sigterm_closes_clients_with_1001_and_exits_0(tmp_path: Path) -> None:
    """SIGTERM: every client sees close code 1001 and the server exits with status 0."""
    db = tmp_path / "db.sqlite3"
    async with served(db) as (proc, url):
        client = await RpcClient.open(url)
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(client.closed.wait(), 10)
        assert client.close_code == 1001
        assert await asyncio.wait_for(proc.wait(), 10) == 0


@pytest.mark.slow
async def test_acknowledged_work_survives_sigkill(tmp_path: Path) -> None:
    """Messages, claims and replies acknowledged just before SIGKILL (many in flight at once, so
    sharing group commits) are all there after restart."""
    db = tmp_path / "db.sqlite3"
    gw_token = setup_db(db)
    async with served(db) as (proc, url):
        gw = await RpcClient.open(url)
        await gw.request("auth", token=gw_token)
        ana = await RpcClient.open(url)
        await ana.request("login", username="ana", password="s3cret-pass")
        # Everything is sent with many commands in flight at once, so that they share commits.
        results = await asyncio.gather(
            *(
                gw.call(
                    "inbound",
                    {"channel": "sms", "body": f"m{i}", "external_id": f"e{i}", "from": f"+1{i}"},
                )
                for i in range(20)
            )
        )
        conv_ids = [result["conversation_id"] for result in results]

        async def claim_and_reply(i: int, conv_id: str) -> None:
            await ana.request("claim", conversation_id=conv_id)
            await ana.request(
                "send_message", conversation_id=conv_id, body=f"r{i}", client_msg_id=f"c{i}"
            )

        await asyncio.gather(*(claim_and_reply(i, c) for i, c in enumerate(conv_ids[:10])))
        os.kill(proc.pid, signal.SIGKILL)
        await proc.wait()
    async with served(db) as (_, url):
        ana = await RpcClient.open(url)
        await ana.request("login", username="ana", password="s3cret-pass")
        for i, conv_id in enumerate(conv_ids):
            page = await ana.request("get_conversation", conversation_id=conv_id)
            bodies = [m["body"] for m in page["messages"]]
            if i < 10:
                assert page["conversation"]["state"] == "claimed"
                assert bodies == [f"m{i}", f"r{i}"]
            else:
                assert page["conversation"]["state"] == "shared"
                assert bodies == [f"m{i}"]
        gw = await RpcClient.open(url)
        await gw.request("auth", token=gw_token)
        duplicate = await gw.call(
            "inbound", {"channel": "sms", "body": "m0", "external_id": "e0", "from": "+10"}
        )
        assert duplicate["duplicate"] is True
        await gw.request("sync")
        resent = {(await gw.next_event()).data["body"] for _ in range(10)}
        assert resent == {f"r{i}" for i in range(10)}
        await gw.close()
        await ana.close()


async def test_simulate_sends_customer_messages_and_prints_them(tmp_path: Path) -> None:
    """`simulate` acts as a gateway: its customers' messages reach the server and are printed."""
    db = tmp_path / "db.sqlite3"
    gw_token = setup_db(db)
    async with served(db) as (_, url):
        proc = await asyncio.create_subprocess_exec(
            *CLI,
            "simulate",
            "--url",
            url,
            "--token",
            gw_token,
            "--contacts",
            "3",
            "--rate",
            "20",
            "--duration",
            "1.5",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(), 30)
        assert proc.returncode == 0, err
        sent = [line for line in out.decode().splitlines() if line.startswith("→ ")]
        assert len(sent) >= 3
        ana = await RpcClient.open(url)
        await ana.request("login", username="ana", password="s3cret-pass")
        snapshot = (await ana.request("sync"))["snapshot"]
        assert 1 <= len(snapshot["conversations"]) <= 3
        await ana.close()


@pytest.mark.slow
async def test_serve_demo_shows_priority_and_a_hand_off_in_the_first_minute(tmp_path: Path) -> None:
    """`serve --demo` prints the accounts once, says its timers are short, and within a minute
    shows a priority conversation and its time-to-share hand-off to the shared inbox."""
    lines: list[str] = []

    def seen(text: str) -> bool:
        return any(text in line for line in lines)

    async with served(tmp_path / "db.sqlite3", "--demo") as (proc, _):
        assert proc.stdout is not None
        async with asyncio.timeout(60):
            while not (seen("Priority inbox only") and seen("not claimed in time")):
                lines.append((await proc.stdout.readline()).decode().rstrip())
        accounts = {line.split()[0] for line in lines if line.startswith("  ") and "[" not in line}
        assert accounts >= {"ana", "ben", "cleo", "sam", "root"}
        assert seen("demo timers are short")
        assert seen("→ ")
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 15) == 0


async def test_demo_customers_are_seeded_as_contacts(tmp_path: Path) -> None:
    """The demo's customers exist as contacts before they write, so nothing duplicates them."""
    from routing_server import demo
    from routing_server.storage.sql import SqlStorage

    storage = SqlStorage.sqlite(tmp_path / "db.sqlite3")
    await storage.open()
    try:
        first = await demo.seed(storage)
        again = await demo.seed(storage)
        state = await storage.load_state()
    finally:
        await storage.close()
    assert set(first) == {"ana", "ben", "cleo", "sam", "root"}
    assert again == {}
    assert len(state.contacts) == len(demo.DEMO_CUSTOMERS)
    for customer in demo.DEMO_CUSTOMERS:
        found = state.find_contact(customer.address)
        assert found is not None
        assert found.name == customer.name


async def test_set_up_commands_side_by_side_on_a_new_database(tmp_path: Path) -> None:
    """Twenty set-up commands started at once on a database that does not exist yet all
    succeed (schema creation is serialised between them); none prints a traceback."""
    db = tmp_path / "new.sqlite3"
    commands: list[tuple[list[str], str]] = []
    for i in range(20):
        kind = i % 3
        if kind == 0:
            commands.append((["team", "add", f"team{i}"], ""))
        elif kind == 1:
            args = ["user", "add", f"user{i}", "--role", "agent", "--password-stdin"]
            commands.append((args, "a long password\n"))
        else:
            commands.append((["token", "create", "--integration", f"gw{i}"], ""))
    procs = [
        await asyncio.create_subprocess_exec(
            *CLI,
            *args,
            "--db",
            str(db),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for args, _ in commands
    ]
    outcomes = await asyncio.gather(
        *(p.communicate(stdin.encode()) for p, (_, stdin) in zip(procs, commands, strict=True))
    )
    for proc, (_, err) in zip(procs, outcomes, strict=True):
        assert b"Traceback" not in err, err.decode()
        assert proc.returncode == 0, err.decode()
