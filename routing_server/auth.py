"""Passwords, tokens and the limits that protect them."""

from __future__ import annotations

import hashlib
import secrets
from collections import deque
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_LIFETIME = 30 * 24 * 3600.0
_hasher = PasswordHasher()
# Verified against unknown usernames so that a miss costs as much time as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    """An argon2id hash of a password."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; a missing hash is checked against a dummy to take as long."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether a stored hash uses outdated parameters."""
    return _hasher.check_needs_rehash(password_hash)


def new_token() -> tuple[str, str]:
    """A fresh random token (256 bits) and the hash that is stored in its place."""
    # Hex, not URL-safe base64: a token is pasted into command lines (`simulate --token`), and
    # one in 64 base64 tokens starts with "-", which reads as an option there.
    token = secrets.token_hex(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    """The stored form of a token: its SHA-256 (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class SlidingWindow:
    """Counts events per key inside a moving time window."""

    limit: int
    window: float
    _hits: dict[str, deque[float]] = field(default_factory=dict)

    def exceeded(self, key: str, now: float) -> bool:
        """Whether `key` already has `limit` events in the window ending now."""
        hits = self._hits.get(key)
        if not hits:
            return False
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if not hits:
            del self._hits[key]
        return len(hits) >= self.limit

    def hit(self, key: str, now: float) -> None:
        """Record one event for `key`."""
        self._hits.setdefault(key, deque()).append(now)

    def clear(self, key: str) -> None:
        """Forget `key`'s events."""
        self._hits.pop(key, None)


@dataclass
class TokenBucket:
    """A request rate limit: `rate` per second on average, bursts up to `burst`."""

    rate: float
    burst: float
    _tokens: float = -1.0
    _at: float = 0.0

    def allow(self, now: float) -> bool:
        """Take one token if there is one."""
        if self._tokens < 0:
            self._tokens, self._at = self.burst, now
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
        self._at = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False
