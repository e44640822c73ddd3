"""PostGIS: a real point geometry per site and the subdistrict areas, both spatially indexed.

Only on PostgreSQL (SQLite keeps lon/lat and the library does the geometry in Python).

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    # a stored generated column: always the record's lon/lat, whoever writes them
    op.execute(
        "ALTER TABLE sites ADD COLUMN geom geometry(Point, 4326) "
        "GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED"
    )
    op.execute("CREATE INDEX sites_geom_idx ON sites USING GIST (geom)")
    op.execute(
        "CREATE TABLE subdistrict_areas ("
        " code varchar(9) PRIMARY KEY, name text NOT NULL, schematic boolean NOT NULL,"
        " geom geometry(MultiPolygon, 4326) NOT NULL)"
    )
    op.execute("CREATE INDEX subdistrict_areas_geom_idx ON subdistrict_areas USING GIST (geom)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE subdistrict_areas")
    op.execute("DROP INDEX sites_geom_idx")
    op.execute("ALTER TABLE sites DROP COLUMN geom")
