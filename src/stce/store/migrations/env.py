"""Alembic environment: runs against the connection handed over by `stce.store.engine`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import stce.store.licences
import stce.store.movements
import stce.store.parties  # registers the tables
import stce.store.refdata
import stce.store.risk  # registers the risk tables
import stce.store.tables  # noqa: F401  (registers the tables)
from stce.store.base import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
        with engine.begin() as conn:
            context.configure(connection=conn, target_metadata=target_metadata)
            context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=target_metadata)
    context.run_migrations()


run()
