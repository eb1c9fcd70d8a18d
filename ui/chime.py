"""The notification sound: a short chime shipped in resources/sounds, played with QSoundEffect."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QLoggingCategory, QObject, QUrl

import resources

log = logging.getLogger(__name__)


class Player(Protocol):
    """What the chime needs of a sound effect (QSoundEffect, or a test's recorder)."""

    def play(self) -> None:
        """Start playing."""


def chime_path() -> Path:
    """The chime's WAV file on disk (QSoundEffect reads files, not bytes)."""
    return resources.path("sounds", "chime.wav")


def audio_problem() -> str | None:
    """Why no sound can be heard here, in one line (None when there is an audio output)."""
    # QtMultimedia lists every optional codec and audio library it did not find (VA-API,
    # PipeWire): noise for an app that plays one WAV; what matters is said here, in one line.
    QLoggingCategory.setFilterRules("qt.multimedia.*=false")
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError as exc:  # a build without QtMultimedia, or its libraries missing
        return f"QtMultimedia cannot be loaded ({exc})"
    if not QMediaDevices.audioOutputs():
        return "no audio output device"
    return None


class Chime(QObject):
    """Plays the chime; with no audio device it stays silent and says so once in the log."""

    def __init__(self, parent: QObject | None = None, player: Player | None = None) -> None:
        super().__init__(parent)
        self.requests = 0
        self._player = player
        self._problem: str | None = None
        self._ready = player is not None

    def _load(self) -> None:
        """Create the QSoundEffect the first time it is needed (not at start-up)."""
        self._ready = True
        self._problem = audio_problem()
        if self._problem is not None:
            log.warning("notification sound off: %s", self._problem)
            return
        from PySide6.QtMultimedia import QSoundEffect

        effect = QSoundEffect(self)
        effect.setSource(QUrl.fromLocalFile(str(chime_path())))
        effect.setVolume(0.8)
        self._player = effect

    def play(self) -> bool:
        """Play the chime once; False when there is nothing to play it on."""
        self.requests += 1
        if not self._ready:
            self._load()
        if self._player is None:
            return False
        self._player.play()
        return True
