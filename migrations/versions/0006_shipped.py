"""Shipped records as last brought in: so that a data correction shipped with a new version
reaches a store seeded before it, without undoing what an office edited (geo.store.shipped).

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
    op.create_table(
        "shipped",
        sa.Column("entity", sa.String(16), primary_key=True),
        sa.Column("record_id", sa.String(64), primary_key=True),
        sa.Column("record", sa.Text),
        sa.Column("pending", sa.Text),
        sa.Column("at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("shipped")
