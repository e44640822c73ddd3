"""Review before publishing and verified locations: submissions waiting for a reviewer, who
submitted a published change (in the audit trail), and each site's last verification.

Revision ID: 0005
Revises: 0004
"""

import warnings

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _columns(table: str) -> set[str]:
    with warnings.catch_warnings():  # PostGIS' geometry type is unknown to plain SQLAlchemy
        warnings.simplefilter("ignore", sa.exc.SAWarning)
        return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("user", sa.String(128), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("subdistricts", sa.Text, nullable=False),
        sa.Column("changes", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("reviewed_by", sa.String(128), nullable=False, server_default=""),
        sa.Column("reviewed_at", sa.String(32), nullable=False, server_default=""),
    )
    op.create_table(
        "verifications",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("verified_on", sa.String(10), nullable=False),
        sa.Column("verified_by", sa.String(128), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("updated_by", sa.String(128), nullable=False),
    )
    # (a store created unversioned by metadata.create_all and stamped 0001 has it already)
    if "submitted_by" in _columns("audit"):
        return
    with op.batch_alter_table("audit") as batch:
        batch.add_column(
            sa.Column("submitted_by", sa.String(128), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("submitted_by")
    op.drop_table("verifications")
    op.drop_table("submissions")
