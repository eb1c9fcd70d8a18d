"""Operations: `/health` answers load balancers and `/metrics` gives Prometheus the server's
connections by role, commands by outcome, commit and fan-out latency and the writer role."""

from __future__ import annotations

import asyncio

import pytest

from routing_client.rpc import RequestFailed
from tests.server.harness import Harness


async def _get(harness: Harness, path: str) -> tuple[int, str, str]:
    """An HTTP/1.1 GET on the server's port: status, Content-Type and body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", harness.server.port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    raw = await reader.read()
    writer.close()
    await writer.wait_closed()
    head, _, body = raw.decode().partition("\r\n\r\n")
    lines = head.split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers.get("Content-Type", ""), body


async def test_health_answers_plain_http(harness: Harness) -> None:
    """GET /health is 200 "ok" on the websocket port, and websockets still work beside it."""
    status, _, body = await _get(harness, "/health")
    assert (status, body) == (200, "ok\n")
    client = await harness.open()
    assert await client.request("ping") == {}


async def test_metrics_count_what_the_server_did(harness: Harness) -> None:
    """After a customer message, a claim and a refused command, /metrics shows them by outcome,
    the open connections by role, commit and fan-out timings and that this server writes."""
    ana = await harness.agent("ana")
    gateway = await harness.gateway()
    sent = await harness.inbound(gateway, "+15550100", "Hello")
    await ana.request("claim", conversation_id=sent["conversation_id"])
    with pytest.raises(RequestFailed, match="forbidden"):
        await ana.request("update_settings", sharing_enabled=False)
    status, content_type, body = await _get(harness, "/metrics")
    assert status == 200
    assert content_type.startswith("text/plain; version=")
    lines = set(body.splitlines())
    assert 'inbox_commands_total{command="claim",outcome="ok"} 1.0' in lines
    assert 'inbox_commands_total{command="inbound",outcome="ok"} 1.0' in lines
    assert 'inbox_commands_total{command="update_settings",outcome="forbidden"} 1.0' in lines
    assert 'inbox_connections{role="agent"} 1.0' in lines
    assert 'inbox_connections{role="integration"} 1.0' in lines
    assert "inbox_writer 1.0" in lines
    commits = next(line for line in lines if line.startswith("inbox_commit_seconds_count"))
    fanouts = next(line for line in lines if line.startswith("inbox_fanout_seconds_count"))
    assert float(commits.split()[-1]) >= 2
    assert float(fanouts.split()[-1]) >= 2
    assert any(line.startswith("inbox_queued_bytes_max ") for line in lines)
