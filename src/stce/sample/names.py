"""Synthetic trader and person names, and spelling variants of listed names.

Variants imitate how listed parties appear on real declarations: typing errors, reordered
name parts, changed legal forms, dropped middle names, joined or split tokens.
"""

from __future__ import annotations

import random
import re

LEGAL_FORMS = {
    "DE": ["GmbH", "AG", "GmbH & Co. KG"],
    "GB": ["Ltd", "Limited", "PLC"],
    "US": ["LLC", "Inc.", "Corp."],
    "AE": ["FZE", "FZCO", "LLC", "General Trading LLC"],
    "CN": ["Co., Ltd", "Trading Co., Ltd", "Technology Co., Ltd"],
    "HK": ["Limited", "Company Limited", "International Ltd"],
    "TR": ["A.S.", "Ltd. Sti.", "Dis Ticaret A.S."],
    "RU": ["OOO", "AO", "JSC"],
    "FR": ["SARL", "SA", "SAS"],
    "IT": ["S.p.A.", "S.r.l."],
    "NL": ["B.V.", "N.V."],
    "SG": ["Pte Ltd", "Pte. Ltd."],
    "IN": ["Pvt Ltd", "Private Limited"],
    "JP": ["K.K.", "Co., Ltd."],
    "KR": ["Co., Ltd", "Corporation"],
    "MY": ["Sdn Bhd"],
    "KZ": ["LLP", "TOO"],
    "AM": ["LLC", "CJSC"],
    "IR": ["Co.", "Company", "Industrial Group"],
    "PL": ["Sp. z o.o.", "S.A."],
    "ES": ["S.L.", "S.A."],
}
STEMS = [
    "Nord", "Atlas", "Orion", "Delta", "Vega", "Apex", "Sino", "Euro", "Trans", "Pacific",
    "Alpine", "Baltic", "Meridian", "Zenith", "Horizon", "Silver", "Green", "Blue", "Star",
    "Crown", "Falcon", "Phoenix", "Summit", "Harbor", "Crescent", "Lotus", "Jade", "Cedar",
    "Rhein", "Danube", "Sahara", "Gulf", "Tiger", "Eagle", "Polar", "Solar", "Terra", "Nova",
    "Prime", "Vertex", "Quantum", "Unity", "Liberty", "Royal", "Pioneer", "Kestrel", "Aurora",
]  # fmt: skip
ACTIVITIES = [
    "Tools", "Machinery", "Logistics", "Textiles", "Electronics", "Foods", "Chemicals",
    "Industrial Supplies", "Trading", "Import Export", "Components", "Engineering", "Motors",
    "Plastics", "Furniture", "Apparel", "Steel", "Instruments", "Pharma", "Solutions",
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Lukas", "Maria", "James", "Olivia", "Wei", "Li", "Mehmet", "Ayse", "Ahmed",
    "Fatima", "Ivan", "Olga", "Sofia", "Mateo", "Lucia", "Hiroshi", "Yuki", "Priya", "Rahul",
    "Emma", "Noah", "Chen", "Minh", "Jan", "Eva", "Pierre", "Camille", "Marco", "Giulia",
    "Omar", "Layla", "Daniel", "Sarah", "Kwame", "Amara", "Jose", "Ana", "Tomasz", "Kasia",
]  # fmt: skip
LAST_NAMES = [
    "Muller", "Schmidt", "Smith", "Johnson", "Wang", "Zhang", "Yilmaz", "Kaya", "Hassan",
    "Ivanov", "Petrova", "Garcia", "Rossi", "Tanaka", "Sato", "Sharma", "Patel", "Nguyen",
    "Kowalski", "Dubois", "Martin", "Brown", "Silva", "Okafor", "Mensah", "Kim", "Lee",
    "Novak", "Horvat", "Jensen", "Larsen", "Fischer", "Weber", "Moreau", "Bianchi", "Lopez",
]  # fmt: skip
FORWARDER_WORDS = ["Freight", "Forwarding", "Shipping", "Cargo", "Logistics", "Express"]


def company_name(rng: random.Random, country: str, activity: str | None = None) -> str:
    stem = rng.choice(STEMS)
    if rng.random() < 0.3:
        stem += rng.choice(STEMS).lower()
    act = activity or rng.choice(ACTIVITIES)
    form = rng.choice(LEGAL_FORMS.get(country, ["Ltd", "LLC", "Co."]))
    return f"{stem} {act} {form}"


def forwarder_name(rng: random.Random, country: str) -> str:
    return company_name(rng, country, f"{rng.choice(FORWARDER_WORDS)}")


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


_LEGAL_SWAPS = [
    (r"\bCo\.,? Ltd\.?", "Company Limited"),
    (r"\bCompany Limited\b", "Co., Ltd"),
    (r"\bLimited\b", "Ltd"),
    (r"\bLtd\.?\b", "Limited"),
    (r"\bLLC\b", "Limited Liability Company"),
    (r"\bCorporation\b", "Corp."),
    (r"\bCompany\b", "Co."),
    (r"\bJSC\b", "Joint Stock Company"),
]


def _typo(rng: random.Random, name: str) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 4:
        return name
    i = rng.choice(letters[1:-1])
    kind = rng.choice(("swap", "drop", "double", "replace"))
    if kind == "swap" and i + 1 < len(name) and name[i + 1].isalpha():
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind == "drop":
        return name[:i] + name[i + 1 :]
    if kind == "double":
        return name[:i] + name[i] + name[i:]
    vowels = "aeiou"
    c = name[i]
    if c.lower() in vowels:
        repl = rng.choice([v for v in vowels if v != c.lower()])
        return name[:i] + (repl.upper() if c.isupper() else repl) + name[i + 1 :]
    return name[:i] + name[i + 1 :]


def variant(rng: random.Random, name: str, is_person: bool) -> tuple[str, str]:
    """A spelling variant of a listed name as it might appear on a declaration, and its kind."""
    tokens = name.split()
    choices = ["typo", "case", "exact"]
    if is_person and len(tokens) >= 2:
        choices += ["reorder", "reorder"]
        if len(tokens) >= 3:
            choices.append("drop_middle")
    if not is_person:
        choices += ["legal_form", "legal_form"]
        if len(tokens) >= 2:
            choices.append("join")
    kind = rng.choice(choices)
    if kind == "typo":
        return _typo(rng, name), kind
    if kind == "case":
        return (name.upper() if rng.random() < 0.5 else name.title()), kind
    if kind == "reorder":
        return " ".join(tokens[-1:] + tokens[:-1]), kind
    if kind == "drop_middle":
        return " ".join([tokens[0], tokens[-1]]), kind
    if kind == "join":
        i = rng.randrange(len(tokens) - 1)
        return " ".join([*tokens[:i], tokens[i] + tokens[i + 1], *tokens[i + 2 :]]), kind
    if kind == "legal_form":
        for pattern, repl in _LEGAL_SWAPS:
            if re.search(pattern, name):
                return re.sub(pattern, repl, name, count=1), kind
        return name + " " + rng.choice(["LLC", "Ltd", "Co."]), kind
    return name, "exact"
