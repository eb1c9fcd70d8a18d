"""The one dispatcher: frames are validated, authorised and routed to `handle_<command>`
functions here, and every failure becomes a protocol error code here and nowhere else."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

import inbox_protocol as p
from routing_server.connection import Connection
from routing_server.engine.errors import EngineError
from routing_server.engine.model import User

log = logging.getLogger(__name__)

ROLE_RANK = {"integration": -1, "agent": 0, "supervisor": 1, "admin": 2}
PUBLIC_COMMANDS = frozenset({"login", "auth", "ping"})

# A handler returns its command's result model (`inbox_protocol.RESULTS`), or None when it has
# sent its result itself.
Handler = Callable[[Connection, Any], Awaitable[BaseModel | None]]
T = TypeVar("T", bound=BaseModel)
R = TypeVar("R", bound=p.Request)


class _Route:
    __slots__ = ("handler", "roles")

    def __init__(self, handler: Handler, roles: frozenset[str] | None) -> None:
        self.handler = handler
        self.roles = roles


ROUTES: dict[str, _Route] = {}


def command(
    model: type[R], *, min_role: str | None = "agent", roles: frozenset[str] | None = None
) -> Callable[[Callable[[Connection, R], Awaitable[T | None]]], Handler]:
    """Register the handler of a request model; the command's name is the model's `type`.

    `min_role` (by rank) or `roles` (exactly) says who may call it. The handler receives the
    validated model, so its fields are typed from the frame to the engine. It returns the
    command's result model (`inbox_protocol.RESULTS[name]`; a test checks every handler's
    annotation against it), or None when it has sent its result itself (sync does, so that its
    result precedes the events that follow it). For example::

        @command(p.Claim)
        async def handle_claim(conn: Connection, req: p.Claim) -> p.ConversationResult: ...
    """
    name = p.command_name(model)
    if name in ROUTES:
        raise ValueError(f"{name!r} has a handler already")
    allowed = roles
    if allowed is None and min_role is not None:
        allowed = frozenset(r for r, rank in ROLE_RANK.items() if rank >= ROLE_RANK[min_role])

    def register(fn: Callable[[Connection, R], Awaitable[T | None]]) -> Handler:
        ROUTES[name] = _Route(fn, allowed)
        return fn

    return register


def caller(conn: Connection) -> User:
    """The authenticated user of a connection."""
    user = conn.ctx.core.user(conn.user_id or "")
    if user is None:
        raise EngineError("unauthenticated", "authenticate first")
    return user


# The connection whose request is being handled, so that a write can refuse to run for a
# connection that closed (logout elsewhere, account disabled) while the request waited.
_current: ContextVar[Connection | None] = ContextVar("current_connection", default=None)


def check_admitted() -> None:
    """Refuse to change anything for a connection that is closing (called under the lock)."""
    conn = _current.get()
    if conn is not None and conn.closed:
        raise EngineError("unauthenticated", "the session has ended")


async def dispatch(conn: Connection, frame: str | bytes) -> None:
    """Handle one frame from a client: exactly one result goes back (none once it is closing)."""
    if conn.closed:
        return
    now = time.monotonic()
    if isinstance(frame, bytes):
        conn.bad_frame(now)
        conn.send_error(None, "bad_request", "frames must be text, not binary")
        return
    try:
        obj = json.loads(frame)
    except (ValueError, RecursionError):
        # RecursionError: nested deeper than the parser goes (a few thousand levels); no
        # request is nested more than a few levels, so such a frame is malformed, nothing more.
        obj = None
    request_id = obj.get("id") if isinstance(obj, dict) else None
    kind = obj.get("type") if isinstance(obj, dict) else None
    if (
        not isinstance(obj, dict)
        or not isinstance(request_id, int)
        or isinstance(request_id, bool)
        or not isinstance(kind, str)
    ):
        conn.bad_frame(now)
        conn.send_error(
            None, "bad_request", "a frame must be a JSON object with an int id and a string type"
        )
        return
    if not conn.allow_request(now):
        conn.send_error(request_id, "rate_limited", "too many requests; slow down")
        return
    if not conn.authenticated and kind not in PUBLIC_COMMANDS:
        # Before authentication only login, auth and ping exist, whatever else is sent.
        conn.send_error(request_id, "unauthenticated", "log in or authenticate first")
        return
    if kind not in p.COMMANDS or kind not in ROUTES:
        conn.bad_frame(now)
        conn.send_error(request_id, "bad_request", f"type: unknown command {kind!r}")
        return
    try:
        request = p.REQUEST_ADAPTER.validate_python(obj)
    except ValidationError as exc:
        conn.bad_frame(now)
        conn.send_error(request_id, "bad_request", _describe(exc))
        return
    await _run(conn, ROUTES[kind], request)


async def _run(conn: Connection, route: _Route, request: p.Request) -> None:
    kind = request.type  # type: ignore[attr-defined]
    token = _current.set(conn)
    try:
        if not conn.authenticated and kind not in PUBLIC_COMMANDS:
            raise EngineError("unauthenticated", "log in or authenticate first")
        if (
            route.roles is not None
            and kind not in PUBLIC_COMMANDS
            and caller(conn).role not in route.roles
        ):
            raise EngineError("forbidden", f"your role may not use {kind}")
        result = await route.handler(conn, request)
    except EngineError as exc:
        outcome = exc.code
        conn.send_error(request.id, exc.code, exc.message, exc.details)
    except Exception as exc:
        # Neither the request (it may carry a password or a token) nor the exception's text
        # (it may quote data) goes to the log; the traceback only at debug level.
        log.error("internal error handling %s: %s", kind, type(exc).__name__)
        log.debug("traceback of the internal error", exc_info=True)
        outcome = "internal"
        conn.send_error(request.id, "internal", "internal server error")
    else:
        outcome = "ok"
        if result is not None:
            conn.send_result(request.id, result.model_dump(mode="json"))
    finally:
        _current.reset(token)
    metrics = conn.ctx.core.metrics
    if metrics is not None:
        metrics.command_done(kind, outcome)


def _describe(exc: ValidationError) -> str:
    """A one-line message naming the first offending field."""
    err = exc.errors()[0]
    loc = [str(part) for part in err["loc"]]
    # The discriminated union puts the command name first; the field is what follows.
    if len(loc) > 1:
        loc = loc[1:]
    field = ".".join(loc) or "frame"
    if err["type"] == "extra_forbidden":
        return f"{field}: unknown field"
    if err["type"] == "missing":
        return f"{field}: field required"
    bounds = p.NUMERIC_BOUNDS.get(loc[-1]) if loc else None
    if bounds is not None and err["type"] in ("greater_than_equal", "less_than_equal"):
        return f"{field}: must be between {bounds[0]} and {bounds[1]}"
    return f"{field}: {err['msg']}"
