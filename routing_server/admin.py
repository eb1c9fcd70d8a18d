"""Administrative set-up straight on the storage: teams, users and gateway tokens.

The CLI uses these on a database that a server may be serving: the server loads users and
teams it has not seen yet when they first sign in.
"""

from __future__ import annotations

import re
import time

from routing_server import auth
from routing_server.engine import random_id
from routing_server.engine.model import Distribution, Role, Team, User
from routing_server.storage.sql import SqlStorage

ROLES: tuple[Role, ...] = ("agent", "supervisor", "admin", "integration")
DISTRIBUTIONS: tuple[Distribution, ...] = ("claim", "round_robin", "least_open")


class AdminError(Exception):
    """A set-up request that cannot be carried out (the CLI prints it and exits 2)."""


def team_id_for(name: str) -> str:
    """The id of a team named `name` (its lower-case slug)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.strip().lower()).strip("-")
    if not slug:
        raise AdminError(f"team name {name!r} has no letters or digits")
    return slug


async def add_team(storage: SqlStorage, name: str, distribution: Distribution = "claim") -> Team:
    """Create a team."""
    team = Team(id=team_id_for(name), name=name.strip(), distribution=distribution)
    if await storage.load_team(team.id) is not None:
        raise AdminError(f"team {name!r} already exists")
    await storage.create_team(team)
    return team


async def add_user(
    storage: SqlStorage,
    username: str,
    role: Role,
    password: str | None,
    *,
    team: str | None = "support",
    display_name: str | None = None,
    email: str | None = None,
    max_open: int = 5,
) -> User:
    """Create a user in a team (by name) with an argon2 hash of their password."""
    username = username.strip()
    if not re.fullmatch(r"[A-Za-z0-9_.@-]{1,200}", username):
        raise AdminError(f"username {username!r}: use letters, digits and _ . @ - only")
    if await storage.credentials(username) is not None:
        raise AdminError(f"user {username!r} already exists")
    if not 1 <= max_open <= 1000:
        raise AdminError("--max-open must be between 1 and 1000")
    team_ids: tuple[str, ...] = ()
    if team is not None:
        team_id = team_id_for(team)
        if await storage.load_team(team_id) is None:
            raise AdminError(f"no team named {team!r} (create it with `team add`)")
        team_ids = (team_id,)
    if role != "integration" and not password:
        raise AdminError("a password is required (give it on standard input)")
    user = User(
        id=random_id("u"),
        username=username,
        display_name=display_name or username,
        email=email,
        role=role,
        team_ids=team_ids,
        max_open=max_open,
    )
    await storage.create_user(user, auth.hash_password(password) if password else None)
    return user


async def integration_token(storage: SqlStorage, name: str) -> str:
    """A new token for the gateway `name`, creating its integration user when missing."""
    creds = await storage.credentials(name)
    if creds is None:
        user = await add_user(storage, name, "integration", None, team=None)
        user_id = user.id
    else:
        found = await storage.load_user(creds.user_id)
        if found is None or found.role != "integration":
            raise AdminError(f"user {name!r} exists and is not an integration")
        user_id = found.id
    token, token_hash = auth.new_token()
    now = time.time()
    await storage.save_token(token_hash, user_id, now, now + auth.TOKEN_LIFETIME)
    return token
