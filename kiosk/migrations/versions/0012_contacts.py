"""the reception log's calls, letters, e-mails and walk-ins without a ticket (seed 003 3.1.4,
3.3.1-3.3.3), praise among them; a follow-up may belong to one of them instead of a ticket

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("branch", sa.String(64), nullable=False),
        sa.Column("business_day", sa.String(10), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("counter_id", sa.Integer()),
        sa.Column("taken_by", sa.String(32)),
        sa.Column("follow_up_id", sa.Integer()),
    )
    op.create_index("ix_contacts_day", "contacts", ["branch", "business_day"])
    with op.batch_alter_table("follow_ups") as batch:
        batch.alter_column("ticket_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("contact_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("follow_ups") as batch:
        batch.drop_column("contact_id")
        batch.alter_column("ticket_id", existing_type=sa.Integer(), nullable=False)
    op.drop_index("ix_contacts_day", "contacts")
    op.drop_table("contacts")
