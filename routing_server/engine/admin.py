"""Admin commands: routing settings, teams and users."""

from __future__ import annotations

from typing import Any

from routing_server.engine.errors import EngineError, not_found
from routing_server.engine.model import ChannelSettings, Settings, Team, User
from routing_server.engine.phones import is_region
from routing_server.engine.tx import Removal, Tx
from routing_server.engine.visibility import can_see


def update_settings(tx: Tx, patch: dict[str, Any]) -> Settings:
    """Apply any part of the settings (bounds are checked by the protocol models)."""
    old = tx.state.settings
    channels = {
        ch: ChannelSettings(c.dedicated_routing, c.time_to_share, c.capacity_wait)
        for ch, c in old.channels.items()
    }
    for ch, fields in (patch.get("channels") or {}).items():
        for key, value in fields.items():
            setattr(channels[ch], key, value)
    region = patch.get("phone_region", old.phone_region)
    if not is_region(region):
        raise EngineError("bad_request", f"phone_region: {region!r} is not a region code")
    new = Settings(
        sharing_enabled=patch.get("sharing_enabled", old.sharing_enabled),
        presence_grace_seconds=patch.get("presence_grace_seconds", old.presence_grace_seconds),
        channels=channels,
        phone_region=region,
        silent_after_minutes=patch.get("silent_after_minutes", old.silent_after_minutes),
    )
    if new == old:
        return old
    tx.state.settings = new
    tx.settings_changed(new)
    if new.sharing_enabled != old.sharing_enabled:
        # Turning sharing on starts each priority conversation's time to share now; turning
        # it off keeps them with their dedicated agent until claimed or released.
        for conv in tx.state.open_conversations():
            if conv.state == "priority":
                tx.touch(conv)
                conv.share_at = (
                    tx.now + new.channels[conv.channel].time_to_share
                    if new.sharing_enabled
                    else None
                )
                tx.state.reindex(conv)
    return new


def update_team(tx: Tx, team_id: str, name: str | None, distribution: str | None) -> Team:
    """Rename a team or change its distribution."""
    state = tx.state
    team = state.teams.get(team_id)
    if team is None:
        raise not_found("team")
    if name is not None:
        if any(t.id != team.id and t.name.lower() == name.lower() for t in state.teams.values()):
            raise EngineError("bad_request", f"name: a team called {name!r} exists")
        team.name = name
    if distribution is not None:
        team.distribution = distribution  # type: ignore[assignment]
    tx.touch_team(team)
    return team


def update_user(tx: Tx, user_id: str, fields: dict[str, Any]) -> User:
    """Change a user's display name, e-mail, role, teams, capacity or disabled flag.

    The user's view of conversations changes with role and teams: they get
    `conversation.removed` and `conversation.upsert` for the difference.
    """
    state = tx.state
    user = state.users.get(user_id)
    if user is None:
        raise not_found("user")
    if "team_ids" in fields:
        unknown = [t for t in fields["team_ids"] if t not in state.teams]
        if unknown:
            raise EngineError("bad_request", f"team_ids: no team {unknown[0]!r}")
    if user.role == "integration" and fields.get("role", "integration") != "integration":
        raise EngineError("bad_request", "role: a gateway account cannot become a person")
    if fields.get("role") == "integration" and user.role != "integration":
        raise EngineError("bad_request", "role: a person cannot become a gateway account")
    before = {c.id for c in state.open_conversations() if can_see(user, c)}
    if "role" in fields:
        user.role = fields["role"]
    if "team_ids" in fields:
        user.team_ids = tuple(dict.fromkeys(fields["team_ids"]))
    if "max_open" in fields:
        user.max_open = fields["max_open"]
    if "display_name" in fields:
        name = fields["display_name"].strip()
        if not name:
            raise EngineError("bad_request", "display_name: may not be blank")
        user.display_name = name
    if "email" in fields:
        user.email = fields["email"]
    if "disabled" in fields:
        user.disabled = fields["disabled"]
    tx.touch_user(user)
    after = {c.id for c in state.open_conversations() if can_see(user, c)}
    for conv_id in sorted(before - after):
        tx.tell(user.id, "conversation.removed", Removal(conv_id, "access_changed"))
    for conv_id in sorted(after - before):
        tx.tell(user.id, "conversation.upsert", state.conversations[conv_id])
    return user
