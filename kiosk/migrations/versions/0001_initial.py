"""initial schema: branches, day numbers, tickets, counters, events, idempotency keys

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "branches",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("last_event_seq", sa.Integer, nullable=False),
    )
    op.create_table(
        "day_numbers",
        sa.Column("branch", sa.String(64), primary_key=True),
        sa.Column("business_day", sa.String(10), primary_key=True),
        sa.Column("prefix", sa.String(4), primary_key=True),
        sa.Column("last_number", sa.Integer, nullable=False),
    )
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("branch", sa.String(64), nullable=False),
        sa.Column("business_day", sa.String(10), nullable=False),
        sa.Column("issued_hour", sa.Integer, nullable=False),
        sa.Column("number", sa.String(12), nullable=False),
        sa.Column("service", sa.String(64), nullable=False),
        sa.Column("original_service", sa.String(64), nullable=False),
        sa.Column("priority", sa.Boolean, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("queue_time", sa.Float, nullable=False),
        sa.Column("issued_at", sa.Float, nullable=False),
        sa.Column("first_called_at", sa.Float),
        sa.Column("called_at", sa.Float),
        sa.Column("started_at", sa.Float),
        sa.Column("finished_at", sa.Float),
        sa.Column("counter_id", sa.Integer),
        sa.Column("owner_counter_id", sa.Integer),
        sa.Column("transfers", sa.Integer, nullable=False),
        sa.Column("recalls", sa.Integer, nullable=False),
        sa.Column("priority_run", sa.Integer, nullable=False),
        sa.Column("overtaken", sa.Integer, nullable=False),
        sa.Column("target_wait_s", sa.Float, nullable=False),
        sa.Column("estimated_wait_s", sa.Float),
        sa.Column("ahead_at_issue", sa.Integer, nullable=False),
        sa.Column("status_token", sa.String(43), nullable=False, unique=True),
        sa.Column("call_reason", sa.String(16)),
        sa.UniqueConstraint("branch", "business_day", "number", name="uq_ticket_number_per_day"),
    )
    op.create_index("ix_tickets_waiting", "tickets", ["branch", "state", "service", "queue_time"])
    op.create_index("ix_tickets_day", "tickets", ["branch", "business_day"])
    op.create_table(
        "counters",
        sa.Column("branch", sa.String(64), primary_key=True),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("current_ticket_id", sa.Integer),
        sa.Column("pause_reason", sa.Text),
        sa.Column("pause_until", sa.Float),
        sa.Column("updated_at", sa.Float, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("branch", sa.String(64), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "idempotency",
        sa.Column("branch", sa.String(64), primary_key=True),
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("scope", sa.String(64), nullable=False),
        sa.Column("response", sa.JSON, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )


def downgrade() -> None:
    for name in ("idempotency", "events", "counters", "tickets", "day_numbers", "branches"):
        op.drop_table(name)
