"""The user's preferences, kept with QSettings (never secrets: tokens live in the keyring)."""

from __future__ import annotations

from PySide6.QtCore import QSettings


class Preferences:
    """Typed access to the app's settings."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._s = settings or QSettings("Agent Inbox", "Agent Inbox")

    def _get(self, key: str, default: object) -> object:
        return self._s.value(key, default)

    @property
    def server_url(self) -> str:
        """The last server signed in to."""
        return str(self._get("server_url", "ws://127.0.0.1:8765"))

    @server_url.setter
    def server_url(self, value: str) -> None:
        self._s.setValue("server_url", value)

    @property
    def username(self) -> str:
        """The last username signed in with."""
        return str(self._get("username", ""))

    @username.setter
    def username(self, value: str) -> None:
        self._s.setValue("username", value)

    @property
    def sound(self) -> bool:
        """Sound for priority conversations and offers."""
        return str(self._get("sound", "true")).lower() == "true"

    @sound.setter
    def sound(self, value: bool) -> None:
        self._s.setValue("sound", "true" if value else "false")

    @property
    def auto_away_minutes(self) -> int:
        """Idle minutes before going away automatically (0: never)."""
        try:
            return max(0, int(str(self._get("auto_away_minutes", 0))))
        except ValueError:
            return 0

    @auto_away_minutes.setter
    def auto_away_minutes(self, value: int) -> None:
        self._s.setValue("auto_away_minutes", int(value))

    @property
    def theme(self) -> str:
        """`light` or `dark`."""
        value = str(self._get("theme", "light"))
        return value if value in ("light", "dark") else "light"

    @theme.setter
    def theme(self, value: str) -> None:
        self._s.setValue("theme", value)

    @property
    def do_not_disturb(self) -> bool:
        """No sound and no desktop notifications (alerts still show in the window)."""
        return str(self._get("do_not_disturb", "false")).lower() == "true"

    @do_not_disturb.setter
    def do_not_disturb(self, value: bool) -> None:
        self._s.setValue("do_not_disturb", "true" if value else "false")
