"""Official reference data: sanctions and denied-party lists, the HS nomenclature; versioned.

For screening: `current_lists(settings)` (entries, versions and one checksum of the current
snapshots), or separately `current_entries(settings)`, `current_versions(settings)` (slot ->
snapshot id, copied into every result) and `current_checksum(settings)`. For one file:
`iter_entries(path)`.
"""

from stce.refdata.errors import ListFormatError, SnapshotError
from stce.refdata.hs import HsNomenclature, HsStatus, load_hs
from stce.refdata.importing import DirectoryImport, import_directory
from stce.refdata.loaders import ListSource, iter_entries, list_sources, recognise
from stce.refdata.snapshots import (
    CurrentLists,
    ImportOutcome,
    ImportResult,
    SnapshotMeta,
    SnapshotStatus,
    confirm_snapshot,
    current_checksum,
    current_entries,
    current_lists,
    current_versions,
    import_file,
    read_index,
    snapshot_entries,
)

__all__ = [
    "CurrentLists",
    "DirectoryImport",
    "HsNomenclature",
    "HsStatus",
    "ImportOutcome",
    "ImportResult",
    "ListFormatError",
    "ListSource",
    "SnapshotError",
    "SnapshotMeta",
    "SnapshotStatus",
    "confirm_snapshot",
    "current_checksum",
    "current_entries",
    "current_lists",
    "current_versions",
    "import_directory",
    "import_file",
    "iter_entries",
    "list_sources",
    "load_hs",
    "read_index",
    "recognise",
    "snapshot_entries",
]
