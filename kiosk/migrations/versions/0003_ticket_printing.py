"""tickets remember the kiosk that printed them, their language, and how often they were reprinted

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("issued_by", sa.String(64)))
        batch.add_column(sa.Column("language", sa.String(8)))
        batch.add_column(sa.Column("reprints", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("reprints")
        batch.drop_column("language")
        batch.drop_column("issued_by")
