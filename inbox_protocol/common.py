"""Names and limits shared by every frame: channels, states, roles, codes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

PROTOCOL_VERSION = 1
MAX_FRAME_BYTES = 1024 * 1024

Channel = Literal["sms", "email", "chat", "web_form"]
CHANNELS: tuple[Channel, ...] = ("sms", "email", "chat", "web_form")
ConversationState = Literal["priority", "shared", "claimed", "closed"]
Role = Literal["agent", "supervisor", "admin", "integration"]
PresenceStatus = Literal["online", "away", "offline"]
Delivery = Literal["pending", "sent", "delivered", "failed"]
Distribution = Literal["claim", "round_robin", "least_open"]
ErrorCode = Literal[
    "bad_request",
    "unauthenticated",
    "invalid_credentials",
    "invalid_token",
    "forbidden",
    "not_found",
    "already_claimed",
    "invalid_state",
    "reassignment_in_progress",
    "rate_limited",
    "too_large",
    "internal",
]
RoutingReason = Literal[
    "no_dedicated_agent",
    "channel_not_dedicated",
    "dedicated_available",
    "dedicated_unavailable",
    "dedicated_at_capacity",
    "capacity_freed",
    "capacity_wait_elapsed",
    "time_to_share_elapsed",
    "dedicated_went_unavailable",
    "released_by_agent",
    "account_rep_changed",
    "claimed",
    "auto_assigned_round_robin",
    "auto_assigned_least_open",
    "transferred",
    "moved_on_by_supervisor",
]

# Close codes.
CLOSE_NOT_AUTHENTICATED = 4001
CLOSE_REVOKED = 4003
CLOSE_POLICY = 4008
CLOSE_TOO_LARGE = 1009
CLOSE_GOING_AWAY = 1001


class WireModel(BaseModel):
    """Base of every object the server sends: unknown fields are kept, not rejected.

    Clients must tolerate fields added by later server versions, so objects allow extras.
    """

    model_config = ConfigDict(extra="allow")
