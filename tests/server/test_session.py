"""Authentication, sessions and the connection rules, each on its own path."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import sqlite3
import ssl
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from websockets.asyncio.client import connect

from routing_client.rpc import RequestFailed, RpcClient
from routing_server import auth
from routing_server.app import RoutingServer, ServerConfig
from routing_server.connection import ConnectionLimits
from routing_server.storage.sql import SqlStorage
from tests.server.harness import PASSWORD, Harness, start_harness


async def test_hello_is_the_first_frame(harness: Harness) -> None:
    """Every connection starts with hello, protocol 1."""
    client = await harness.open()
    assert client.hello.protocol == 1
    assert client.hello.server_version


async def test_login_returns_a_token_that_auth_accepts(harness: Harness) -> None:
    """login gives a token, the user and a 30-day expiry; auth on a new connection accepts it."""
    await harness.add_user("ana")
    client = await harness.open()
    result = await client.request("login", username="ana", password=PASSWORD)
    assert result["user"]["username"] == "ana"
    assert result["user"]["role"] == "agent"
    expires = dt.datetime.fromisoformat(result["expires_at"].replace("Z", "+00:00"))
    assert dt.timedelta(days=29) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=30)
    assert len(result["token"]) >= 22  # ≥ 128 bits in URL-safe base64
    other = await harness.open()
    assert (await other.request("auth", token=result["token"]))["user"]["username"] == "ana"


async def test_wrong_and_unknown_logins_fail_alike(harness: Harness) -> None:
    """A wrong password and an unknown user get the same code and message."""
    await harness.add_user("ana")
    client = await harness.open()
    with pytest.raises(RequestFailed) as wrong:
        await client.request("login", username="ana", password="nope")
    with pytest.raises(RequestFailed) as unknown:
        await client.request("login", username="nobody", password="nope")
    assert wrong.value.code == unknown.value.code == "invalid_credentials"
    assert wrong.value.message == unknown.value.message


async def test_login_failures_are_rate_limited_per_username(harness: Harness) -> None:
    """After five failures in a minute the username is rate limited, even with the password."""
    await harness.add_user("ana")
    await harness.add_user("ben")
    client = await harness.open()
    for _ in range(5):
        with pytest.raises(RequestFailed):
            await client.request("login", username="ana", password="bad")
    with pytest.raises(RequestFailed) as limited:
        await client.request("login", username="ana", password=PASSWORD)
    assert limited.value.code == "rate_limited"
    assert (await client.request("login", username="ben", password=PASSWORD))["user"]


async def test_bad_tokens_are_refused(harness: Harness) -> None:
    """Unknown, revoked (after logout) and expired tokens all get invalid_token."""
    await harness.add_user("ana")
    client = await harness.open()
    with pytest.raises(RequestFailed) as unknown:
        await client.request("auth", token="not-a-token")
    assert unknown.value.code == "invalid_token"
    token = (await client.request("login", username="ana", password=PASSWORD))["token"]
    assert await client.request("logout") == {}
    with pytest.raises(RequestFailed) as after_logout:
        await client.request("sync")
    assert after_logout.value.code == "unauthenticated"
    fresh = await harness.open()
    with pytest.raises(RequestFailed) as revoked:
        await fresh.request("auth", token=token)
    assert revoked.value.code == "invalid_token"
    old, old_hash = auth.new_token()
    creds = await harness.storage.credentials("ana")
    assert creds is not None
    await harness.storage.save_token(old_hash, creds.user_id, 0.0, 1.0)
    with pytest.raises(RequestFailed) as expired:
        await fresh.request("auth", token=old)
    assert expired.value.code == "invalid_token"


async def test_logout_closes_other_connections_on_that_token(harness: Harness) -> None:
    """Logging out revokes the token; another connection using it is closed with 4003."""
    await harness.add_user("ana")
    one = await harness.open()
    token = (await one.request("login", username="ana", password=PASSWORD))["token"]
    two = await harness.open()
    await two.request("auth", token=token)
    await one.request("logout")
    await asyncio.wait_for(two.closed.wait(), 5)
    assert two.close_code == 4003


async def test_only_session_commands_before_authentication(harness: Harness) -> None:
    """ping works unauthenticated; everything else but login and auth fails unauthenticated."""
    client = await harness.open()
    assert await client.request("ping") == {}
    for command in ("sync", "list_users", "logout"):
        with pytest.raises(RequestFailed) as err:
            await client.request(command)
        assert err.value.code == "unauthenticated"


@pytest.mark.sqlite_only  # it reads the database file's bytes
async def test_tokens_and_passwords_are_stored_only_as_hashes(harness: Harness) -> None:
    """The database holds an argon2 hash of the password and a SHA-256 of the token, no more."""
    await harness.add_user("ana")
    client = await harness.open()
    token = (await client.request("login", username="ana", password=PASSWORD))["token"]
    raw = harness.db.read_bytes() + (harness.db.parent / "server.sqlite3-wal").read_bytes()
    assert token.encode() not in raw
    assert PASSWORD.encode() not in raw
    with sqlite3.connect(harness.db) as db:
        (stored,) = db.execute("select password_hash from users where username='ana'").fetchone()
        (token_row,) = db.execute("select token_hash from tokens").fetchone()
    assert stored.startswith("$argon2id$")
    assert token_row == auth.token_hash(token)


async def test_no_secret_or_traceback_reaches_logs_or_clients(
    harness: Harness, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An internal error answers `internal` with no traceback; logs never carry tokens."""
    await harness.add_user("ana")
    caplog.set_level(logging.DEBUG)
    client = await harness.open()
    token = (await client.request("login", username="ana", password=PASSWORD))["token"]

    async def broken(conversation_id: str) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(harness.storage, "load_conversation", broken)
    with pytest.raises(RequestFailed) as err:
        await client.request("get_conversation", conversation_id="cv_x")
    assert err.value.code == "internal"
    assert "fire" not in err.value.message
    assert "Traceback" not in err.value.message
    assert token not in caplog.text
    assert PASSWORD not in caplog.text


async def test_unauthenticated_connections_close_after_the_deadline(tmp_path: Path) -> None:
    """A connection that does not authenticate in time is closed with 4001."""
    h = await start_harness(tmp_path, ConnectionLimits(auth_timeout=0.3))
    try:
        client = await h.open()
        await asyncio.wait_for(client.closed.wait(), 5)
        assert client.close_code == 4001
    finally:
        await h.close()


async def test_frames_over_one_mebibyte_close_with_1009(harness: Harness) -> None:
    """A client frame over 1 MiB closes the connection with 1009."""
    client = await harness.open()
    await client.send_raw(json.dumps({"id": 1, "type": "ping", "pad": "x" * (1024 * 1024)}))
    await asyncio.wait_for(client.closed.wait(), 5)
    assert client.close_code == 1009


async def test_malformed_frames_get_bad_request_with_null_id(harness: Harness) -> None:
    """Non-objects, missing ids and binary frames fail with id null; the connection stays open."""
    client = await harness.open()
    frames: list[str | bytes] = [
        "not json",
        "[1,2]",
        '{"type":"ping"}',
        '{"id":"1","type":"ping"}',
        '{"id":true,"type":"ping"}',
        '{"id":1,"type":7}',
        b"\x00\x01",
    ]
    for frame in frames:
        await client.send_raw(frame)
    await asyncio.sleep(0.2)
    assert [r.id for r in client.unmatched] == [None] * 7
    assert {r.error.code for r in client.unmatched if r.error} == {"bad_request"}
    assert await client.request("ping") == {}


async def test_bad_requests_name_the_field(harness: Harness) -> None:
    """Missing, ill-typed, unknown fields and unknown commands fail with bad_request naming it."""
    ana = await harness.agent("ana")
    cases: dict[str, dict[str, Any]] = {
        "conversation_id: field required": {"type": "claim"},
        "conversation_id: Input should be a valid string": {"type": "claim", "conversation_id": 5},
        "colour: unknown field": {"type": "ping", "colour": "red"},
        "type: unknown command 'fly'": {"type": "fly"},
        "status: Input should be 'online', 'away' or 'offline'": {
            "type": "set_presence",
            "status": "busy",
        },
        "limit: must be between 1 and 200": {
            "type": "get_conversation",
            "conversation_id": "c",
            "limit": 500,
        },
    }
    for expected, fields in cases.items():
        kind = fields.pop("type")
        with pytest.raises(RequestFailed) as err:
            await ana.call(kind, fields)
        assert err.value.code == "bad_request"
        assert err.value.message == expected


async def test_a_flood_of_bad_frames_closes_with_4008(harness: Harness) -> None:
    """More than 20 bad frames in 10 s close the connection with 4008."""
    client = await harness.open()
    for _ in range(25):
        await client.send_raw("{")
    await asyncio.wait_for(client.closed.wait(), 5)
    assert client.close_code == 4008


async def test_requests_are_rate_limited_per_connection(tmp_path: Path) -> None:
    """Past the per-connection burst, requests fail with rate_limited."""
    h = await start_harness(tmp_path, ConnectionLimits(request_rate=1, request_burst=5))
    try:
        client = await h.open()
        results = await asyncio.gather(
            *(client.request("ping") for _ in range(10)), return_exceptions=True
        )
        limited = [r for r in results if isinstance(r, RequestFailed)]
        assert len(limited) >= 4
        assert {r.code for r in limited} == {"rate_limited"}
    finally:
        await h.close()


async def test_a_client_that_stays_behind_is_dropped(tmp_path: Path) -> None:
    """A client that stops reading is disconnected once the bytes queued for it pass the cap."""
    limits = ConnectionLimits(
        queue_high_water=16_384,
        queue_cap=65_536,
        max_unsent_bytes=16_384,
        request_rate=10_000,
        request_burst=10_000,
    )
    h = await start_harness(tmp_path, limits)
    try:
        slow_id = await h.add_user("slow")
        # max_queue=1: the client library stops reading the socket once one frame is unread.
        slow = await connect(h.url, max_queue=1, max_size=None)
        await slow.send(json.dumps({"id": 1, "type": "auth", "token": await h.token("slow")}))
        await slow.send(json.dumps({"id": 2, "type": "sync"}))
        gw = await h.gateway()
        big = "x" * 9000

        def slow_connected() -> bool:
            return any(c.user_id == slow_id for c in h.server.ctx.connections)

        for i in range(2000):
            await h.inbound(gw, f"+1{i:09d}", big)
            if i > 2 and not slow_connected():
                break
        assert not slow_connected()
        await slow.close()
    finally:
        await h.close()


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


async def test_tls_serves_wss(tmp_path: Path) -> None:
    """With a certificate and key the server speaks wss://."""
    cert, key = _self_signed(tmp_path)
    server = await RoutingServer.start(
        SqlStorage.sqlite(tmp_path / "db.sqlite3"),
        ServerConfig(host="localhost", port=0, tls_cert=cert, tls_key=key),
    )
    try:
        assert server.url.startswith("wss://localhost:")
        context = ssl.create_default_context(cafile=str(cert))
        client = await RpcClient.open(server.url, ssl_context=context)
        assert await client.request("ping") == {}
        await client.close()
    finally:
        await server.close()


async def test_a_disabled_user_is_forbidden_and_can_sign_in_again_once_enabled(
    harness: Harness,
) -> None:
    """Disabling a user makes their login `forbidden` (with the right password); enabling them
    again lets them sign in with the same password (changing a user keeps their password)."""
    ana_id = await harness.add_user("ana")
    root = await harness.agent("root", "admin")
    await root.request("update_user", user_id=ana_id, disabled=True)
    client = await harness.open()
    with pytest.raises(RequestFailed) as err:
        await client.request("login", username="ana", password=PASSWORD)
    assert err.value.code == "forbidden"
    await root.request("update_user", user_id=ana_id, disabled=False, max_open=7)
    again = await harness.open()
    signed_in = await again.request("login", username="ana", password=PASSWORD)
    assert signed_in["user"]["max_open"] == 7


def test_every_protocol_command_has_exactly_one_handler() -> None:
    """Handlers are registered by their request model: every command of the protocol package
    has one, and nothing is registered that the protocol does not define."""
    import inbox_protocol
    import routing_server.handlers  # noqa: F401  (registers the handlers)
    from routing_server.dispatcher import ROUTES

    assert set(ROUTES) == inbox_protocol.COMMANDS


def test_every_handler_returns_its_commands_result_model() -> None:
    """Results are typed end to end: each handler is annotated to return the model that
    `inbox_protocol.RESULTS` names for its command (sync sends its own, in the shape of
    SyncSnapshot or SyncDelta), and every command but sync has a result model."""
    import typing

    import inbox_protocol
    import routing_server.handlers  # noqa: F401  (registers the handlers)
    from routing_server.dispatcher import ROUTES

    assert set(inbox_protocol.RESULTS) == inbox_protocol.COMMANDS - {"sync"}
    for name, route in ROUTES.items():
        returned = typing.get_type_hints(route.handler)["return"]
        models = {a for a in typing.get_args(returned) if a is not type(None)} or {returned}
        expected = {type(None)} if name == "sync" else {inbox_protocol.RESULTS[name]}
        assert models == expected, name
