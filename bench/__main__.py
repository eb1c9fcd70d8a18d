"""`python -m bench`: run every benchmark; figures with a baseline also go to bench/results.json."""

from __future__ import annotations

import asyncio
import json
import os
import platform
from pathlib import Path
from typing import Any

from bench import (
    app_burst,
    command_cost,
    durable_inbound,
    fanout,
    import_contacts,
    pane_scroll,
    server_throughput,
    startup,
)

RESULTS = Path(__file__).with_name("results.json")


def _machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "system": platform.platform(),
    }


if __name__ == "__main__":
    rows: list[dict[str, Any]] = []
    asyncio.run(server_throughput.main())
    rows += asyncio.run(durable_inbound.main())
    rows += asyncio.run(command_cost.main())
    rows += asyncio.run(fanout.main())
    rows += asyncio.run(startup.main())
    asyncio.run(import_contacts.main())
    pane_scroll.main()
    rows += app_burst.main()
    RESULTS.write_text(json.dumps({"machine": _machine(), "rows": rows}, indent=2) + "\n")
    print(f"wrote {RESULTS}")
