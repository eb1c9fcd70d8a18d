"""A contact's assignment history in plain words, for the contacts window and the contact panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from inbox_protocol import HistoryEntry

SOURCES = {
    "manual": "by hand",
    "bulk_import": "in a bulk import",
    "reassignment_group": "by a reassignment group",
    "routing": "by routing",
}

Names = Callable[[str | None], str]


def describe_history(entry: HistoryEntry, name: Names) -> str:
    """One history entry as a sentence ("Ana became the account rep — set by Sam, by hand.")."""
    details = entry.details
    who = name(details.get("user_id")) if details.get("user_id") else ""
    several = ", ".join(name(u) for u in details.get("user_ids", [])) or "nobody"
    group = details.get("group_name") or "a reassignment group"
    texts = {
        "account_rep_assigned": f"{who} became the account rep",
        "account_rep_unassigned": f"{who} stopped being the account rep",
        "priority_notifications_on": "Priority notifications turned on",
        "priority_notifications_off": "Priority notifications turned off",
        "reassignment_started": f"Reassignment through {group} started",
        "reassignment_offered": f"Offered to {several}",
        "reassignment_declined": f"{who} declined the offer",
        "reassignment_offer_expired": f"The offer to {several} expired",
        "reassignment_skipped": f"Skipped {several} (not available)",
        "reassignment_completed": "Reassignment finished",
    }
    text = texts.get(entry.kind, entry.kind.replace("_", " ").capitalize())
    source = SOURCES.get(entry.source, entry.source)
    actor = f"by {name(entry.actor_id)}, " if entry.actor_id else ""
    return f"{text} — {actor}{source}."


def when(entry: HistoryEntry) -> str:
    """The entry's local date and time ("2 Dec 14:05")."""
    return entry.at.astimezone().strftime("%-d %b %Y, %H:%M")


NO_HISTORY = "No account rep changes yet."


def history_lines(history: list[dict[str, Any]], name: Names) -> list[str]:
    """Each entry as its time above its sentence, newest first; one line saying so when empty."""
    entries = [HistoryEntry.model_validate(h) for h in history]
    return [f"{when(e)}\n{describe_history(e, name)}" for e in reversed(entries)] or [NO_HISTORY]
