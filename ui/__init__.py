"""Qt widgets and item models bound to `sync`; no network code."""
