"""greeting log: one row per arrival in the zone

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "greetings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("branch", sa.String(64), nullable=False),
        sa.Column("business_day", sa.String(10), nullable=False),
        sa.Column("arrival_at", sa.Float, nullable=False),
        sa.Column("alerted", sa.Boolean, nullable=False),
        sa.Column("sources", sa.String(200), nullable=False),
        sa.Column("distance_m", sa.Float),
        sa.Column("repeats", sa.Integer, nullable=False),
        sa.Column("escalated_at", sa.Float),
        sa.Column("confirmed_at", sa.Float),
        sa.Column("confirmed_by", sa.Integer),
    )
    op.create_index("ix_greetings_day", "greetings", ["branch", "business_day"])


def downgrade() -> None:
    op.drop_table("greetings")
