"""Official subdistrict areas, placed villages/communities, remembered ledger mappings (all
versioned records, audited like the others) and the geocoder's cache.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
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
        "areas",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("code", sa.String(9), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("geometry", sa.Text, nullable=False),
        sa.Column("schematic", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_table(
        "unit_locations",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("location_precision", sa.String(16), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_table(
        "import_mappings",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("headers", sa.Text, nullable=False),
        sa.Column("mapping", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_table(
        "geocode_cache",
        sa.Column("address", sa.String(512), primary_key=True),
        sa.Column("lon", sa.Float),
        sa.Column("lat", sa.Float),
        sa.Column("level", sa.String(64), nullable=False),
        sa.Column("location_precision", sa.String(16), nullable=False),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    for table in ("geocode_cache", "import_mappings", "unit_locations", "areas"):
        op.drop_table(table)
