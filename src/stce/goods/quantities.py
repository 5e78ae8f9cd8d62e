"""Technical parameters pulled out of free text: '5-axis', '99.9 %', '>= 50 kHz', '100 torr'.

Every value is converted to the SI base unit of its dimension so that knowledge-base thresholds
(stce.goods.kb.Measure) compare directly. Unit case matters only where it changes the meaning
(mPa versus MPa, mW versus MW); elsewhere customs text is matched case-insensitively.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# unit text (lower case unless listed in _CASED) -> (dimension, factor to SI)
_UNITS: dict[str, tuple[str, float]] = {
    "hz": ("frequency", 1.0),
    "khz": ("frequency", 1e3),
    "mhz": ("frequency", 1e6),
    "ghz": ("frequency", 1e9),
    "pa": ("pressure", 1.0),
    "kpa": ("pressure", 1e3),
    "mpa": ("pressure", 1e6),
    "gpa": ("pressure", 1e9),
    "bar": ("pressure", 1e5),
    "mbar": ("pressure", 1e2),
    "torr": ("pressure", 133.322),
    "mtorr": ("pressure", 0.133322),
    "psi": ("pressure", 6894.76),
    "ksi": ("pressure", 6.89476e6),
    "n/mm2": ("pressure", 1e6),
    "n/mm²": ("pressure", 1e6),
    "%": ("percent", 1.0),
    "pct": ("percent", 1.0),
    "percent": ("percent", 1.0),
    "axis": ("axes", 1.0),
    "axes": ("axes", 1.0),
    "mm": ("length", 1e-3),
    "cm": ("length", 1e-2),
    "m": ("length", 1.0),
    "km": ("length", 1e3),
    "µm": ("length", 1e-6),
    "μm": ("length", 1e-6),
    "um": ("length", 1e-6),
    "micron": ("length", 1e-6),
    "microns": ("length", 1e-6),
    "nm": ("length", 1e-9),
    "inch": ("length", 0.0254),
    "°c": ("temperature_c", 1.0),
    "ºc": ("temperature_c", 1.0),
    "deg c": ("temperature_c", 1.0),
    "degc": ("temperature_c", 1.0),
    "w": ("power", 1.0),
    "kw": ("power", 1e3),
    "va": ("power", 1.0),
    "kva": ("power", 1e3),
    "v": ("voltage", 1.0),
    "kv": ("voltage", 1e3),
    "vdc": ("voltage", 1.0),
    "vac": ("voltage", 1.0),
    "a": ("current", 1.0),
    "ka": ("current", 1e3),
    "j": ("energy", 1.0),
    "kj": ("energy", 1e3),
    "µf": ("capacitance", 1e-6),
    "μf": ("capacitance", 1e-6),
    "uf": ("capacitance", 1e-6),
    "nf": ("capacitance", 1e-9),
    "pf": ("capacitance", 1e-12),
    "ns": ("time", 1e-9),
    "ps": ("time", 1e-12),
    "µs": ("time", 1e-6),
    "μs": ("time", 1e-6),
    "us": ("time", 1e-6),
    "h": ("time", 3600.0),
    "hr": ("time", 3600.0),
    "hrs": ("time", 3600.0),
    "hours": ("time", 3600.0),
    "n": ("force", 1.0),
    "kn": ("force", 1e3),
    "m/s": ("speed", 1.0),
    "km/h": ("speed", 1 / 3.6),
    "kg": ("mass", 1.0),
    "g": ("mass", 1e-3),
    "t": ("mass", 1e3),
    "tonnes": ("mass", 1e3),
    "l": ("volume", 1e-3),
    "litre": ("volume", 1e-3),
    "liter": ("volume", 1e-3),
    "litres": ("volume", 1e-3),
    "liters": ("volume", 1e-3),
    "m3": ("volume", 1.0),
    "m³": ("volume", 1.0),
    "m2": ("area", 1.0),
    "m²": ("area", 1.0),
    "rpm": ("rpm", 1.0),
    "r/min": ("rpm", 1.0),
    "fps": ("fps", 1.0),
    "frames per second": ("fps", 1.0),
    "ppm": ("ppm", 1.0),
    "amu": ("mass_units", 1.0),
    "da": ("mass_units", 1.0),
    "g/cm3": ("density", 1.0),
    "g/cm³": ("density", 1.0),
    "g/cc": ("density", 1.0),
    "°/h": ("drift", 1.0),
    "deg/h": ("drift", 1.0),
    "deg/hr": ("drift", 1.0),
}
# case-sensitive overrides of the lower-case table
_CASED: dict[str, tuple[str, float]] = {
    "mPa": ("pressure", 1e-3),
    "mW": ("power", 1e-3),
    "MW": ("power", 1e6),
    "mV": ("voltage", 1e-3),
    "MV": ("voltage", 1e6),
    "mA": ("current", 1e-3),
    "mJ": ("energy", 1e-3),
    "MJ": ("energy", 1e6),
    "ms": ("time", 1e-3),
    "mF": ("capacitance", 1e-3),
    "K": ("temperature", 1.0),
    "mL": ("volume", 1e-6),
    "ml": ("volume", 1e-6),
}


def _trie_pattern(words: set[str]) -> str:
    """One regex alternation over `words` as a character trie: a failing position costs one
    character test instead of one attempt per word. Continuations are tried before the word
    ends, so the longest word that fits wins, as with a longest-first alternation."""
    trie: dict[str, dict[str, Any]] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + walk(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return "(?:" + walk(trie) + ")"


# the pattern ignores case, so the trie is built over lower case and `_unit` reads the case
_UNIT_ALT = _trie_pattern({u.lower() for u in (*_UNITS, *_CASED)})
# Atomic numbers and possessive spaces: giving back digits or spaces can never let a unit
# match (no unit starts with a digit, a point, a comma or a space), so forbidding it changes
# no result and spares the backtracking on every number that has no unit.
_NUM = r"(?>\d+(?:[.,]\d+)?)"
_QTY = re.compile(
    rf"(?<![\w.])(?P<a>{_NUM})(?:\s*+(?:-|–|to|\.\.\.?|…)\s*+(?P<b>{_NUM}))?\s*+"
    rf"(?:-\s*+)?(?P<unit>{_UNIT_ALT})(?![^\W_])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Quantity:
    dimension: str
    value: float
    text: str


def _number(s: str) -> float:
    if "," in s:
        whole, frac = s.split(",", 1)
        # "1,500" is a thousands separator; "99,9" a decimal comma
        s = whole + frac if len(frac) == 3 else whole + "." + frac
    return float(s)


def _unit(raw: str) -> tuple[str, float] | None:
    if raw in _CASED:
        return _CASED[raw]
    low = raw.lower()
    if low == "k" or low == "mw" or low == "mv" or low == "ma" or low == "mj" or low == "ms":
        # ambiguous in lower case ('5k', 'mw'): mega for mw/mv/mj, milli for ma/ms; k skipped
        return {
            "mw": ("power", 1e6),
            "mv": ("voltage", 1e-3),
            "ma": ("current", 1e-3),
            "mj": ("energy", 1e-3),
            "ms": ("time", 1e-3),
        }.get(low)
    if low == "mpa":
        return ("pressure", 1e6)
    return _UNITS.get(low)


_WORD_AXES = re.compile(r"\b(two|three|four|five|six|seven|nine)(?=[\s-]+ax[ie]s)", re.IGNORECASE)
_ANY_DIGIT = re.compile(r"\d")
_WORD_NUM = {
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "nine": "9",
}


def parse_quantities(text: str) -> list[Quantity]:
    """Quantities with units found in `text`, each value in SI (temperature in kelvin)."""
    if "ax" in text.lower():
        text = _WORD_AXES.sub(lambda m: _WORD_NUM[m.group(1).lower()], text)
    if _ANY_DIGIT.search(text) is None:
        return []
    out: list[Quantity] = []
    for m in _QTY.finditer(text):
        unit = _unit(m.group("unit"))
        if unit is None:
            continue
        dim, factor = unit
        for g in ("a", "b"):
            raw = m.group(g)
            if raw is None:
                continue
            try:
                value = _number(raw) * factor
            except ValueError:
                continue
            if value == 0.0:
                continue  # the open end of a range ('0-100 torr') says nothing
            if dim == "temperature_c":
                out.append(Quantity("temperature", value + 273.15, m.group(0)))
            else:
                out.append(Quantity(dim, value, m.group(0)))
    return out
