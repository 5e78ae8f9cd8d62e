"""Download the official list files and import them.

Each source is a set of URLs saved under fixed file names (so that the loaders recognise them)
in `cache_dir/refdata/<name>/`. Requests are conditional (ETag / Last-Modified remembered per
URL), retried with back-off on network errors and 5xx answers, size-limited, and written to a
temporary file that replaces the cached copy only once complete. The URLs are configurable: a
YAML file named by `STCE_REFDATA_SOURCES` (or passed explicitly) maps names to
`{files: {file name: url}, main: file name}` and replaces the defaults below.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import orjson
import yaml

from stce.config import Settings

MAX_DOWNLOAD = 1 << 30
"""Largest file accepted (1 GiB); the SDN Advanced XML is about 121 MB."""


@dataclass(frozen=True)
class OfficialSource:
    name: str
    files: dict[str, str]
    """file name -> URL"""
    main: str
    """The file that is imported (others are companions read with it)."""


OFFICIAL: tuple[OfficialSource, ...] = (
    OfficialSource(
        "un-sc",
        {"consolidated.xml": "https://scsanctions.un.org/resources/xml/en/consolidated.xml"},
        "consolidated.xml",
    ),
    OfficialSource(
        "ofac-sdn",
        {
            "sdn_advanced.xml": "https://sanctionslistservice.ofac.treas.gov/api/"
            "PublicationPreview/exports/SDN_ADVANCED.XML"
        },
        "sdn_advanced.xml",
    ),
    OfficialSource(
        "ofac-cons",
        {
            name: f"https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
            f"{name.upper()}"
            for name in ("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv")
        },
        "cons_prim.csv",
    ),
    OfficialSource(
        "eu-fsf",
        {
            "eu_fsf.xml": "https://webgate.ec.europa.eu/fsd/fsf/public/files/"
            "xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw"
        },
        "eu_fsf.xml",
    ),
    OfficialSource(
        "uk-fcdo",
        {"UK-Sanctions-List.xml": "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"},
        "UK-Sanctions-List.xml",
    ),
    OfficialSource("us-bis-dpl", {"dpl.txt": "https://www.bis.doc.gov/dpl/dpl.txt"}, "dpl.txt"),
)


def load_sources(path: Path | None = None) -> list[OfficialSource]:
    """The configured sources: the YAML file given (or named by STCE_REFDATA_SOURCES), else the
    official defaults."""
    chosen = path or (
        Path(os.environ["STCE_REFDATA_SOURCES"]) if os.environ.get("STCE_REFDATA_SOURCES") else None
    )
    if chosen is None:
        return list(OFFICIAL)
    data = yaml.safe_load(chosen.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{chosen}: expected a mapping of source name -> {{files, main}}")
    out = []
    for name, spec in data.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("files"), dict):
            raise ValueError(f"{chosen}: source {name!r} needs a 'files' mapping")
        files = {str(k): str(v) for k, v in spec["files"].items()}
        main = str(spec.get("main") or next(iter(files)))
        if main not in files:
            raise ValueError(f"{chosen}: source {name!r}: main file {main!r} not in files")
        out.append(OfficialSource(str(name), files, main))
    return out


@dataclass
class Download:
    source: str
    path: Path
    changed: bool
    message: str
    files: list[Path] = field(default_factory=list)


class DownloadError(RuntimeError):
    pass


def _validators_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.http.json")


def fetch(
    client: httpx.Client,
    url: str,
    target: Path,
    *,
    retries: int = 3,
    backoff: float = 1.0,
    max_bytes: int = MAX_DOWNLOAD,
) -> bool:
    """Download `url` to `target` unless unchanged (True when a new copy was written)."""
    headers: dict[str, str] = {}
    vpath = _validators_path(target)
    if target.exists() and vpath.exists():
        saved = orjson.loads(vpath.read_bytes())
        if saved.get("url") == url:
            if saved.get("etag"):
                headers["If-None-Match"] = saved["etag"]
            if saved.get("last_modified"):
                headers["If-Modified-Since"] = saved["last_modified"]
    last_error: Exception | None = None
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            with client.stream("GET", url, headers=headers) as resp:
                if resp.status_code == 304:
                    return False
                if resp.status_code >= 500:
                    last_error = DownloadError(f"{url}: HTTP {resp.status_code}")
                    continue
                if resp.status_code != 200:
                    raise DownloadError(f"{url}: HTTP {resp.status_code}")
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=".dl-", dir=target.parent)
                size = 0
                try:
                    with os.fdopen(fd, "wb") as fh:
                        for block in resp.iter_bytes(1 << 20):
                            size += len(block)
                            if size > max_bytes:
                                raise DownloadError(f"{url}: larger than {max_bytes} bytes")
                            fh.write(block)
                    os.replace(tmp, target)
                except BaseException:
                    Path(tmp).unlink(missing_ok=True)
                    raise
                vpath.write_bytes(
                    orjson.dumps(
                        {
                            "url": url,
                            "etag": resp.headers.get("etag"),
                            "last_modified": resp.headers.get("last-modified"),
                        }
                    )
                )
                return True
        except httpx.TransportError as exc:
            last_error = exc
    raise DownloadError(f"{url}: failed after {retries + 1} attempts: {last_error}")


def download_all(
    settings: Settings,
    sources: list[OfficialSource],
    *,
    client: httpx.Client | None = None,
    retries: int = 3,
    backoff: float = 1.0,
) -> list[Download | DownloadError]:
    """Fetch every source's files; one failing source does not stop the others."""
    own = client is None
    client = client or httpx.Client(
        timeout=httpx.Timeout(60.0, connect=15.0),
        follow_redirects=True,
        headers={"User-Agent": "stce-refdata/0.1"},
    )
    out: list[Download | DownloadError] = []
    try:
        for src in sources:
            folder = settings.cache_dir / "refdata" / src.name
            try:
                changed = False
                files = []
                for fname, url in src.files.items():
                    target = folder / fname
                    changed |= fetch(client, url, target, retries=retries, backoff=backoff)
                    files.append(target)
                out.append(
                    Download(
                        src.name,
                        folder / src.main,
                        changed,
                        "downloaded" if changed else "not modified",
                        files,
                    )
                )
            except (DownloadError, OSError) as exc:
                out.append(DownloadError(f"{src.name}: {exc}"))
    finally:
        if own:
            client.close()
    return out
