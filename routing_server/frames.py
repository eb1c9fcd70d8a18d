"""Every frame the server sends, built here and nowhere else: hello, results, failures, events.

Frames are compact JSON text (no spaces, UTF-8 as is); an event is serialized once and the same
text goes to every recipient.
"""

from __future__ import annotations

import json
from typing import Any

import inbox_protocol as p
from routing_server import __version__


def _text(obj: dict[str, Any]) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def hello() -> str:
    """The first frame on every connection."""
    return p.Hello(server_version=__version__).model_dump_json()


def result(request_id: int | None, value: dict[str, Any]) -> str:
    """A successful result."""
    return _text({"type": "result", "id": request_id, "ok": True, "result": value})


def failure(
    request_id: int | None, code: str, message: str, details: dict[str, Any] | None = None
) -> str:
    """A failed result (`id` null when the frame had no usable id)."""
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = details
    return _text({"type": "result", "id": request_id, "ok": False, "error": error})


def event(name: str, seq: int, data: dict[str, Any]) -> str:
    """An event numbered `seq`."""
    return _text({"type": "event", "event": name, "seq": seq, "data": data})
