"""The store's tables: sites, metrics, alliances (versioned), audit, meta.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("updated_by", sa.String(128), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("subdistrict_code", sa.String(9), nullable=False),
        sa.Column("unit_code", sa.String(12), nullable=False),
        sa.Column("programs", sa.Text, nullable=False),
        sa.Column("year", sa.Integer),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("location_precision", sa.String(16), nullable=False),
        *_stamps(),
    )
    op.create_table(
        "metrics",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name_zh", sa.Text, nullable=False),
        sa.Column("name_en", sa.Text, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("qualifier", sa.String(16), nullable=False),
        sa.Column("scope_type", sa.String(16), nullable=False),
        sa.Column("scope_code", sa.String(64), nullable=False),
        sa.Column("program", sa.String(64), nullable=False),
        sa.Column("year", sa.Integer),
        sa.Column("source", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_table(
        "alliances",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("subdistrict_code", sa.String(9), nullable=False),
        sa.Column("member_codes", sa.Text, nullable=False),
        sa.Column("inferred_codes", sa.Text, nullable=False),
        sa.Column("programs", sa.Text, nullable=False),
        sa.Column("year", sa.Integer),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("membership_note", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("user", sa.String(128), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("entity", sa.String(16), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("meta", "audit", "alliances", "metrics", "sites"):
        op.drop_table(table)
