"""Official reference data: sanctions and denied-party lists, the HS nomenclature; versioned."""

from stce.refdata.hs import HsNomenclature, HsStatus, load_hs

__all__ = ["HsNomenclature", "HsStatus", "load_hs"]
