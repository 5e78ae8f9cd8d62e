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
        versions_text = ""
        for r in results:
            hits = [h.public() for h in r.hits]
            versions = self._versions_json(r.versions)
            if not versions_text:
                versions_text = versions.decode()
            score = round(r.score, 4)
            row = {
                "declaration_id": r.declaration_id,
                "lane": r.lane.value,
                "score": score,
                "hits": hits,
                "explanation": r.explanation,
            }
            lines.append(orjson.dumps(row)[:-1])
            lines.append(b',"versions":' + versions + b"}\n")
            cols["declaration_id"].append(r.declaration_id)
            cols["lane"].append(r.lane.value)
            cols["score"].append(score)
            cols["hits"].append(
                [{**h, "evidence": orjson.dumps(h["evidence"]).decode()} for h in hits]
                if hits
                else []
            )
            cols["explanation"].append(r.explanation)
            cols["versions"].append(versions_text)
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
