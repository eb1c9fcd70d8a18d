"""Writes resources/sounds/chime.wav: the short two-note chime for priority work.

Synthesised here (no sample from elsewhere): two decaying sine notes, a fifth apart, with a
soft attack so that it does not click. Run it again only to change the sound.
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

RATE = 44_100
NOTES = ((880.0, 0.0, 0.22), (1318.5, 0.12, 0.34))  # (Hz, start s, length s)
LENGTH = 0.5
VOLUME = 0.45


def sample(t: float) -> float:
    """The chime's amplitude at `t` seconds, in [-1, 1]."""
    value = 0.0
    for freq, start, length in NOTES:
        local = t - start
        if 0 <= local < length:
            attack = min(1.0, local / 0.005)
            decay = math.exp(-local * 9.0)
            value += attack * decay * math.sin(2 * math.pi * freq * local)
    return max(-1.0, min(1.0, value * VOLUME))


def write(path: Path) -> None:
    """Write the chime as 16-bit mono PCM."""
    frames = b"".join(
        struct.pack("<h", round(sample(i / RATE) * 32_767)) for i in range(int(RATE * LENGTH))
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("resources/sounds/chime.wav"))
