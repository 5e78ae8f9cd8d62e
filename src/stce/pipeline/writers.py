"""Result writers: JSON Lines and Parquet, appended batch by batch (bounded memory)."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import IO, Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from stce.model import ScreeningResult

HIT_TYPE = pa.struct(
    [
        ("check", pa.string()),
        ("code", pa.string()),
        ("severity", pa.string()),
        ("score", pa.float64()),
        ("message", pa.string()),
        ("evidence", pa.string()),  # JSON text: evidence differs per check
    ]
)
RESULT_SCHEMA = pa.schema(
    [
        ("declaration_id", pa.string()),
        ("lane", pa.string()),
        ("score", pa.float64()),
        ("hits", pa.list_(HIT_TYPE)),
        ("explanation", pa.string()),
        ("versions", pa.string()),  # JSON text
    ]
)


class ResultWriter:
    """Writes `results.jsonl` and `results.parquet` side by side."""

    def __init__(self, out_dir: Path) -> None:
        self.jsonl_path = out_dir / "results.jsonl"
        self.parquet_path = out_dir / "results.parquet"
        self._jsonl: IO[bytes] = self.jsonl_path.open("wb")
        self._parquet = pq.ParquetWriter(self.parquet_path, RESULT_SCHEMA, compression="zstd")
        self._versions_cache: tuple[int, bytes] | None = None
        self.count = 0

    def _versions_json(self, versions: dict[str, Any]) -> bytes:
        # Every row of a run shares one versions dict: serialise it once.
        key = id(versions)
        if self._versions_cache is None or self._versions_cache[0] != key:
            self._versions_cache = (key, orjson.dumps(versions, option=orjson.OPT_SORT_KEYS))
        return self._versions_cache[1]

    def write_batch(self, results: list[ScreeningResult]) -> None:
        if not results:
            return
        lines = []
        cols: dict[str, list[Any]] = {name: [] for name in RESULT_SCHEMA.names}
        for r in results:
            row = r.public()
            versions = self._versions_json(r.versions)
            lines.append(orjson.dumps({k: v for k, v in row.items() if k != "versions"})[:-1])
            lines.append(b',"versions":' + versions + b"}\n")
            cols["declaration_id"].append(row["declaration_id"])
            cols["lane"].append(row["lane"])
            cols["score"].append(row["score"])
            cols["hits"].append(
                [{**h, "evidence": orjson.dumps(h["evidence"]).decode()} for h in row["hits"]]
            )
            cols["explanation"].append(row["explanation"])
            cols["versions"].append(versions.decode())
        self._jsonl.write(b"".join(lines))
        self._parquet.write_table(pa.table(cols, schema=RESULT_SCHEMA))
        self.count += len(results)

    def close(self) -> None:
        self._jsonl.close()
        self._parquet.close()

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
