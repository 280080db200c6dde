"""the web manager view's sessions (only a hash of each cookie's secret), and the devices that
call the server with when each was last heard from, its version and its clock's offset; and each backup made

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "manager_sessions",
        sa.Column("secret_hash", sa.String(64), primary_key=True),
        sa.Column("branch", sa.String(64), nullable=False),
        sa.Column("staff_id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("seen_at", sa.Float(), nullable=False),
    )
    op.create_table(
        "devices_seen",
        sa.Column("branch", sa.String(64), primary_key=True),
        sa.Column("device", sa.String(80), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("last_seen", sa.Float(), nullable=False),
        sa.Column("version", sa.String(40), nullable=False),
        sa.Column("clock_offset_s", sa.Float(), nullable=True),
    )
    op.create_table(
        "backups",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("branch", sa.String(64), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("backups")
    op.drop_table("devices_seen")
    op.drop_table("manager_sessions")
