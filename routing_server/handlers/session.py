"""`login`, `auth`, `logout` and `ping`."""

from __future__ import annotations

import inbox_protocol as p
from routing_server import auth, wire
from routing_server.connection import Connection
from routing_server.dispatcher import command
from routing_server.engine.errors import EngineError


@command(p.Login, min_role=None)
async def handle_login(conn: Connection, req: p.Login) -> p.LoginResult:
    """Check a password and hand out a fresh token; the connection is then authenticated."""
    ctx = conn.ctx
    now = ctx.core.clock()
    if ctx.login_failures.exceeded(req.username, now):
        raise EngineError("rate_limited", "too many failed logins; wait a minute")
    with ctx.logins.admit(conn.source):  # the read too: a flood queues here, not at the database
        creds = await ctx.core.storage.credentials(req.username)
        hashed = creds.password_hash if creds else None
        ok = await ctx.logins.work(auth.verify_password, hashed, req.password)
        if not ok or creds is None:
            ctx.login_failures.hit(req.username, now)
            raise EngineError("invalid_credentials", "wrong username or password")
        ctx.login_failures.clear(req.username)
        user = await ctx.core.ensure_user(creds.user_id)
        if user is None or user.disabled:
            raise EngineError("forbidden", "this account is disabled")
        if creds.password_hash and auth.needs_rehash(creds.password_hash):
            new_hash = await ctx.logins.work(auth.hash_password, req.password)
            await ctx.core.storage.set_password_hash(user.id, new_hash)
    token, token_hash = auth.new_token()
    expires = now + auth.TOKEN_LIFETIME
    await ctx.core.storage.save_token(token_hash, user.id, now, expires)
    await conn.sign_in(user.id, token_hash)
    return p.LoginResult(token=token, user=wire.user(user), expires_at=wire.ts(expires))


@command(p.Auth, min_role=None)
async def handle_auth(conn: Connection, req: p.Auth) -> p.UserResult | None:
    """Authenticate the connection with a token from `login` (or `token create`)."""
    core = conn.ctx.core
    token_hash = auth.token_hash(req.token)
    user_id = await core.storage.token_user(token_hash, core.clock())
    user = await core.ensure_user(user_id) if user_id else None
    if user is None:
        raise EngineError("invalid_token", "the token is unknown, expired or revoked")
    if user.disabled:
        conn.send_error(req.id, "forbidden", "this account is disabled")
        conn.close_soon(p.CLOSE_REVOKED, "account disabled")
        return None
    await conn.sign_in(user.id, token_hash)
    return p.UserResult(user=wire.user(user))


@command(p.Logout)
async def handle_logout(conn: Connection, req: p.Logout) -> p.Empty:
    """Revoke the connection's token; other connections on that token are closed (4003)."""
    token_hash = conn.token_hash
    if token_hash is not None:
        await conn.ctx.core.storage.revoke_token(token_hash)
        for other in list(conn.ctx.connections):
            if other is not conn and other.token_hash == token_hash:
                other.close_soon(p.CLOSE_REVOKED, "token revoked")
    await conn.sign_out()
    return p.Empty()


@command(p.Ping, min_role=None)
async def handle_ping(conn: Connection, req: p.Ping) -> p.Empty:
    """Answer at once."""
    return p.Empty()
