"""Schema version 4: Alembic keeps the schema's revision (`alembic_version`).

No table changes. `schema_version` says 4 from now on, so that a server from before Alembic
(which knows versions up to 3) refuses this database instead of changing it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Mark the database as one that Alembic migrates."""
    op.execute(sa.text("UPDATE schema_version SET version = 4"))


def downgrade() -> None:
    """Back to version 3."""
    op.execute(sa.text("UPDATE schema_version SET version = 3"))
