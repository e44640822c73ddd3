"""Alembic environment: the store's schema, on SQLite and PostgreSQL/PostGIS alike.

``geo.store.schema.migrate`` runs this in-process with an open connection; the ``alembic`` command
line works too (``alembic -x url=postgresql+psycopg://... upgrade head`` from this folder's
parent, see the README).
"""

from alembic import context
from sqlalchemy import create_engine

from geo.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")


def run(conn) -> None:
    context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    with create_engine(url).connect() as conn:
        run(conn)
