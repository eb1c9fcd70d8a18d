"""Icons, stylesheets and the .desktop file, loaded with importlib.resources."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def read_text(*parts: str) -> str:
    """A text resource, such as `read_text("themes", "dark.qss")`."""
    return files(__name__).joinpath(*parts).read_text(encoding="utf-8")


def read_bytes(*parts: str) -> bytes:
    """A binary resource, such as an icon."""
    return files(__name__).joinpath(*parts).read_bytes()


def path(*parts: str) -> Path:
    """A resource as a file on disk (for APIs that read files: QSoundEffect). Resources are
    installed as files, in the source tree, the wheel and the PyInstaller bundle alike."""
    return Path(str(files(__name__).joinpath(*parts)))


def folder(name: str) -> Path:
    """A resource folder on disk (stylesheets refer to images by path)."""
    return Path(str(files(__name__).joinpath(name)))
