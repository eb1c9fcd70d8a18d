"""The `agent-inbox` desktop application."""
