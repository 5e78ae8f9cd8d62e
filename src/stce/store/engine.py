"""Engine and session factory; the schema is brought up to date with Alembic on first use."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

import orjson
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from stce.config import get_settings

MIGRATIONS = Path(__file__).parent / "migrations"
_lock = threading.Lock()


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


@cache
def _engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        pool_pre_ping=True,
        json_serializer=lambda obj: orjson.dumps(obj).decode(),
        json_deserializer=orjson.loads,
    )
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    with _lock:
        upgrade(engine)
    return engine


def upgrade(engine: Engine) -> None:
    """Apply every Alembic migration not yet applied (idempotent)."""
    cfg = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: STCE_DATABASE_URL or the SQLite file in the data dir)."""
    return _engine(url or get_settings().database_url)


def session_factory(url: str | None = None) -> sessionmaker[Session]:
    return sessionmaker(get_engine(url), expire_on_commit=False)
