"""Reading declarations (JSON Lines, CSV, Parquet), validating them, writing rejects."""

from stce.ingest.readers import (
    TABULAR_COLUMNS,
    InputError,
    UnknownFormatError,
    detect_format,
    read_declarations,
)
from stce.ingest.rejects import Reject, RejectWriter
from stce.ingest.source import Accepted, validated_declarations
from stce.ingest.validate import DeclarationValidator

__all__ = [
    "TABULAR_COLUMNS",
    "Accepted",
    "DeclarationValidator",
    "InputError",
    "Reject",
    "RejectWriter",
    "UnknownFormatError",
    "detect_format",
    "read_declarations",
    "validated_declarations",
]
