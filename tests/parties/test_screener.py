import pytest

from stce.model import Party, PartyRole
from stce.parties.index import NameIndex
from stce.parties.screener import (
    DEFAULT_THRESHOLD,
    REVIEW_THRESHOLD,
    PartyQuery,
    PartyScreener,
    kinds_for,
)


def best(screener: PartyScreener, name: str, **kw: str) -> tuple[str | None, float, str]:
    ms = screener.search(PartyQuery(name, **kw), floor=0.0)
    if not ms:
        return None, 0.0, ""
    return ms[0].entry.id, ms[0].score, ms[0].explanation


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Vladimir Putin", "test:putin"),  # reordered, patronymic left out
        ("Putin Vladimir Vladimirovich", "test:putin"),
        ("vladimirputin", "test:putin"),  # concatenated
        ("Wladimir Putin", "test:putin"),  # one edit
        ("ВЛАДИМИР ПУТИН", "test:putin"),  # other script
        ("George Habash", "test:habbash"),  # romanisation
        ("Shanghai Acme Trading Company Limited", "test:acme"),  # legal form spelt out
        ("Xi Jin Ping", "test:xi"),  # split token
        ("Kim Jong-un", "test:kim"),
        ("Bank Meli Iran", "test:melli"),
    ],
)
def test_variants_reach_the_alert_threshold(
    screener: PartyScreener, name: str, expected: str
) -> None:
    found, score, explanation = best(screener, name)
    assert found == expected, (name, found, score, explanation)
    assert score >= DEFAULT_THRESHOLD, (name, score, explanation)
    assert explanation


def test_contradicting_part_is_not_a_missing_part(screener: PartyScreener) -> None:
    _, missing, _ = best(screener, "Vladimir Putin")
    found, contradicted, explanation = best(screener, "George Bush")
    assert missing >= DEFAULT_THRESHOLD
    assert found is None or contradicted < REVIEW_THRESHOLD, explanation


def test_shared_first_name_alone_is_no_match(screener: PartyScreener) -> None:
    ms = screener.search(PartyQuery("Robert Johnson"))
    assert all(m.score < DEFAULT_THRESHOLD for m in ms)


def test_generic_company_words_never_alert(screener: PartyScreener) -> None:
    ms = screener.search(PartyQuery("Global Trading LLC"), floor=0.0)
    assert ms and ms[0].entry.id == "test:generic"
    assert ms[0].score < DEFAULT_THRESHOLD
    assert "generic" in ms[0].explanation


def test_single_part_of_a_person_stays_below_alert(screener: PartyScreener) -> None:
    ms = screener.search(PartyQuery("Putin"), floor=0.0)
    assert all(m.score < DEFAULT_THRESHOLD for m in ms)


def test_kinds_kept_apart(screener: PartyScreener) -> None:
    assert best(screener, "John Smith")[0] == "test:vessel"
    assert best(screener, "John Smith", kind="Person")[0] != "test:vessel"
    assert best(screener, "John Smith", kind="Vessel")[0] == "test:vessel"
    with pytest.raises(ValueError, match="unknown party kind"):
        kinds_for("Spaceship")


def test_qualifiers_adjust_but_never_replace_the_name(screener: PartyScreener) -> None:
    plain = best(screener, "Vladimir Putin")[1]
    wrong_year = best(screener, "Vladimir Putin", birth_date="1970")[1]
    right_year = best(screener, "Vladimir Putin", birth_date="1952-10-07")[1]
    wrong_country = best(screener, "Vladimir Putin", country="BR")[1]
    assert wrong_year < plain <= right_year
    assert wrong_country < plain
    # an identifier alone does not make a match
    found, score, _ = best(screener, "Completely Different Ship", identifier="IMO 9187629")
    assert found is None or score < REVIEW_THRESHOLD
    boosted = best(screener, "Jon Smith", kind="Vessel", identifier="IMO 9187629")
    unboosted = best(screener, "Jon Smith", kind="Vessel")
    assert boosted[1] > unboosted[1]
    assert "identifier" in boosted[2]


def test_weak_alias_scores_lower(screener: PartyScreener) -> None:
    ms = screener.search(PartyQuery("Abu Rahman"), floor=0.0)
    assert ms and ms[0].entry.id == "test:weak"
    assert ms[0].score < 1.0 and "weak alias" in ms[0].explanation


def test_hits_carry_evidence(index: NameIndex) -> None:
    screener = PartyScreener(index, review_threshold=0.4)
    party = Party(role=PartyRole.CONSIGNEE, name="Vladimir PUTIN", country="RU")
    hits = screener.match(party)
    assert hits[0].code == "PARTY_LISTED"
    assert hits[0].severity.rank >= 3
    ev = hits[0].evidence
    assert ev["entry_id"] == "test:putin"
    assert ev["party_role"] == "consignee"
    assert ev["programmes"] == ["RUSSIA-EO14024"]
    assert ev["matched_name"] and ev["explanation"] and ev["source"] == "test"
    possible = screener.match(PartyQuery("Putin", role="buyer"))
    assert possible and all(h.code == "PARTY_POSSIBLE_MATCH" for h in possible)


def test_match_many_scores_each_distinct_party_once(index: NameIndex) -> None:
    screener = PartyScreener(index)
    parties = [PartyQuery("Kim Jong Un")] * 50 + [PartyQuery("Bank Melli Iran")]
    out = screener.match_many(parties)
    assert len(out) == 51
    assert out[0] == out[49]
    assert len(screener._cache) == 2


def test_score_pair(screener: PartyScreener) -> None:
    assert (
        screener.score_pair("Vladimir Putin", "PUTIN, Vladimir", "Person").score
        >= DEFAULT_THRESHOLD
    )
    assert screener.score_pair("George Bush", "George Habbash", "Person").score < REVIEW_THRESHOLD
