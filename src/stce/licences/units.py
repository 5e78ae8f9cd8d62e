"""Units of measure for licence items, declarations and free-zone stock.

Licences, declarations and operator stock reports name units in many ways ("kg", "KGM", "kilogram",
"pcs", "u"). Everything is normalised to the UN/ECE Recommendation 20 common codes (the codes the
WCO Data Model uses for supplementary units), and quantities in related units (g/kg/t, l/m3, m/km)
are converted to one base unit per dimension so that a licence in tonnes can be written off by a
declaration in kilograms.

Source of the codes: UN/ECE Recommendation No. 20, "Codes for Units of Measure Used in
International Trade", Annex I (e.g. KGM kilogram, GRM gram, TNE tonne, LTR litre, MTQ cubic metre,
MTK square metre, MTR metre, H87 piece, NAR number of articles, SET set, PR pair, CT carton).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    code: str
    """UN/ECE Rec 20 code."""
    dimension: str
    """mass, volume, length, area, count, ...: quantities compare only within one."""
    factor: float
    """How many base units of the dimension one of this unit is (kg, l, m, m2, piece, ...)."""


_UNITS: dict[str, Unit] = {
    "GRM": Unit("GRM", "mass", 0.001),
    "KGM": Unit("KGM", "mass", 1.0),
    "TNE": Unit("TNE", "mass", 1000.0),
    "MGM": Unit("MGM", "mass", 0.000001),
    "LTR": Unit("LTR", "volume", 1.0),
    "MLT": Unit("MLT", "volume", 0.001),
    "MTQ": Unit("MTQ", "volume", 1000.0),
    "MTR": Unit("MTR", "length", 1.0),
    "KMT": Unit("KMT", "length", 1000.0),
    "MTK": Unit("MTK", "area", 1.0),
    "H87": Unit("H87", "count", 1.0),
    "NAR": Unit("NAR", "count", 1.0),
    "SET": Unit("SET", "set", 1.0),
    "PR": Unit("PR", "pair", 1.0),
    "CT": Unit("CT", "carton", 1.0),
    "KWH": Unit("KWH", "energy", 1.0),
    "CUR": Unit("CUR", "radioactivity", 3.7e10),
    "GBQ": Unit("GBQ", "radioactivity", 1e9),
}

_ALIASES: dict[str, str] = {
    "g": "GRM",
    "gram": "GRM",
    "grams": "GRM",
    "kg": "KGM",
    "kgs": "KGM",
    "kilogram": "KGM",
    "kilograms": "KGM",
    "t": "TNE",
    "tonne": "TNE",
    "tonnes": "TNE",
    "mt": "TNE",
    "mg": "MGM",
    "l": "LTR",
    "litre": "LTR",
    "liter": "LTR",
    "litres": "LTR",
    "ml": "MLT",
    "m3": "MTQ",
    "cbm": "MTQ",
    "m": "MTR",
    "metre": "MTR",
    "meter": "MTR",
    "km": "KMT",
    "m2": "MTK",
    "sqm": "MTK",
    "pc": "H87",
    "pcs": "H87",
    "piece": "H87",
    "pieces": "H87",
    "p/st": "NAR",
    "u": "NAR",
    "unit": "NAR",
    "units": "NAR",
    "item": "NAR",
    "items": "NAR",
    "set": "SET",
    "sets": "SET",
    "pair": "PR",
    "pairs": "PR",
    "carton": "CT",
    "kwh": "KWH",
    "ci": "CUR",
    "gbq": "GBQ",
}
# Pieces and number of articles are the same count for write-off purposes.
_COUNT = {"H87", "NAR"}


class UnknownUnitError(ValueError):
    """The unit is neither a known UN/ECE Rec 20 code nor a known alias."""


def normalise_unit(raw: str) -> str:
    """The Rec 20 code for `raw` (case-insensitive); raises UnknownUnitError otherwise."""
    text = raw.strip()
    if text.upper() in _UNITS:
        return text.upper()
    code = _ALIASES.get(text.lower())
    if code is None:
        raise UnknownUnitError(
            f"unknown unit {raw!r} (use a UN/ECE Rec 20 code such as KGM, LTR, NAR)"
        )
    return code


def is_known_unit(raw: str) -> bool:
    try:
        normalise_unit(raw)
    except UnknownUnitError:
        return False
    return True


def convert(quantity: float, from_unit: str, to_unit: str) -> float | None:
    """`quantity` in `from_unit` expressed in `to_unit`, or None when the dimensions differ."""
    a = _UNITS[normalise_unit(from_unit)]
    b = _UNITS[normalise_unit(to_unit)]
    if a.code == b.code or (a.code in _COUNT and b.code in _COUNT):
        return quantity
    if a.dimension != b.dimension:
        return None
    return quantity * a.factor / b.factor


def base_unit(raw: str) -> str:
    """The base unit of the dimension of `raw` (KGM for mass, LTR for volume, NAR for counts)."""
    u = _UNITS[normalise_unit(raw)]
    if u.code in _COUNT:
        return "NAR"
    for code, other in _UNITS.items():
        if other.dimension == u.dimension and other.factor == 1.0:
            return code
    return u.code
