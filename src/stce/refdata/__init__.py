"""Official reference data: sanctions and denied-party lists, the HS nomenclature; versioned."""

from stce.refdata.errors import ListFormatError, SnapshotError
from stce.refdata.hs import HsNomenclature, HsStatus, load_hs
from stce.refdata.loaders import ListSource, iter_entries, list_sources, recognise

__all__ = [
    "HsNomenclature",
    "HsStatus",
    "ListFormatError",
    "ListSource",
    "SnapshotError",
    "iter_entries",
    "list_sources",
    "load_hs",
    "recognise",
]
