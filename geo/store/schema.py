"""The store's schema: one SQLAlchemy table per entity (sites, metrics, alliances, areas,
units, mappings, the geocoding cache, the audit trail, meta), the columns each entity's frame
has, and the Alembic migrations that bring a database to the newest schema."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from geo.config import PROJECT_DIR
from geo.data import io

metadata = sa.MetaData()


def _record_table(name: str, *columns: sa.Column) -> sa.Table:
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.String(64), primary_key=True),
        *columns,
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("updated_by", sa.String(128), nullable=False),
    )


sites_table = _record_table(
    "sites",
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
    sa.Column("inferred", sa.Boolean, nullable=False, server_default=sa.false()),  # 0003
    sa.Column("end_year", sa.Integer),  # 0007
)


metrics_table = _record_table(
    "metrics",
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
    sa.Column("period", sa.String(16), nullable=False, server_default="year"),  # 0003
    sa.Column("quarter", sa.Integer),  # 0007
    sa.Column("target", sa.Float),  # 0007
    sa.Column("target_source", sa.Text, nullable=False, server_default=""),  # 0007
    sa.Column("better", sa.String(8), nullable=False, server_default="up"),  # 0007
)


alliances_table = _record_table(
    "alliances",
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
)


areas_table = _record_table(
    "areas",
    sa.Column("code", sa.String(9), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("geometry", sa.Text, nullable=False),
    sa.Column("schematic", sa.Integer, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
)


units_table = _record_table(
    "unit_locations",
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("location_precision", sa.String(16), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
)


#: A site's last verification on the spot (核实): when and by whom (``id`` = the site's id).
verifications_table = _record_table(
    "verifications",
    sa.Column("verified_on", sa.String(10), nullable=False),
    sa.Column("verified_by", sa.String(128), nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
)


mappings_table = _record_table(
    "import_mappings",
    sa.Column("headers", sa.Text, nullable=False),
    sa.Column("mapping", sa.Text, nullable=False),
)


geocode_table = sa.Table(
    "geocode_cache",
    metadata,
    sa.Column("address", sa.String(512), primary_key=True),
    sa.Column("lon", sa.Float),
    sa.Column("lat", sa.Float),
    sa.Column("level", sa.String(64), nullable=False),
    sa.Column("location_precision", sa.String(16), nullable=False),
    sa.Column("provider", sa.String(64), nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
)


audit_table = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("user", sa.String(128), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("entity", sa.String(16), nullable=False),
    sa.Column("record_id", sa.String(64), nullable=False),
    sa.Column("before", sa.Text),
    sa.Column("after", sa.Text),
    sa.Column("submitted_by", sa.String(128), nullable=False, server_default=""),  # 0005
)


#: Changes of a subdistrict editor waiting for a reviewer (``pending``), sent back with a reason
#: (``returned``) or applied (``published``): the changes as JSON, the subdistricts they touch.
submissions_table = sa.Table(
    "submissions",
    metadata,
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


#: Each shipped record (data/) as it was when last brought into the store, and a newer shipped
#: version not brought in because an office had edited the record (a conflict): see
#: :mod:`geo.store.shipped`. ``record`` and ``pending`` are JSON. (0006)
shipped_table = sa.Table(
    "shipped",
    metadata,
    sa.Column("entity", sa.String(16), primary_key=True),
    sa.Column("record_id", sa.String(64), primary_key=True),
    sa.Column("record", sa.Text),
    sa.Column("pending", sa.Text),
    sa.Column("at", sa.String(32), nullable=False),
)


meta_table = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


#: Every versioned, audited entity: the records, the official areas (``id`` = 9-digit code),
#: the placed villages/communities (``id`` = 12-digit code), the remembered ledger mappings,
#: the sites' verifications (``id`` = the site's id).
TABLES = {
    "sites": sites_table,
    "metrics": metrics_table,
    "alliances": alliances_table,
    "areas": areas_table,
    "units": units_table,
    "mappings": mappings_table,
    "verifications": verifications_table,
}


COLUMNS = {
    "sites": io.SITE_COLUMNS,
    "metrics": io.METRIC_COLUMNS,
    "alliances": io.ALLIANCE_COLUMNS,
    "areas": io.AREA_COLUMNS,
    "units": io.UNIT_LOCATION_COLUMNS,
    "mappings": io.MAPPING_COLUMNS,
    "verifications": io.VERIFICATION_COLUMNS,
}


INTEGER_COLUMNS = ("year", "schematic", "end_year", "quarter")


NUMBER_COLUMNS = (
    "lon",
    "lat",
    "value",
    "year",
    "schematic",
    "inferred",
    "end_year",
    "quarter",
    "target",
)


MIGRATIONS_DIR = PROJECT_DIR / "migrations"


#: Any number, the same for every instance: serialises schema upgrades on PostgreSQL.
MIGRATION_LOCK = 370103


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to the newest migration (Alembic), the same on SQLite and PostgreSQL.

    A store made before migrations existed (tables, no ``alembic_version``) is stamped at the
    first revision first. On PostgreSQL an advisory lock keeps instances starting together
    from upgrading at the same time.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The store's database; the upgrade runs in one transaction on it.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        config.attributes["connection"] = conn
        inspector = sa.inspect(conn)
        if inspector.has_table("sites") and not inspector.has_table("alembic_version"):
            command.stamp(config, "0001")
        command.upgrade(config, "head")


def table_of(entity: str) -> sa.Table:
    """The table of an entity.

    Parameters
    ----------
    entity
        A key of :data:`TABLES` (``sites``, ``metrics``, ``alliances``, ``areas``, ``units``,
        ``mappings``).

    Returns
    -------
    sqlalchemy.Table
        Its table.

    Raises
    ------
    ValueError
        If ``entity`` is not a key of :data:`TABLES` (the message lists them).
    """
    if entity not in TABLES:
        raise ValueError(f"entity must be one of {tuple(TABLES)}, got {entity!r}")
    return TABLES[entity]
