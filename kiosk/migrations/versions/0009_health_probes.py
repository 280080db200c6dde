"""a row /healthz rewrites with fresh bytes: proof that the store takes a new write

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "health_probes",
        sa.Column("branch", sa.String(64), primary_key=True),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("pad", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("health_probes")
