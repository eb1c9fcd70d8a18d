"""The bundle's entry point: `agent-inbox` (and `agent-inbox server …` for the bundled server)."""

from __future__ import annotations

import sys


def main() -> int:
    """Run the desktop app, or the routing server when the first argument is `server`."""
    if len(sys.argv) > 1 and sys.argv[1] == "server":
        from routing_server.cli import main as server_main

        return server_main(sys.argv[2:])
    from desktop_app.main import main as app_main

    return app_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
