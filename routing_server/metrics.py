"""What the server counts for operators: Prometheus metrics at `/metrics`, and `/health` for
load balancers (see `app.py`, which answers both on the websocket port).

Each server has its own registry (tests run many servers in one process). Counts that follow
from the connections themselves (how many, of which role, how much each has queued) are read
when scraped, so connecting and disconnecting cost nothing extra.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

# Seconds: a commit is a few milliseconds on a quiet disk, a fan-out far less.
COMMIT_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
FANOUT_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1)
ROLES = ("agent", "supervisor", "admin", "integration", "unauthenticated")


class Observed(Protocol):
    """What the metrics read from one connection."""

    @property
    def role(self) -> str:
        """The signed-in user's role, or `unauthenticated`."""

    @property
    def queued_bytes(self) -> int:
        """Bytes of frames waiting to be sent."""


class _ConnectionCollector(Collector):
    """Connections by role and their outgoing queues, read at scrape time."""

    def __init__(self, connections: Callable[[], Iterable[Observed]]) -> None:
        self._connections = connections

    def collect(self) -> Iterator[Metric]:
        by_role = dict.fromkeys(ROLES, 0)
        largest = total = 0
        for conn in self._connections():
            by_role[conn.role] = by_role.get(conn.role, 0) + 1
            queued = conn.queued_bytes
            total += queued
            largest = max(largest, queued)
        open_ = GaugeMetricFamily(
            "inbox_connections", "Open websocket connections, by role", labels=["role"]
        )
        for role, count in by_role.items():
            open_.add_metric([role], count)
        yield open_
        yield GaugeMetricFamily(
            "inbox_queued_bytes_max", "Bytes queued for the connection furthest behind", largest
        )
        yield GaugeMetricFamily(
            "inbox_queued_bytes", "Bytes queued for all connections together", total
        )


class ServerMetrics:
    """One server's metrics."""

    def __init__(self, connections: Callable[[], Iterable[Observed]]) -> None:
        self.registry = CollectorRegistry()
        self.commands = Counter(
            "inbox_commands",
            "Commands handled, by command and outcome (ok or the error code)",
            ["command", "outcome"],
            registry=self.registry,
        )
        self.commit_seconds = Histogram(
            "inbox_commit_seconds",
            "Time to make one batch of commands durable",
            buckets=COMMIT_BUCKETS,
            registry=self.registry,
        )
        self.fanout_seconds = Histogram(
            "inbox_fanout_seconds",
            "Time to hand one batch's events to every recipient's connection",
            buckets=FANOUT_BUCKETS,
            registry=self.registry,
        )
        self.writer = Gauge(
            "inbox_writer", "1 while this server writes the database", registry=self.registry
        )
        self.registry.register(_ConnectionCollector(connections))

    def command_done(self, command: str, outcome: str) -> None:
        """Count one handled command."""
        self.commands.labels(command, outcome).inc()

    @contextmanager
    def timed(self, histogram: Histogram) -> Iterator[None]:
        """Observe how long the block takes."""
        start = time.perf_counter()
        try:
            yield
        finally:
            histogram.observe(time.perf_counter() - start)

    def render(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.registry)
