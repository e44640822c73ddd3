"""Figures over time: a site's end year, a figure's quarter, target and good direction.

- ``sites.end_year`` (integer, null): the year a site was merged or closed (撤并/停用); the map
  of a year shows a site from its ``year`` up to the year before its end year.
- ``metrics.quarter`` (integer 1-4, null): the quarter of a figure an office reports quarterly.
- ``metrics.target`` (float, null) and ``metrics.target_source`` (text): the period's target
  (目标值) and the document that sets it.
- ``metrics.better`` (``up`` | ``down`` | ``none``, default ``up``): which direction of change
  is good for the figure (the cards' colours).

Revision ID: 0007
Revises: 0006
"""

import warnings

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


#: The new columns, per table.
COLUMNS = {
    "sites": (sa.Column("end_year", sa.Integer),),
    "metrics": (
        sa.Column("quarter", sa.Integer),
        sa.Column("target", sa.Float),
        sa.Column("target_source", sa.Text, nullable=False, server_default=""),
        sa.Column("better", sa.String(8), nullable=False, server_default="up"),
    ),
}


def _columns(table: str) -> set[str]:
    with warnings.catch_warnings():  # PostGIS' geometry type is unknown to plain SQLAlchemy
        warnings.simplefilter("ignore", sa.exc.SAWarning)
        return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    # (a store created unversioned by metadata.create_all and stamped 0001 has them already)
    for table, columns in COLUMNS.items():
        present = _columns(table)
        for column in columns:
            if column.name not in present:
                op.add_column(table, column)


def downgrade() -> None:
    with op.batch_alter_table("metrics") as batch:
        for column in ("better", "target_source", "target", "quarter"):
            batch.drop_column(column)
    with op.batch_alter_table("sites") as batch:
        batch.drop_column("end_year")
