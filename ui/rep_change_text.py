"""The warning shown before a contact's rep changes: what happens to each open conversation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CHANNEL_NAMES = {"sms": "SMS", "email": "E-mail", "chat": "Chat", "web_form": "Web form"}


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def affects_anything(preview: dict[str, Any]) -> bool:
    """Whether the contact has open conversations the change would touch or leave."""
    private = preview.get("private", {})
    return bool(
        preview.get("conversations")
        or private.get("priority")
        or private.get("waiting")
        or preview.get("hidden")
    )


def rep_change_lines(
    preview: dict[str, Any], new_rep: str | None, name: Callable[[str | None], str]
) -> list[str]:
    """One sentence per open conversation (or group of private ones), in plain words."""
    lines = []
    for conv in preview.get("conversations", []):
        channel = CHANNEL_NAMES.get(conv["channel"], conv["channel"])
        if conv["effect"] == "stays_with_owner":
            owner = name(conv["assigned_to"])
            lines.append(f"{channel} conversation claimed by {owner}: stays with {owner}.")
        else:
            lines.append(f"{channel} conversation in the shared inbox: stays there.")
    private = preview.get("private", {})
    held = private.get("priority", 0) + private.get("waiting", 0)
    if held:
        lines.append(
            _plural(held, "conversation is", "conversations are")
            + " waiting for the current account rep (private to them):"
        )
        target = f"{new_rep}'s Priority inbox" if new_rep else "the new rep's Priority inbox"
        who = new_rep or "the new rep"
        for key, text in (
            ("to_new_rep", f"routed afresh to {target}"),
            ("waits_for_new_rep", f"routed afresh; waits until {who} has room"),
            ("normal_routing", "routed afresh to the shared inbox (normal routing)"),
            ("unchanged", "nothing changes"),
        ):
            if private.get(key):
                lines.append(f"    {private[key]} {text}.")
    hidden = preview.get("hidden", 0)
    if hidden:
        lines.append(
            _plural(hidden, "conversation", "conversations")
            + " in a team you do not supervise: stays where it is."
        )
    return lines
