"""indexes that let call-next read the head of the line instead of the whole line

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tickets_line", "tickets", ["branch", "state", "service", "priority", "queue_time", "id"])
    op.create_index("ix_tickets_runs", "tickets", ["branch", "state", "service", "priority_run"])


def downgrade() -> None:
    op.drop_index("ix_tickets_runs", "tickets")
    op.drop_index("ix_tickets_line", "tickets")
