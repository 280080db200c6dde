"""booked appointments, a ticket's appointment time, and the range its wait estimate was quoted in

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("appointment_at", sa.Float()))
        batch.add_column(sa.Column("estimate_low_s", sa.Float()))
        batch.add_column(sa.Column("estimate_high_s", sa.Float()))
        batch.add_column(sa.Column("estimate_model_s", sa.Float()))
    op.create_index("ix_tickets_called", "tickets", ["branch", "service", "priority", "first_called_at"])
    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("branch", sa.String(64), nullable=False),
        sa.Column("ref", sa.String(16), nullable=False),
        sa.Column("service", sa.String(64), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("business_day", sa.String(10), nullable=False),
        sa.Column("early_s", sa.Float(), nullable=False),
        sa.Column("late_s", sa.Float(), nullable=False),
        sa.Column("name", sa.String(80)),
        sa.Column("phone", sa.String(32)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("ticket_id", sa.Integer()),
        sa.Column("checked_in_at", sa.Float()),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.UniqueConstraint("branch", "ref", name="uq_appointment_ref"),
    )
    op.create_index("ix_appointments_day", "appointments", ["branch", "business_day", "service"])


def downgrade() -> None:
    op.drop_index("ix_appointments_day", table_name="appointments")
    op.drop_table("appointments")
    op.drop_index("ix_tickets_called", table_name="tickets")
    with op.batch_alter_table("tickets") as batch:
        for col in ("estimate_model_s", "estimate_high_s", "estimate_low_s", "appointment_at"):
            batch.drop_column(col)
