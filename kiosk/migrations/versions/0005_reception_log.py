"""the reception log: a visit's category and outcome, who called and finished it, returns after a
no-show, a manual call's reason; counters' services changed during the day and who is signed in;
follow-ups promised to customers; today's line counted from the index

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("category", sa.String(32)))
        batch.add_column(sa.Column("outcome", sa.String(16)))
        batch.add_column(sa.Column("called_by", sa.String(32)))
        batch.add_column(sa.Column("finished_by", sa.String(32)))
        batch.add_column(sa.Column("returns", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("call_note", sa.Text))
    with op.batch_alter_table("counters") as batch:
        batch.add_column(sa.Column("services", sa.Text))
        batch.add_column(sa.Column("staff_id", sa.String(32)))
        batch.add_column(sa.Column("staff_since", sa.Float))
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("branch", sa.String(64), nullable=False),
        sa.Column("ticket_id", sa.Integer, nullable=False),
        sa.Column("number", sa.String(12), nullable=False),
        sa.Column("business_day", sa.String(10), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("complaint", sa.Boolean, nullable=False),
        sa.Column("owner_counter_id", sa.Integer, nullable=False),
        sa.Column("opened_by", sa.String(32)),
        sa.Column("opened_at", sa.Float, nullable=False),
        sa.Column("due_at", sa.Float, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("contact", sa.Text),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("replied_at", sa.Float),
        sa.Column("replied_by", sa.String(32)),
        sa.Column("reply_method", sa.String(16)),
        sa.Column("reply_note", sa.Text),
        sa.Column("reopened", sa.Integer, nullable=False),
        sa.Column("overdue_alerted_at", sa.Float),
        sa.UniqueConstraint("branch", "ticket_id", name="uq_follow_up_per_ticket"),
    )
    op.create_index("ix_follow_ups_state", "follow_ups", ["branch", "state", "due_at"])
    op.create_index("ix_follow_ups_day", "follow_ups", ["branch", "business_day"])
    # "people ahead" now counts today's line only: the business day joins the index
    op.drop_index("ix_tickets_waiting", "tickets")
    op.create_index("ix_tickets_waiting", "tickets", ["branch", "state", "service", "business_day", "queue_time"])


def downgrade() -> None:
    op.drop_index("ix_tickets_waiting", "tickets")
    op.create_index("ix_tickets_waiting", "tickets", ["branch", "state", "service", "queue_time"])
    op.drop_index("ix_follow_ups_day", "follow_ups")
    op.drop_index("ix_follow_ups_state", "follow_ups")
    op.drop_table("follow_ups")
    with op.batch_alter_table("counters") as batch:
        batch.drop_column("staff_since")
        batch.drop_column("staff_id")
        batch.drop_column("services")
    with op.batch_alter_table("tickets") as batch:
        for col in ("call_note", "returns", "finished_by", "called_by", "outcome", "category"):
            batch.drop_column(col)
