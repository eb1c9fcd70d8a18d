"""Routing steps in plain words, for the conversation's timeline."""

from __future__ import annotations

from datetime import datetime

from inbox_protocol import Conversation, TimelineEntry

REASONS = {
    "no_dedicated_agent": "In the shared inbox: this customer has no account rep.",
    "channel_not_dedicated": "In the shared inbox: this channel is not routed to account reps.",
    "dedicated_unavailable": "In the shared inbox: the account rep {rep} was not available.",
    "dedicated_available": "Sent to {rep}: the customer's account rep, who was online.",
    "dedicated_at_capacity": "Waiting for {rep}, the account rep, who had no room for more.",
    "capacity_freed": "Sent to {rep}: the account rep had room again.",
    "capacity_wait_elapsed": "In the shared inbox: the account rep stayed full too long.",
    "time_to_share_elapsed": "In the shared inbox: not claimed within the time to share.",
    "dedicated_went_unavailable": "In the shared inbox: the account rep {rep} became unavailable.",
    "released_by_agent": "Released by {actor} to the shared inbox.",
    "account_rep_changed": "Routed again: the customer's account rep changed.",
    "claimed": "Claimed by {actor}.",
    "auto_assigned_round_robin": "Assigned to {owner} (round robin).",
    "auto_assigned_least_open": "Assigned to {owner} (fewest open conversations).",
    "transferred": "Transferred by {actor} to {owner}.",
    "moved_on_by_supervisor": "Moved on by {actor} to the shared inbox, away from {rep}.",
}


def clock(at: datetime) -> str:
    """A time as the user's local HH:MM."""
    return at.astimezone().strftime("%H:%M")


def describe(entry: TimelineEntry, names: dict[str, str], me: str | None) -> str:
    """One routing step as a sentence ("Sent to you: …")."""

    def name(user_id: str | None) -> str:
        if user_id is None:
            return "someone"
        return "you" if user_id == me else names.get(user_id, "a teammate")

    if entry.kind == "closed":
        return f"{clock(entry.at)}  Closed by {name(entry.actor_id)}."
    template = REASONS.get(entry.reason or "", "Routed ({reason}).")
    # The rep is the assignee while priority or waiting; a step away from them names them in
    # `details.rep` (when it does not, say "the account rep" rather than a wrong name).
    rep = entry.details.get("rep")
    if rep is None and entry.state in ("priority", "waiting"):
        rep = entry.assigned_to
    if rep is None:
        template = template.replace(" {rep}", "").replace("{rep}", "the account rep")
    text = template.format(
        rep=name(rep if isinstance(rep, str) else None),
        actor=name(entry.actor_id),
        owner=name(entry.assigned_to),
        reason=entry.reason,
    )
    if text.startswith("Sent to you") and entry.reason == "dedicated_available":
        text = "Sent to you: you are this customer's account rep and were online."
    forced_by = entry.details.get("forced_by")
    if isinstance(forced_by, str) and entry.reason != "moved_on_by_supervisor":
        # A supervisor set the rep away or offline: say who, the step would read as chance.
        text = f"{text.rstrip('.')} (forced by {name(forced_by)})."
    return f"{clock(entry.at)}  {text}"


def headline(conv: Conversation, names: dict[str, str], me: str | None) -> str:
    """Where the conversation is now, in one line (with its share time when priority)."""
    owner = conv.assigned_to
    who = "you" if owner == me else names.get(owner or "", "a teammate")
    if conv.state == "priority":
        share = f" Goes to the shared inbox at {clock(conv.share_at)}." if conv.share_at else ""
        return f"Priority for {who}.{share}"
    if conv.state == "shared":
        return "In the shared inbox: the first to claim it gets it."
    if conv.state == "claimed":
        return f"Claimed by {who}."
    return f"Closed ({who})."
