"""Sites say whether they are inferred; metrics say their period (a year, or to date).

- ``sites.inferred`` (boolean, default false): the record's identity or placement is inferred,
  not stated by its source (the description says from what).
- ``metrics.period`` (``year`` | ``to_date``, default ``year``): ``year`` is the value of that
  year; ``to_date`` a total or state as of that year ("截至").

A store seeded from data/ before this revision gets the values the corrected data/ gives its
records, but only records nobody has edited since the seed (version 1, written by the seed):
an edited record keeps the defaults, and its editor decides.

Revision ID: 0003
Revises: 0002
"""

import warnings

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SEED_USER = "system:seed"
#: data/metrics.csv ids whose figure is a total or state as of 2024 (all but m-secondment; the
#: two 玉符泉源 figures came with this revision, listed so a downgrade and upgrade keep them).
TO_DATE_METRICS = (
    "m-fs-projects",
    "m-fs-income",
    "m-fs-promoted",
    "m-yufu-villages",
    "m-yufu-demo-share",
    "m-yufu-leader-age",
    "m-five-models",
    "m-dougou-500k",
    "m-dougou-1m",
    "m-chunyuanli-problems",
    "m-property-party",
    "m-riders-grid",
    "m-mengxiangjia-area",
    "m-two-new-demo",
    "m-brands",
)
#: data/sites.csv ids whose identity (西渴马东村 from the OCR "西东") or subdistrict
#: (山东数字产业大厦, from the 梦享家 centre) is inferred.
INFERRED_SITES = ("v-370103021209", "demo-sddi")


def _has_column(table: str, column: str) -> bool:
    with warnings.catch_warnings():  # PostGIS' geometry type is unknown to plain SQLAlchemy
        warnings.simplefilter("ignore", sa.exc.SAWarning)
        return column in {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    # (a store created unversioned by metadata.create_all and stamped 0001 may have them already)
    if not _has_column("sites", "inferred"):
        op.add_column(
            "sites", sa.Column("inferred", sa.Boolean, nullable=False, server_default=sa.false())
        )
    if not _has_column("metrics", "period"):
        op.add_column(
            "metrics", sa.Column("period", sa.String(16), nullable=False, server_default="year")
        )
    seeded = "updated_by = :user AND version = 1"
    op.get_bind().execute(
        sa.text(f"UPDATE metrics SET period = 'to_date' WHERE {seeded} AND id IN :ids").bindparams(
            sa.bindparam("ids", expanding=True)
        ),
        {"user": SEED_USER, "ids": list(TO_DATE_METRICS)},
    )
    op.get_bind().execute(
        sa.text(f"UPDATE sites SET inferred = :yes WHERE {seeded} AND id IN :ids").bindparams(
            sa.bindparam("ids", expanding=True), sa.bindparam("yes", type_=sa.Boolean)
        ),
        {"user": SEED_USER, "ids": list(INFERRED_SITES), "yes": True},
    )


def downgrade() -> None:
    with op.batch_alter_table("metrics") as batch:
        batch.drop_column("period")
    with op.batch_alter_table("sites") as batch:
        batch.drop_column("inferred")
