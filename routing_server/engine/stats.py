"""Today's routing figures per team, counted from routing steps as they happen."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

DAY = 86_400.0


@dataclass
class TeamDay:
    """One team's figures for one UTC day."""

    routed_priority: int = 0
    claimed_from_priority: int = 0
    shared_after_timeout: int = 0
    claimed: int = 0
    closed: int = 0
    seconds_to_claim: list[float] = field(default_factory=list)

    @property
    def median_seconds_to_claim(self) -> float | None:
        """The median time from a conversation's start to its claim, today."""
        return statistics.median(self.seconds_to_claim) if self.seconds_to_claim else None

    @property
    def rep_adherence_percent(self) -> float | None:
        """Of today's priority conversations that left priority by claim or by timeout, the
        share the rep claimed in time (percent); None before any did either."""
        decided = self.claimed_from_priority + self.shared_after_timeout
        return round(100.0 * self.claimed_from_priority / decided, 1) if decided else None


@dataclass
class DailyStats:
    """Per-team figures of the current UTC day; they start afresh at midnight."""

    day: int = -1
    teams: dict[str, TeamDay] = field(default_factory=dict)

    def today(self, team_id: str, now: float) -> TeamDay:
        """The team's figures for the day of `now`."""
        day = int(now // DAY)
        if day != self.day:
            self.day, self.teams = day, {}
        return self.teams.setdefault(team_id, TeamDay())

    def record(
        self,
        team_id: str,
        now: float,
        kind: str,
        reason: str | None,
        from_state: str | None,
        created_at: float,
    ) -> None:
        """Count one routing step."""
        day = self.today(team_id, now)
        if kind == "priority":
            day.routed_priority += 1
        elif kind == "claimed" and reason in (
            "claimed",
            "auto_assigned_round_robin",
            "auto_assigned_least_open",
        ):
            day.claimed += 1
            day.seconds_to_claim.append(max(0.0, now - created_at))
            if from_state == "priority":
                day.claimed_from_priority += 1
        elif kind == "closed":
            day.closed += 1
        if reason == "time_to_share_elapsed":
            day.shared_after_timeout += 1
