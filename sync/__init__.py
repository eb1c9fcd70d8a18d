"""The desktop client's state: snapshots and events applied, and the offline outbox (no Qt)."""
