"""phone numbers customers gave for a text message at a few ahead and at their call: kept only
while their ticket is in line (erased when it ends), never on the event stream or in the log

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "text_requests",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("branch", sa.String(64), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("asked_at", sa.Float(), nullable=False),
        sa.Column("near_sent_at", sa.Float()),
        sa.Column("called_sent_at", sa.Float()),
        sa.UniqueConstraint("branch", "ticket_id", name="uq_text_request_per_ticket"),
    )


def downgrade() -> None:
    op.drop_table("text_requests")
