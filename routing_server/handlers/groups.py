"""Reassignment groups and the offers they make."""

from __future__ import annotations

import inbox_protocol as p
from routing_server import wire
from routing_server.connection import Connection
from routing_server.dispatcher import caller, command
from routing_server.engine import groups
from routing_server.engine.errors import not_found


@command(p.ListGroups)
async def handle_list_groups(conn: Connection, req: p.ListGroups) -> p.GroupsResult:
    """Every reassignment group, by name."""
    found = sorted(conn.ctx.core.state.groups.values(), key=lambda g: g.name.lower())
    return p.GroupsResult(groups=[wire.group(g) for g in found])


@command(p.SaveGroup, min_role="admin")
async def handle_save_group(conn: Connection, req: p.SaveGroup) -> p.GroupResult:
    """Create a group (no `id`) or edit one."""
    g = req.group
    await conn.ctx.core.refresh_directory()
    async with conn.ctx.core.write() as tx:
        group = groups.save_group(
            tx, g.id, g.name, g.member_ids, g.default_assignee_id, g.method, g.offer_seconds
        )
        return p.GroupResult(group=wire.group(group))


@command(p.DeleteGroup, min_role="admin")
async def handle_delete_group(conn: Connection, req: p.DeleteGroup) -> p.Empty:
    """Delete a group that is not choosing a rep."""
    async with conn.ctx.core.write() as tx:
        groups.delete_group(tx, req.group_id)
    return p.Empty()


@command(p.ReassignContact, min_role="supervisor")
async def handle_reassign_contact(conn: Connection, req: p.ReassignContact) -> p.ContactResult:
    """Lock the contact and let the group choose its new rep."""
    async with conn.ctx.core.write() as tx:
        contact = groups.start(tx, caller(conn), req.contact_id, req.group_id)
        return p.ContactResult(contact=wire.contact(contact))


@command(p.AcceptReassignment)
async def handle_accept_reassignment(
    conn: Connection, req: p.AcceptReassignment
) -> p.ContactResult:
    """Take the contact you were offered."""
    async with conn.ctx.core.write() as tx:
        contact = groups.accept(tx, caller(conn), req.contact_id)
        return p.ContactResult(contact=wire.contact(contact))


@command(p.DeclineReassignment)
async def handle_decline_reassignment(
    conn: Connection, req: p.DeclineReassignment
) -> p.ContactResult:
    """Pass on the contact you were offered."""
    async with conn.ctx.core.write() as tx:
        contact = groups.decline(tx, caller(conn), req.contact_id)
        return p.ContactResult(contact=wire.contact(contact))


@command(p.ListOffers)
async def handle_list_offers(conn: Connection, req: p.ListOffers) -> p.OffersResult:
    """The reassignment offers the caller holds now (e.g. made while the app was closed)."""
    offers = groups.live_offers(conn.ctx.core.state, caller(conn).id)
    return p.OffersResult(offers=[wire.notification(n) for n in offers])


@command(p.SubscribeTeamLoad, min_role="supervisor")
async def handle_subscribe_team_load(
    conn: Connection, req: p.SubscribeTeamLoad
) -> p.TeamLoadResult:
    """The team's load now; then `team_load` events on every change, at most two a second."""
    user = caller(conn)
    if req.team_id not in user.team_ids:
        raise not_found("team")
    hub = conn.ctx.core.team_load
    key = f"team_load:{req.team_id}"
    if key not in conn.subscriptions:
        conn.subscriptions[key] = hub.subscribe(req.team_id, conn)
    return p.TeamLoadResult(team_load=hub.load(req.team_id))
