"""Remembered sign-ins: the token in the system keyring, never in a file.

With no usable keyring (a headless machine, a locked or absent backend) the app offers no
"remember me" and asks for the password again; it never falls back to storing the token in
plain text.
"""

from __future__ import annotations

import keyring
from keyring.backends import fail
from keyring.errors import KeyringError

SERVICE = "agent-inbox"


class CredentialsUnavailable(Exception):
    """The system keyring cannot be used."""


class CredentialStore:
    """Tokens kept in the system keyring, one per server and username."""

    def __init__(self) -> None:
        self._problem: str | bool | None = False  # False: not checked yet

    @property
    def problem(self) -> str | None:
        """Why the keyring cannot be used, or None when it can (checked once, lazily)."""
        if self._problem is False:
            backend = keyring.get_keyring()
            if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
                self._problem = "no system keyring is available on this computer"
            else:
                self._problem = None
        return self._problem if isinstance(self._problem, str) else None

    @staticmethod
    def _key(url: str, username: str) -> str:
        return f"{username}@{url}"

    def save(self, url: str, username: str, token: str) -> None:
        """Remember a token; `CredentialsUnavailable` when the keyring refuses."""
        if self.problem:
            raise CredentialsUnavailable(self.problem)
        try:
            keyring.set_password(SERVICE, self._key(url, username), token)
        except KeyringError as exc:
            raise CredentialsUnavailable(str(exc) or type(exc).__name__) from None

    def load(self, url: str, username: str) -> str | None:
        """The remembered token, if any (None also when the keyring is unusable)."""
        if self.problem:
            return None
        try:
            return keyring.get_password(SERVICE, self._key(url, username))
        except KeyringError:
            return None

    def forget(self, url: str, username: str) -> None:
        """Drop a remembered token (after it was revoked, or on sign-out)."""
        if self.problem:
            return
        try:
            keyring.delete_password(SERVICE, self._key(url, username))
        except KeyringError:
            return
