"""Build the self-contained desktop bundle with PyInstaller: `python installer/build.py [DIST]`.

The bundle (a folder with an `agent-inbox` executable) carries Python, Qt and every dependency.
`agent-inbox` runs the app; `agent-inbox server …` runs the bundled routing server (the same
command line as `inbox-server`).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MIGRATIONS = ROOT / "routing_server" / "storage" / "migrations"

# Imported by name at run time, so PyInstaller's analysis cannot see them.
HIDDEN_IMPORTS = (
    "aiosqlite",  # SQLAlchemy's sqlite+aiosqlite dialect imports it when the engine is created
    "asyncpg",  # likewise for postgresql+asyncpg (`--db postgresql://…`)
    "routing_server.handlers",  # registers every command handler on import
    "keyring.backends.SecretService",
    "keyring.backends.fail",
)


def build(dist: Path) -> Path:
    """Build into `dist`; returns the path of the executable."""
    import PyInstaller.__main__

    with tempfile.TemporaryDirectory(prefix="agent-inbox-build-") as work:
        args = [
            str(HERE / "agent_inbox_entry.py"),
            "--name", "agent-inbox",
            "--noconfirm", "--clean", "--log-level", "WARN",
            "--paths", str(ROOT),
            "--distpath", str(dist),
            "--workpath", str(Path(work) / "work"),
            "--specpath", work,
            "--collect-data", "resources",
            # Alembic reads its revisions as files, not through the import system.
            "--add-data", f"{MIGRATIONS}{os.pathsep}routing_server/storage/migrations",
            "--exclude-module", "tkinter",
        ]  # fmt: skip
        for module in HIDDEN_IMPORTS:
            args += ["--hidden-import", module]
        PyInstaller.__main__.run(args)
    return dist / "agent-inbox" / "agent-inbox"


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist"
    print(build(target))
