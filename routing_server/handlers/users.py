"""Users: creating them and resetting their passwords (admins)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

import inbox_protocol as p
from routing_server import auth, wire
from routing_server.connection import Connection
from routing_server.dispatcher import command
from routing_server.engine import random_id
from routing_server.engine.errors import EngineError, not_found
from routing_server.engine.model import User


@command(p.CreateUser, min_role="admin")
async def handle_create_user(conn: Connection, req: p.CreateUser) -> p.UserResult:
    """A new person with a password; they sign in with it at once."""
    core = conn.ctx.core
    await core.refresh_directory()
    if await core.storage.credentials(req.username) is not None:
        raise EngineError("bad_request", f"username: {req.username!r} is taken")
    unknown = [t for t in req.team_ids if t not in core.state.teams]
    if unknown:
        raise EngineError("bad_request", f"team_ids: no team {unknown[0]!r}")
    if not req.team_ids:
        raise EngineError("bad_request", "team_ids: a person needs at least one team")
    password_hash = await conn.ctx.logins.run(conn.source, auth.hash_password, req.password)
    user = User(
        id=random_id("u"),
        username=req.username,
        display_name=(req.display_name or req.username).strip() or req.username,
        email=req.email,
        role=req.role,
        team_ids=tuple(dict.fromkeys(req.team_ids)),
        max_open=req.max_open,
    )
    try:
        await core.storage.create_user(user, password_hash)
    except IntegrityError:
        # Another create_user took the name while this one was hashing the password.
        raise EngineError("bad_request", f"username: {req.username!r} is taken") from None
    created = await core.ensure_user(user.id)
    assert created is not None
    return p.UserResult(user=wire.user(created))


@command(p.SetPassword, min_role="admin")
async def handle_set_password(conn: Connection, req: p.SetPassword) -> p.Empty:
    """Replace a person's password; every token of theirs is revoked and their connections
    are closed (4003), so they sign in again with the new one."""
    core = conn.ctx.core
    user = await core.ensure_user(req.user_id)
    if user is None:
        raise not_found("user")
    if user.role == "integration":
        raise EngineError("bad_request", "user_id: a gateway signs in with a token, not a password")
    password_hash = await conn.ctx.logins.run(conn.source, auth.hash_password, req.password)
    await core.storage.set_password_hash(user.id, password_hash)
    await core.storage.revoke_user_tokens(user.id)
    for other in list(conn.ctx.connections):
        if other.user_id == user.id and other is not conn:
            other.close_soon(p.CLOSE_REVOKED, "password changed")
    return p.Empty()
