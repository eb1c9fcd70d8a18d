"""`python -m bench`: run every benchmark."""

from __future__ import annotations

import asyncio

from bench import import_contacts, pane_scroll, server_throughput

if __name__ == "__main__":
    asyncio.run(server_throughput.main())
    asyncio.run(import_contacts.main())
    pane_scroll.main()
