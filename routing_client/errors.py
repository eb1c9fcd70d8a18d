"""Why a connection to the server failed, in words a person can act on.

Library errors ("[Errno 111] Connect call failed ('127.0.0.1', 9999)", "HTTP 404") say what the
network did, not what to do; these sentences say where the problem lies.
"""

from __future__ import annotations

import socket
import ssl
from urllib.parse import urlsplit

from websockets.exceptions import InvalidHandshake, InvalidURI

from routing_client.client import FatalError
from routing_client.rpc import ConnectionLost


def explain(url: str, exc: BaseException) -> str:
    """One sentence about why connecting to (or signing in at) `url` failed."""
    parts = urlsplit(url)
    where = parts.netloc or url
    if isinstance(exc, FatalError):
        return _sentence(exc.message)
    if isinstance(exc, InvalidURI):
        return f"{url} is not a server address; it looks like ws://host:port."
    if isinstance(exc, ssl.SSLError):
        return f"The secure connection to {where} failed: its certificate was not accepted."
    if isinstance(exc, socket.gaierror):
        return f"No computer called {parts.hostname or where} could be found."
    if isinstance(exc, ConnectionRefusedError):
        return f"Nothing is answering at {where} — is the server running?"
    if isinstance(exc, TimeoutError):
        return f"{where} did not answer in time. Check the address and your network."
    if isinstance(exc, InvalidHandshake | ConnectionLost):
        return f"Something answered at {where}, but it is not an Agent Inbox server."
    if isinstance(exc, OSError):
        return f"Could not reach {where} ({exc.strerror or 'network error'})."
    return f"Could not sign in at {where}."


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return "Could not sign in."
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else f"{text}."
