"""indexes for the checked-in appointments in a line and a service's last service times, so
call-next and a new ticket's estimate do not grow with the line or with the days kept

Revision ID: 0015
Revises: 0014
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tickets_booked", "tickets", ["branch", "state", "service", "appointment_at"])
    op.create_index("ix_tickets_finished", "tickets", ["branch", "state", "service", "finished_at"])


def downgrade() -> None:
    op.drop_index("ix_tickets_finished", "tickets")
    op.drop_index("ix_tickets_booked", "tickets")
