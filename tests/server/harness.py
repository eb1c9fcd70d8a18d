"""A real routing server on port 0 and helpers to populate it and connect to it."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from routing_client.rpc import RpcClient
from routing_server import admin, auth
from routing_server.app import RoutingServer, ServerConfig
from routing_server.connection import ConnectionLimits
from routing_server.engine.model import Role
from routing_server.storage.sql import SqlStorage, sqlite_url

PASSWORD = "correct horse battery staple"

# The database the next harness starts on, when a test runs on PostgreSQL (set by the `backend`
# fixture in tests/server/conftest.py); None means a SQLite file in the test's folder.
postgres_database: str | None = None


class FakeClock:
    """A clock the test moves; the server reads it for every command and deadline."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@dataclass
class Harness:
    """A started server, its database (`db` is the SQLite file when it runs on SQLite) and
    every client opened through it."""

    server: RoutingServer
    db: Path
    database_url: str
    config: ServerConfig
    clock: FakeClock | None = None
    clients: list[RpcClient] = field(default_factory=list)
    # Every client ever opened (`clients` is emptied by a restart), for the protocol check.
    opened: list[RpcClient] = field(default_factory=list)
    _external: int = 0

    async def advance(self, seconds: float) -> None:
        """Move the fake clock on and fire what fell due (as the server's timer would), then
        re-arm the timer for the next deadline."""
        assert self.clock is not None, "start the harness with a fake clock"
        self.clock.now += seconds
        async with self.server.core.write():
            pass  # beginning a write fires every deadline that is due
        self.server.core.poke()

    async def stop(self) -> None:
        """Stop the server (closing every client); `start` brings it back on the same port."""
        for client in self.clients:
            await client.close()
        self.clients.clear()
        self.config.port = self.server.port
        await self.server.close()

    async def start(self) -> None:
        """Start the server again on the same database and port."""
        self.server = await RoutingServer.start(SqlStorage(self.database_url), self.config)

    async def restart(self) -> None:
        """Stop the server and start it again on the same database and port."""
        await self.stop()
        await self.start()

    @property
    def url(self) -> str:
        """The server's ws:// URL."""
        return self.server.url

    @property
    def storage(self) -> SqlStorage:
        """The server's storage."""
        storage = self.server.core.storage
        assert isinstance(storage, SqlStorage)
        return storage

    async def add_user(
        self,
        username: str,
        role: Role = "agent",
        *,
        team: str | None = "support",
        max_open: int = 5,
        password: str = PASSWORD,
        email: str | None = None,
    ) -> str:
        """Create a user; returns its id."""
        user = await admin.add_user(
            self.storage,
            username,
            role,
            password if role != "integration" else None,
            team=team,
            display_name=username.title(),
            email=email,
            max_open=max_open,
        )
        return user.id

    async def token(self, username: str) -> str:
        """A fresh token for an existing user."""
        creds = await self.storage.credentials(username)
        assert creds is not None
        token, token_hash = auth.new_token()
        now = time.time()
        await self.storage.save_token(token_hash, creds.user_id, now, now + auth.TOKEN_LIFETIME)
        return token

    async def open(self) -> RpcClient:
        """An unauthenticated client that checks every result and event against the protocol's
        models (what does not fit fails the test when the harness closes)."""
        client = await RpcClient.open(self.url, strict=True)
        self.opened.append(client)
        self.clients.append(client)
        return client

    async def connect(self, username: str, *, sync: bool = True) -> RpcClient:
        """A client authenticated as `username` (and synced, so that events flow)."""
        client = await self.open()
        await client.request("auth", token=await self.token(username))
        if sync:
            await client.request("sync")
        return client

    async def agent(self, username: str, role: Role = "agent", **kw: Any) -> RpcClient:
        """Create a user, connect it and set it online."""
        await self.add_user(username, role, **kw)
        client = await self.connect(username)
        await client.request("set_presence", status="online")
        return client

    async def gateway(self, name: str = "gw") -> RpcClient:
        """A connected, synced channel gateway."""
        token = await admin.integration_token(self.storage, name)
        client = await self.open()
        await client.request("auth", token=token)
        await client.request("sync")
        return client

    async def inbound(
        self, gateway: RpcClient, sender: str = "+15550001", body: str = "hello", **kw: Any
    ) -> dict[str, Any]:
        """A customer message through `gateway`; returns the `inbound` result."""
        self._external += 1
        fields: dict[str, Any] = {
            "channel": "sms",
            "from": sender,
            "body": body,
            "external_id": kw.pop("external_id", f"ext-{self._external}-{uuid.uuid4()}"),
        }
        fields.update(kw)
        return await gateway.call("inbound", fields)

    async def close(self) -> None:
        """Close every client, then the server; fail if anything it sent broke the protocol."""
        for client in self.clients:
            await client.close()
        await self.server.close()
        violations = [v for client in self.opened for v in client.violations]
        assert not violations, "frames that do not fit the protocol: " + "; ".join(violations)


async def start_harness(
    tmp_path: Path,
    limits: ConnectionLimits | None = None,
    *,
    clock: FakeClock | None = None,
    **config: Any,
) -> Harness:
    """Start a server on a fresh database in `tmp_path`, on a free port."""
    db = tmp_path / "server.sqlite3"
    url = postgres_database or sqlite_url(db)
    server_config = ServerConfig(port=0, limits=limits or ConnectionLimits(), **config)
    if clock is not None:
        server_config.clock = clock
    server = await RoutingServer.start(SqlStorage(url), server_config)
    return Harness(server, db, url, server_config, clock)


async def uid(h: Harness, username: str) -> str:
    """A user's id."""
    creds = await h.storage.credentials(username)
    assert creds is not None
    return creds.user_id


async def drain(client: RpcClient) -> list[Any]:
    """Every event already received (without waiting)."""
    events = []
    while not client.events.empty():
        events.append(client.events.get_nowait())
    return events


async def wait_for_event(
    client: RpcClient, name: str, timeout: float = 5.0, **match: Any
) -> dict[str, Any]:
    """The data of the next event called `name` whose data contains `match` (others skipped)."""
    async with asyncio.timeout(timeout):
        while True:
            event = await client.events.get()
            if event.event == name and _matches(event.data, match):
                return event.data


async def until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll until `condition` holds (inside async Qt tests, never a nested Qt loop)."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


def _matches(data: dict[str, Any], match: dict[str, Any]) -> bool:
    for key, value in match.items():
        got: Any = data
        for part in key.split("__"):
            got = got.get(part) if isinstance(got, dict) else None
        if got != value:
            return False
    return True
