"""A real PostgreSQL server for the tests: Debian's binaries, a throw-away cluster in a temporary
folder, on a free loopback port, owned by an unprivileged user (PostgreSQL refuses to run as
root), and a fresh database for every test that asks for one."""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

SUPERUSER = "inbox"
# Debian's postgresql package creates this account; it runs the cluster when the tests are root.
SERVICE_ACCOUNT = "postgres"


def _bin_dir() -> Path:
    """The folder of initdb and pg_ctl (Debian keeps them out of PATH)."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
    if versions:
        return versions[-1]
    found = shutil.which("pg_ctl")  # not Debian: the binaries are on PATH, resolved to their folder
    if found is None:
        pytest.fail(
            "PostgreSQL is not installed (scripts/system-deps installs Debian's postgresql); "
            "set INBOX_SKIP_POSTGRES=1 to run only the SQLite suite"
        )
    return Path(found).resolve().parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresCluster:
    """One running cluster; `new_database` hands out empty databases."""

    def __init__(self) -> None:
        self._bin = _bin_dir()
        self._root = Path(tempfile.mkdtemp(prefix="inbox-pg-"))
        self.data = self._root / "data"
        self.port = _free_port()
        self._account = pwd.getpwnam(SERVICE_ACCOUNT) if os.geteuid() == 0 else None
        self._names = itertools.count(1)
        if self._account is not None:
            os.chown(self._root, self._account.pw_uid, self._account.pw_gid)

    def _run(self, args: Sequence[str]) -> None:
        command = list(args)
        if self._account is not None:
            command = ["runuser", "-u", SERVICE_ACCOUNT, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> None:
        """initdb, then start the server (durability settings off: the tests never crash it)."""
        self._run(
            [str(self._bin / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
             "-E", "UTF8", "--no-instructions"]
        )  # fmt: skip
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self._root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            [str(self._bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-w",
             "-l", str(self._root / "server.log"), "start"]
        )  # fmt: skip

    def stop(self) -> None:
        """Stop the server and remove its files."""
        try:
            self._run([str(self._bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(self._root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of one database."""
        return f"postgresql+asyncpg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A new, empty database; returns its URL."""
        name = f"test_{next(self._names)}"
        self._run(
            [str(self._bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
             "-U", SUPERUSER, name]
        )  # fmt: skip
        return self.url(name)
