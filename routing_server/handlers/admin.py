"""Settings, teams and users (admins change them; everyone reads them)."""

from __future__ import annotations

import inbox_protocol as p
from routing_server import wire
from routing_server.connection import Connection
from routing_server.dispatcher import command
from routing_server.engine import admin


@command(p.UpdateSettings, min_role="admin")
async def handle_update_settings(conn: Connection, req: p.UpdateSettings) -> p.SettingsResult:
    """Change any part of the routing settings; everyone gets `settings.updated`."""
    patch = req.model_dump(exclude_unset=True, exclude={"id", "type"})
    if "channels" in patch:
        patch["channels"] = {
            ch: {k: v for k, v in fields.items() if v is not None}
            for ch, fields in (patch["channels"] or {}).items()
        }
    patch = {k: v for k, v in patch.items() if v is not None}
    async with conn.ctx.core.write() as tx:
        settings = admin.update_settings(tx, patch)
    return p.SettingsResult(settings=wire.settings(settings))


@command(p.UpdateTeam, min_role="admin")
async def handle_update_team(conn: Connection, req: p.UpdateTeam) -> p.TeamResult:
    """Rename a team or change its distribution (a backlog is assigned at once)."""
    core = conn.ctx.core
    async with core.write() as tx:
        team = admin.update_team(tx, req.team_id, req.name, req.distribution)
        return p.TeamResult(team=wire.team(core.state, team))


@command(p.UpdateUser, min_role="admin")
async def handle_update_user(conn: Connection, req: p.UpdateUser) -> p.UserResult:
    """Change a user (`email: null` clears it); disabling revokes their tokens and closes their
    connections (4003)."""
    core = conn.ctx.core
    await core.ensure_user(req.user_id)
    fields = {k: getattr(req, k) for k in req.model_fields_set - {"id", "type", "user_id"}}
    # `email: null` clears the address; any other null means "leave it as it is".
    fields = {k: v for k, v in fields.items() if v is not None or k == "email"}
    async with core.write() as tx:
        user = admin.update_user(tx, req.user_id, fields)
        result = p.UserResult(user=wire.user(user))
    if user.disabled:
        await core.storage.revoke_user_tokens(user.id)
        for other in list(conn.ctx.connections):
            if other.user_id == user.id:
                other.close_soon(p.CLOSE_REVOKED, "account disabled")
    return result
