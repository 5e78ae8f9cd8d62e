"""OFAC SDN list in the Advanced Sanctions List Standard XML (`sdn_advanced.xml`, plain or .bz2).

The file is normalised: reference value sets first, then Locations, IDRegDocuments,
DistinctParties, ProfileRelationships and SanctionsEntries. It is streamed with iterparse and
every record is cleared after use; parties are kept in a compact form until the sanctions
entries (programmes, listing dates) and relationships (links) that follow them are read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree

from stce.model.list_entry import (
    BirthDate,
    EntryKind,
    ListAddress,
    ListEntry,
    ListIdentifier,
    ListName,
    ListWallet,
    NameQuality,
)
from stce.refdata.errors import ListFormatError
from stce.refdata.xmlsafe import clear_element, iter_elements, local

SOURCE = "ofac-sdn"
ROOT = "Sanctions"
WALLET_PREFIX = "Digital Currency Address - "
GIVEN_PARTS = ("First Name", "Middle Name", "Patronymic", "Matronymic", "Nickname")
FAMILY_PARTS = ("Last Name", "Maiden Name")
ID_TYPES = {
    "Passport": "passport",
    "Diplomatic Passport": "passport",
    "British National Overseas Passport": "passport",
    "Stateless Person Passport": "passport",
    "National ID No.": "national_id",
    "Tax ID No.": "tax_id",
    "Vessel Registration Identification": "imo",
    "MMSI": "mmsi",
    "Registration Number": "registration",
    "Registration ID": "registration",
    "Business Registration Number": "registration",
    "Company Number": "registration",
}


def _ns(elem: etree._Element) -> str:
    tag = str(elem.tag)
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""


def _children(elem: etree._Element, name: str) -> list[etree._Element]:
    return list(elem.iterchildren(_ns(elem) + name))


def _child(elem: etree._Element, name: str) -> etree._Element | None:
    for child in elem.iterchildren(_ns(elem) + name):
        return child
    return None


def _text(elem: etree._Element | None) -> str:
    if elem is None or elem.text is None:
        return ""
    return " ".join(elem.text.split())


@dataclass
class _Refs:
    """Look-up tables from ReferenceValueSets: id -> label."""

    tables: dict[str, dict[str, str]] = field(default_factory=dict)
    country_iso: dict[str, str] = field(default_factory=dict)
    script_code: dict[str, str] = field(default_factory=dict)
    party_type_of_subtype: dict[str, str] = field(default_factory=dict)

    def label(self, table: str, ident: str | None) -> str:
        return self.tables.get(table, {}).get(ident or "", "")


@dataclass
class _Party:
    fixed_ref: str
    kind: EntryKind
    names: list[ListName]
    birth_dates: list[BirthDate]
    nationalities: list[str]
    location_ids: list[str]
    wallets: list[ListWallet]
    identity_ids: list[str]
    remarks: list[str]
    flag_countries: list[str]


@dataclass
class _Location:
    full: str
    country: str | None


def _read_refs(elem: etree._Element) -> _Refs:
    refs = _Refs()
    for group in elem:
        for item in group:
            name = local(item.tag)
            ident = item.get("ID")
            if ident is None:
                continue
            refs.tables.setdefault(name, {})[ident] = _text(item)
            if name == "Country" and item.get("ISO2"):
                refs.country_iso[ident] = str(item.get("ISO2")).upper()
            elif name == "Script" and item.get("ScriptCode"):
                refs.script_code[ident] = str(item.get("ScriptCode"))
            elif name == "PartySubType":
                refs.party_type_of_subtype[ident] = str(item.get("PartyTypeID", ""))
    return refs


def _read_location(elem: etree._Element, refs: _Refs) -> _Location:
    parts: list[str] = []
    for part in _children(elem, "LocationPart"):
        for value in _children(part, "LocationPartValue"):
            if value.get("Primary", "true") == "true":
                t = _text(_child(value, "Value"))
                if t:
                    parts.append(t)
    country_el = _child(elem, "LocationCountry")
    country = None
    if country_el is not None:
        country = refs.country_iso.get(country_el.get("CountryID", ""))
        label = refs.label("Country", country_el.get("CountryID"))
        if label:
            parts.append(label)
    return _Location(full=", ".join(parts), country=country)


def _ymd(elem: etree._Element | None) -> tuple[int | None, int | None, int | None]:
    if elem is None:
        return None, None, None
    vals = []
    for name in ("Year", "Month", "Day"):
        t = _text(_child(elem, name))
        vals.append(int(t) if t.isdigit() else None)
    return vals[0], vals[1], vals[2]


def _birth_date(period: etree._Element) -> BirthDate | None:
    start, end = _child(period, "Start"), _child(period, "End")
    s_from = _ymd(_child(start, "From") if start is not None else None)
    e_to = _ymd(_child(end, "To") if end is not None else None)
    approx = any(x is not None and x.get("Approximate") == "true" for x in (start, end))
    if s_from[0] is None:
        return None
    if s_from == e_to and all(v is not None for v in s_from):
        y, m, d = s_from
        try:
            exact = date(y, m, d)  # type: ignore[arg-type]
        except ValueError:
            return BirthDate(year=y, approximate=approx)
        return BirthDate(exact=exact, year=y, approximate=approx)
    if e_to[0] is None or e_to[0] == s_from[0]:
        return BirthDate(year=s_from[0], approximate=approx)
    return BirthDate(year_from=s_from[0], year_to=e_to[0], approximate=True)


def _full_name(
    parts: list[tuple[str, str]], script: str | None, individual: bool
) -> tuple[str, dict[str, str]]:
    """Join (part type, value) pairs into a display name 'Given Family' for Latin individuals."""
    named: dict[str, str] = {}
    for ptype, value in parts:
        key = ptype.lower().replace(" name", "").replace(" ", "_") or "name"
        named[key] = f"{named[key]} {value}" if key in named else value
    if individual and script in (None, "Latin", "Latn", "Cyrl"):
        given = [v for t, v in parts if t in GIVEN_PARTS]
        family = [v for t, v in parts if t in FAMILY_PARTS]
        other = [v for t, v in parts if t not in GIVEN_PARTS and t not in FAMILY_PARTS]
        return " ".join(given + family + other), named
    return " ".join(v for _, v in parts), named


_SCRIPT_ISO = {"Latin": "Latn", "Korean": "Kore", "Japanese": "Jpan", "Hebrew": "Hebr"}


def _read_party(elem: etree._Element, refs: _Refs, path: Path) -> _Party:
    fixed_ref = elem.get("FixedRef") or ""
    profile = _child(elem, "Profile")
    if profile is None or not fixed_ref:
        raise ListFormatError(
            str(path),
            "DistinctParty without Profile or FixedRef",
            record=fixed_ref or "?",
            field="Profile",
        )
    subtype = profile.get("PartySubTypeID", "")
    subtype_label = refs.label("PartySubType", subtype)
    party_type = refs.label("PartyType", refs.party_type_of_subtype.get(subtype))
    if subtype_label == "Vessel":
        kind = EntryKind.VESSEL
    elif subtype_label == "Aircraft":
        kind = EntryKind.AIRCRAFT
    elif party_type == "Individual":
        kind = EntryKind.PERSON
    elif party_type == "Entity":
        kind = EntryKind.ORGANISATION
    else:
        kind = EntryKind.UNKNOWN
    individual = kind is EntryKind.PERSON
    names: list[ListName] = []
    identity_ids: list[str] = []
    for identity in _children(profile, "Identity"):
        identity_ids.append(identity.get("ID", ""))
        group_type: dict[str, str] = {}
        npg = _child(identity, "NamePartGroups")
        if npg is not None:
            for master in npg:
                for group in master:
                    group_type[group.get("ID", "")] = refs.label(
                        "NamePartType", group.get("NamePartTypeID")
                    )
        for alias in _children(identity, "Alias"):
            primary = alias.get("Primary") == "true"
            weak = alias.get("LowQuality") == "true"
            for doc_name in _children(alias, "DocumentedName"):
                parts: list[tuple[str, str]] = []
                script_id = None
                for dnp in _children(doc_name, "DocumentedNamePart"):
                    for npv in _children(dnp, "NamePartValue"):
                        value = _text(npv)
                        if value:
                            ptype = group_type.get(npv.get("NamePartGroupID", ""), "")
                            parts.append((ptype, value))
                            script_id = script_id or npv.get("ScriptID")
                if not parts:
                    continue
                script_label = refs.label("Script", script_id)
                code = refs.script_code.get(script_id or "", "")
                iso = _SCRIPT_ISO.get(code, code) or None
                full, named = _full_name(parts, script_label or None, individual)
                latin_primary = primary and script_label == "Latin"
                quality = (
                    NameQuality.PRIMARY
                    if latin_primary
                    else NameQuality.WEAK
                    if weak
                    else NameQuality.STRONG
                )
                names.append(ListName(full=full, quality=quality, script=iso, parts=named))
    names.sort(key=lambda n: n.quality is not NameQuality.PRIMARY)
    if not names:
        raise ListFormatError(str(path), "party has no name", record=fixed_ref, field="Alias")
    dobs: list[BirthDate] = []
    nationalities: list[str] = []
    location_ids: list[str] = []
    wallets: list[ListWallet] = []
    remarks: list[str] = []
    flags: list[str] = []
    for feature in _children(profile, "Feature"):
        ftype = refs.label("FeatureType", feature.get("FeatureTypeID"))
        for version in _children(feature, "FeatureVersion"):
            detail = _child(version, "VersionDetail")
            detail_text = _text(detail)
            loc_ids = [v.get("LocationID", "") for v in _children(version, "VersionLocation")]
            if ftype == "Birthdate":
                period = _child(version, "DatePeriod")
                dob = _birth_date(period) if period is not None else None
                if dob:
                    dobs.append(dob)
            elif ftype in ("Nationality Country", "Citizenship Country"):
                location_ids_nat = loc_ids
                nationalities.extend(f"@{lid}" for lid in location_ids_nat)
            elif ftype == "Location":
                location_ids.extend(loc_ids)
            elif ftype.startswith(WALLET_PREFIX):
                ticker = ftype.removeprefix(WALLET_PREFIX).strip().upper()
                if detail_text:
                    wallets.append(ListWallet(chain=ticker, address=detail_text))
            elif ftype in ("Vessel Flag", "Registration Country", "Nationality of Registration"):
                flags.extend(f"@{lid}" for lid in loc_ids)
            elif detail is not None:
                ref_id = detail.get("DetailReferenceID")
                value = detail_text or (refs.label("DetailReference", ref_id) if ref_id else "")
                if value and ftype:
                    remarks.append(f"{ftype.rstrip(':- ')}: {value}")
    return _Party(
        fixed_ref=fixed_ref,
        kind=kind,
        names=names,
        birth_dates=dobs,
        nationalities=nationalities,
        location_ids=location_ids,
        wallets=wallets,
        identity_ids=identity_ids,
        remarks=remarks,
        flag_countries=flags,
    )


def _read_id_doc(elem: etree._Element, refs: _Refs) -> tuple[str, ListIdentifier] | None:
    number = _text(_child(elem, "IDRegistrationNo"))
    if not number:
        return None
    label = refs.label("IDRegDocType", elem.get("IDRegDocTypeID"))
    kind = ID_TYPES.get(label, label or "document")
    country = refs.country_iso.get(elem.get("IssuedBy-CountryID", ""))
    return elem.get("IdentityID", ""), ListIdentifier(type=kind, value=number, country=country)


def _event_date(entry: etree._Element) -> date | None:
    dates: list[date] = []
    for event in _children(entry, "EntryEvent"):
        y, m, d = _ymd(_child(event, "Date"))
        if y and m and d:
            try:
                dates.append(date(y, m, d))
            except ValueError:
                continue
    return min(dates) if dates else None


class _State:
    def __init__(self) -> None:
        self.refs = _Refs()
        self.issued: date | None = None
        self.locations: dict[str, _Location] = {}
        self.id_docs: dict[str, list[ListIdentifier]] = defaultdict(list)
        self.parties: list[_Party] = []
        self.links: dict[str, list[str]] = defaultdict(list)
        self.programmes: dict[str, list[str]] = defaultdict(list)
        self.lists: dict[str, list[str]] = defaultdict(list)
        self.listed_on: dict[str, date] = {}


def _resolve_country(ref: str, state: _State) -> str | None:
    loc = state.locations.get(ref.removeprefix("@"))
    return loc.country if loc else None


def _finish(party: _Party, state: _State) -> ListEntry:
    nationalities = [c for c in (_resolve_country(r, state) for r in party.nationalities) if c]
    addresses = []
    for lid in party.location_ids:
        loc = state.locations.get(lid)
        if loc and loc.full:
            addresses.append(ListAddress(full=loc.full, country=loc.country))
    flags = [c for c in (_resolve_country(r, state) for r in party.flag_countries) if c]
    countries = list(dict.fromkeys([a.country for a in addresses if a.country] + flags))
    identifiers = [i for ident in party.identity_ids for i in state.id_docs.get(ident, [])]
    lists = state.lists.get(party.fixed_ref, [])
    remarks = list(party.remarks)
    if lists:
        remarks.insert(0, "Lists: " + "; ".join(dict.fromkeys(lists)))
    return ListEntry(
        id=f"{SOURCE}:{party.fixed_ref}",
        source=SOURCE,
        source_key=party.fixed_ref,
        kind=party.kind,
        programmes=list(dict.fromkeys(state.programmes.get(party.fixed_ref, []))),
        names=party.names,
        birth_dates=party.birth_dates,
        nationalities=list(dict.fromkeys(nationalities)),
        countries=countries,
        addresses=addresses,
        identifiers=identifiers,
        wallets=list(dict.fromkeys(party.wallets)),
        listed_on=state.listed_on.get(party.fixed_ref),
        remarks="; ".join(remarks) or None,
        links=[f"{SOURCE}:{t}" for t in dict.fromkeys(state.links.get(party.fixed_ref, []))],
    )


TAGS = {
    ROOT,
    "DateOfIssue",
    "ReferenceValueSets",
    "Location",
    "IDRegDocument",
    "DistinctParty",
    "ProfileRelationship",
    "SanctionsEntry",
}


def _parse(path: Path) -> _State:
    state = _State()
    saw_root = False
    for event, elem in iter_elements(path, TAGS, events=("start", "end")):
        name = local(elem.tag)
        if name == ROOT:
            saw_root = True
            continue
        if event != "end":
            continue
        if name == "DateOfIssue":
            y, m, d = _ymd(elem)
            if y and m and d:
                state.issued = date(y, m, d)
        elif name == "ReferenceValueSets":
            state.refs = _read_refs(elem)
        elif name == "Location":
            state.locations[elem.get("ID", "")] = _read_location(elem, state.refs)
        elif name == "IDRegDocument":
            doc = _read_id_doc(elem, state.refs)
            if doc:
                state.id_docs[doc[0]].append(doc[1])
        elif name == "DistinctParty":
            state.parties.append(_read_party(elem, state.refs, path))
        elif name == "ProfileRelationship":
            state.links[elem.get("From-ProfileID", "")].append(elem.get("To-ProfileID", ""))
        elif name == "SanctionsEntry":
            profile = elem.get("ProfileID", "")
            state.lists[profile].append(state.refs.label("List", elem.get("ListID")))
            for measure in _children(elem, "SanctionsMeasure"):
                if state.refs.label("SanctionsType", measure.get("SanctionsTypeID")) == "Program":
                    prog = _text(_child(measure, "Comment"))
                    if prog:
                        state.programmes[profile].append(prog)
            listed = _event_date(elem)
            if listed and (profile not in state.listed_on or listed < state.listed_on[profile]):
                state.listed_on[profile] = listed
        clear_element(elem)
    if not saw_root:
        raise ListFormatError(str(path), f"root element {ROOT} not found")
    return state


def publication_date(path: Path) -> date | None:
    """`DateOfIssue` of the file (read from its first lines)."""
    for _event, elem in iter_elements(path, {"DateOfIssue"}):
        y, m, d = _ymd(elem)
        return date(y, m, d) if y and m and d else None
    return None


def iter_ofac_advanced(path: Path) -> Iterator[ListEntry]:
    """Every DistinctParty of an SDN Advanced file, with programmes, links and wallets."""
    state = _parse(path)
    for party in state.parties:
        yield _finish(party, state)
