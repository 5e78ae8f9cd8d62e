"""Cross-script names: Hangul, Hanja read as Korean, Japanese kanji, Greek."""

from __future__ import annotations

import pytest

from stce.model import EntryKind
from stce.parties import cantonese, japanese, korean
from stce.parties.index import NameIndex
from stce.parties.normalise import analyse, analyse_alternatives
from stce.parties.screener import DEFAULT_THRESHOLD, PartyQuery, PartyScreener

from .conftest import entry, filler_entries


def readings(name: str) -> list[tuple[str, ...]]:
    return [a.tokens for a in analyse_alternatives(name)]


def test_hangul_default_is_the_dprk_list_spelling() -> None:
    assert analyse("최룡해").tokens == ("choe", "ryong", "hae")
    assert analyse("리수용").tokens == ("ri", "su", "yong")
    assert analyse("태영호").tokens == ("thae", "yong", "ho")
    # spaced family name, as the UN list writes some names in Hangul
    assert analyse("현 광일").tokens == ("hyon", "kwang", "il")


def test_hangul_south_and_rr_spellings_are_alternatives() -> None:
    alts = readings("정경희")
    assert alts[0] == ("jong", "kyong", "hui")
    assert ("jung", "kyung", "hee") in alts
    assert ("jeong", "gyeong", "hui") in alts
    assert ("yun", "seok", "yeol") in readings("윤석열")
    assert ("yoon", "suk", "yul") in readings("윤석열")


def test_double_family_names() -> None:
    assert readings("남궁민수")[0] == ("namgung", "min", "su")
    assert ("sunwoo", "jae", "duk") in readings("선우재덕")


def test_hangul_company_names() -> None:
    # not shaped like a person's name: generic words translated, the distinctive part whole
    assert analyse("조선대동강무역회사").tokens == ("korea", "taetongkang", "trading", "company")
    assert analyse("평양은행").tokens == ("phyongyang", "bank")
    assert analyse("수출입").tokens == ("import", "export")
    # led by a family-name syllable, but a bank
    assert analyse("한국은행").tokens == ("korea", "bank")


def test_hanja_read_as_korean() -> None:
    assert korean.hanja_to_hangul("朴槿惠") == "박근혜"
    # 金 is read 금 as a word, 김 as the commoner family name
    assert korean.hanja_to_hangul("金日成") == "김일성"
    assert korean.hanja_to_hangul("金铁三") == "김철삼"  # simplified 铁 via its traditional form
    alts = readings("金日成")
    assert alts[0] == ("jin", "ri", "cheng")  # Chinese reading stays the default
    assert ("kim", "il", "song") in alts
    assert ("kim", "il", "sung") in alts


def test_han_read_in_cantonese_the_hong_kong_way() -> None:
    assert cantonese.hong_kong_spelling("zoeng") == "cheung"
    assert cantonese.hong_kong_spelling("jyun") == "yuen"
    assert cantonese.hong_kong_spelling("gwok") == "kwok"
    assert ("ho", "ka", "yan") in readings("何家欣")
    # family names from the table: 區 is Au, 歐陽 is Au Yeung, simplified forms alike
    assert ("au", "chi", "man") in readings("區志文")
    assert ("au", "yeung", "wing") in readings("歐陽榮")
    assert ("cheung", "wing", "kin") in readings("张永健")


@pytest.mark.skipif(not japanese.available(), reason="the `ja` extra (fugashi, ipadic) absent")
def test_japanese_kanji_names() -> None:
    assert ("suzuki", "ichiro") in readings("鈴木一郎")
    assert ("sato", "ken") in readings("佐藤健")
    assert japanese.passport_hepburn("Shoukou") == "shoko"


def test_kana_goes_through_icu() -> None:
    assert analyse("スズキ").tokens == ("suzuki",)


def test_icu_apostrophes_do_not_split_a_name_part() -> None:
    assert analyse("Παλνιτσενκο").tokens == ("palnitsenko",)


def test_greek_endings() -> None:
    assert ("georgi", "papadopoul") in readings("Γεώργιος Παπαδόπουλος")
    assert readings("Νίκος")[0] == ("nikos",)
    assert ("igor",) in readings("Ιγκορ")


def test_ascii_names_have_one_analysis() -> None:
    assert analyse_alternatives("Choe Ryong Hae") == (analyse("Choe Ryong Hae"),)


@pytest.fixture(scope="module")
def screener() -> PartyScreener:
    return PartyScreener(
        NameIndex(
            [
                *filler_entries(500),
                entry("choe", EntryKind.PERSON, "CHOE Ryong Hae"),
                entry("kimil", EntryKind.PERSON, "KIM Il Sung"),
                entry("park", EntryKind.PERSON, "PARK Geun Hye"),
                entry("lee", EntryKind.PERSON, "Lee Soon Hee"),
                entry("suzuki", EntryKind.PERSON, "SUZUKI Ichiro"),
                entry("geo", EntryKind.PERSON, "George PAPADOPOULOS"),
                entry("alex", EntryKind.PERSON, "Alexander PETROV"),
                entry("hk", EntryKind.PERSON, "Wing-kin CHEUNG"),
                entry("other", EntryKind.PERSON, "Kim Sung Min"),
            ],
            "scripts",
        )
    )


def best_pair(screener: PartyScreener, query: str, listed: str) -> float:
    """The matcher keeps the best score over the query's analyses (wired here for the test)."""
    return max(
        screener.score_pair(" ".join(a.tokens) if i else query, listed).score
        for i, a in enumerate(analyse_alternatives(query))
    )


def search_ids(screener: PartyScreener, query: str) -> set[str]:
    found: set[str] = set()
    for i, a in enumerate(analyse_alternatives(query)):
        text = query if i == 0 else " ".join(a.tokens)
        found |= {
            m.entry.id for m in screener.search(PartyQuery(text)) if m.score >= DEFAULT_THRESHOLD
        }
    return found


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("최룡해", "CHOE Ryong Hae"),
        ("이순희", "Lee Soon Hee"),
        ("박근혜", "PARK Geun Hye"),
        ("金日成", "KIM Il Sung"),
        ("김일성", "KIM Il Sung"),
        ("Αλέξανδρος Πετρόφ", "Alexander PETROV"),
        ("張永健", "Wing-kin CHEUNG"),
    ],
)
def test_cross_script_pairs_match(screener: PartyScreener, query: str, listed: str) -> None:
    assert best_pair(screener, query, listed) >= DEFAULT_THRESHOLD


def test_cross_script_search_finds_the_entry_and_not_a_namesake(screener: PartyScreener) -> None:
    assert search_ids(screener, "김일성") == {"test:kimil"}
    assert search_ids(screener, "朴槿惠") == {"test:park"}
    # a different Korean person sharing the family name is not an alert
    assert search_ids(screener, "김영철") == set()


@pytest.mark.skipif(not japanese.available(), reason="the `ja` extra (fugashi, ipadic) absent")
def test_japanese_search(screener: PartyScreener) -> None:
    assert search_ids(screener, "鈴木一郎") == {"test:suzuki"}


def test_greek_search(screener: PartyScreener) -> None:
    assert "test:geo" in search_ids(screener, "Γεώργιος Παπαδόπουλος")


def test_korean_spelling_habits_meet() -> None:
    from stce.parties.normalise import korean_fold, spelling_key

    assert len({spelling_key(t) for t in ("lee", "yi", "rhee", "ri")}) == 1
    assert len({spelling_key(t) for t in ("jeong", "jong", "jung", "chung", "chong")}) == 1
    # keys, not spellings, are folded: other romanisations of the same token still meet
    assert spelling_key("iou") == spelling_key("you") == spelling_key("ryu")
    assert spelling_key("djo") == spelling_key("jo") == spelling_key("cho")
    # a family name's spelling never drags along unrelated short syllables
    assert spelling_key("zhi") != spelling_key("li")
    assert spelling_key("chi") != spelling_key("lee")
    assert spelling_key("eun") == spelling_key("un")
    assert spelling_key("park") == spelling_key("pak")
    assert spelling_key("choi") == spelling_key("choe")
    # only single Korean syllables lose RR digraphs; other words are left alone
    assert korean_fold("neumann") == "neumann"
    assert korean_fold("europe") == "europe"
    assert korean_fold("smith") == "smith"


def test_ascii_korean_spellings_match(screener: PartyScreener) -> None:
    # RR and South Korean spellings of a name the list writes in the DPRK habit
    assert screener.score_pair("Choi Ryong Hae", "CHOE Ryong Hae").score >= DEFAULT_THRESHOLD
    assert screener.score_pair("Rhee Sun Hee", "Lee Soon Hee").score >= DEFAULT_THRESHOLD
