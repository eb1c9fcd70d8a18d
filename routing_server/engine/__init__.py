"""The pure routing engine: commands and `now` in, new state and events out.

No I/O, no clock of its own, no asyncio and no Qt: the server owns those and feeds the engine
the current time; tests drive it with a fake clock.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from routing_server.engine.clock import fire_due
from routing_server.engine.routing import settle
from routing_server.engine.state import State
from routing_server.engine.tx import Changes, EngineEvent, Tx


def random_id(prefix: str) -> str:
    """A short random id with a readable prefix (`cv_…` for a conversation)."""
    return f"{prefix}_{secrets.token_hex(8)}"


class Engine:
    """The routing state and the factory of transactions over it."""

    def __init__(self, state: State, new_id: Callable[[str], str] = random_id) -> None:
        self.state = state
        self.new_id = new_id

    def begin(self, now: float) -> Tx:
        """Start a transaction at time `now`, first firing every deadline that is due."""
        tx = Tx(self.state, now, self.new_id)
        fire_due(tx)
        return tx

    def end(self, tx: Tx) -> Changes:
        """Settle what the command freed or stranded, and collect the transaction's changes."""
        settle(tx)
        return tx.finish()


__all__ = ["Changes", "Engine", "EngineEvent", "State", "Tx", "random_id"]
