"""Where stce keeps its data and which database and mirror it uses.

Everything comes from environment variables so that a service, a batch job and a Dask worker
agree without a config file:

- `STCE_DATA_DIR`: data directory (database, caches, list snapshots). Default: the user's data
  directory from platformdirs.
- `STCE_DATABASE_URL`: SQLAlchemy URL. Default: SQLite file `stce.db` in the data directory.
- `STCE_MIRROR`: offline mirror of official reference files (sanctions lists, HS nomenclature,
  control data). Default: `../shared/data` next to the working directory, where it exists.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "stce"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    mirror: Path | None

    @property
    def snapshots_dir(self) -> Path:
        return self.data_dir / "snapshots"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"


def _default_mirror() -> Path | None:
    for candidate in (Path.cwd() / ".." / "shared" / "data", Path.cwd() / "shared" / "data"):
        if candidate.is_dir():
            return candidate.resolve()
    return None


def get_settings() -> Settings:
    """Read the settings afresh (tests change the environment between calls)."""
    data_dir = Path(os.environ.get("STCE_DATA_DIR") or platformdirs.user_data_dir(APP_NAME))
    db_url = os.environ.get("STCE_DATABASE_URL") or f"sqlite:///{data_dir / 'stce.db'}"
    mirror_env = os.environ.get("STCE_MIRROR")
    mirror = Path(mirror_env).resolve() if mirror_env else _default_mirror()
    return Settings(data_dir=data_dir, database_url=db_url, mirror=mirror)
