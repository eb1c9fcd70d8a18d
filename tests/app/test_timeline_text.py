"""Routing steps in plain words."""

from __future__ import annotations

from datetime import UTC, datetime

from inbox_protocol import TimelineEntry
from ui.timeline_text import describe

AT = datetime(2026, 11, 23, 14, 5, tzinfo=UTC)


def step(reason: str, **details: object) -> TimelineEntry:
    return TimelineEntry(at=AT, kind="shared", reason=reason, actor_id=None, state="shared",
                         assigned_to=None, details=details)  # fmt: skip


def test_a_step_away_from_the_rep_names_the_rep() -> None:
    """Both ways out of the rep's hands name the rep from the step's details, never
    "someone"; without a named rep the sentence still reads."""
    names = {"u_ana": "Ana"}
    assert describe(step("dedicated_unavailable", rep="u_ana"), names, "u_ben").endswith(
        "the account rep Ana was not available."
    )
    assert describe(step("dedicated_went_unavailable", rep="u_ana"), names, "u_ben").endswith(
        "the account rep Ana became unavailable."
    )
    assert describe(step("dedicated_went_unavailable"), names, "u_ben").endswith(
        "In the shared inbox: the account rep became unavailable."
    )
    assert "someone" not in describe(step("dedicated_unavailable"), names, None)


def test_steps_a_supervisor_forced_name_the_supervisor() -> None:
    """A step caused by a supervisor's action says who: "forced by Sam", "Moved on by Sam"."""
    names = {"u_ana": "Ana", "u_sam": "Sam"}
    forced = step("dedicated_went_unavailable", rep="u_ana", forced_by="u_sam")
    assert describe(forced, names, "u_ben").endswith(
        "the account rep Ana became unavailable (forced by Sam)."
    )
    moved = step("moved_on_by_supervisor", rep="u_ana", forced_by="u_sam").model_copy(
        update={"actor_id": "u_sam"}
    )
    assert describe(moved, names, "u_ana").endswith(
        "Moved on by Sam to the shared inbox, away from you."
    )
