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


def folder(name: str) -> Path:
    """A resource folder on disk (stylesheets refer to images by path)."""
    return Path(str(files(__name__).joinpath(name)))
