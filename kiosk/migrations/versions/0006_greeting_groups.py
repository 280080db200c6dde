"""a greeting row per person of a group: a joined arrival names the alert it joined

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("greetings") as batch:
        batch.add_column(sa.Column("joined_to", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("greetings") as batch:
        batch.drop_column("joined_to")
