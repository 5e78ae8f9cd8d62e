"""On-disk cache of built name indexes, keyed by the list snapshot checksum.

Why: building the index of the full lists takes seconds and parsing the lists longer still;
a screening service or a batch job must start in well under a second when the lists have not
changed. The cache file name carries the snapshot checksum, `INDEX_FORMAT` and the name
analysis' `ANALYSIS_VERSION`, so a new list version, index layout or analysis simply misses and
rebuilds; files are written atomically (temporary file, then rename) so concurrent workers
never read half a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from stce.model import ListEntry
from stce.parties.index import NameIndex
from stce.parties.normalise import ANALYSIS_VERSION

INDEX_FORMAT = "parties-index-v6"
"""v6: each list token's neighbours and misspelt generic word kept with the index. v5: posting
lists and list-name tokens in flat arrays (read by the compiled kernel), entry sources kept at
hand, the deletion dict under `_deletes`."""


def cache_path(cache_dir: Path, checksum: str) -> Path:
    key = f"{INDEX_FORMAT}:{ANALYSIS_VERSION}:{checksum}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return cache_dir / "parties" / f"{digest}.pickle"


def load_index(cache_dir: Path, checksum: str) -> NameIndex | None:
    """The cached index for `checksum`, or None (absent, unreadable or of another format)."""
    path = cache_path(cache_dir, checksum)
    if not path.is_file():
        return None
    try:
        with path.open("rb") as fh:
            # The cache is written by this process's own user into the private data
            # directory; it is never fetched from elsewhere.
            index = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    if not isinstance(index, NameIndex) or index.checksum != checksum:
        return None
    return index


def save_index(cache_dir: Path, index: NameIndex) -> Path:
    path = cache_path(cache_dir, index.checksum)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def cached_index(
    cache_dir: Path, checksum: str, load_entries: Callable[[], Iterable[ListEntry]]
) -> NameIndex:
    """Load the index for `checksum` from the cache, or build it from `load_entries()` and save."""
    index = load_index(cache_dir, checksum)
    if index is not None:
        return index
    index = NameIndex(list(load_entries()), checksum)
    # a read-only data directory only costs the next start-up a rebuild
    with contextlib.suppress(OSError):
        save_index(cache_dir, index)
    return index
