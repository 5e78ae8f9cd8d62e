"""Second readings of a party name and spellings learned from the lists' own aliases."""

from __future__ import annotations

import pytest

from stce.model import EntryKind, ListEntry
from stce.parties.index import NameIndex
from stce.parties.normalise import analyse
from stce.parties.screener import DEFAULT_THRESHOLD, PartyQuery, PartyScreener

from .conftest import entry, filler_entries


@pytest.fixture(scope="module")
def listed() -> list[ListEntry]:
    return [
        # two entries whose publishers give "Muhammad"/"Mohamed" as aliases of one person
        entry("p1", EntryKind.PERSON, "Muhammad Zarqawi BALUCH", "Mohamed Zarqawi BALUCH"),
        entry("p2", EntryKind.PERSON, "Muhammad Tayyib HASHIMZAI", "Mohamed Tayyib HASHIMZAI"),
        entry("p3", EntryKind.PERSON, "Muhammad Qudratullah RAHIMYAR"),
        # only one entry shows "Karim"/"Kerem": one entry is not enough to learn a variant
        entry("p4", EntryKind.PERSON, "Karim ESFANDIARI", "Kerem ESFANDIARI"),
        entry("p5", EntryKind.PERSON, "Karim TOLOUEI"),
        entry("o1", EntryKind.ORGANISATION, "Distribuidora Rinconada Ltda."),
        entry("o2", EntryKind.ORGANISATION, "Joint Stock Company Tekhnoprizma"),
        entry("o3", EntryKind.ORGANISATION, "Varnavsky Holding S.A. de C.V."),
        entry("o4", EntryKind.ORGANISATION, "Oberon Eds Limited"),
        entry("o5", EntryKind.ORGANISATION, "Grupo Zenkovar, S. de R.L."),
        entry("o6", EntryKind.ORGANISATION, "Al-Murtaqib"),
        entry("p6", EntryKind.PERSON, "David BARAKZAI"),
        entry("p7", EntryKind.PERSON, "Ali TORKAMANI"),
        entry("o7", EntryKind.ORGANISATION, "JSC RT Registrovar"),
        entry("o8", EntryKind.ORGANISATION, "KQ Investments Limited"),
        entry("o9", EntryKind.ORGANISATION, "Al Marvoleen Corporation"),
        entry("p8", EntryKind.PERSON, "Tarik RAHMOLENI"),
        # "corporate" and "on" are list words
        entry("o10", EntryKind.ORGANISATION, "Hold On Logistics"),
        entry("o11", EntryKind.ORGANISATION, "Corporate Vistalon Partners"),
    ]


@pytest.fixture(scope="module")
def screener(listed: list[ListEntry]) -> PartyScreener:
    return PartyScreener(NameIndex(listed + filler_entries(300), "readings"))


def top(screener: PartyScreener, name: str) -> tuple[str | None, float, str]:
    ms = screener.search(PartyQuery(name), floor=0.0)
    return (ms[0].entry.id, ms[0].score, ms[0].explanation) if ms else (None, 0.0, "")


def test_spelling_variant_learned_from_aliases_of_several_entries(
    screener: PartyScreener,
) -> None:
    found, score, why = top(screener, "Mohamed Qudratullah RAHIMYAR")
    assert found == "test:p3" and score >= DEFAULT_THRESHOLD, (found, score, why)
    assert "listed variant" in why


def test_variant_seen_in_one_entry_only_is_not_learned(screener: PartyScreener) -> None:
    assert "listed variant" not in screener.score_pair("Kerem Tolouei", "Karim TOLOUEI").explain()


@pytest.mark.parametrize(
    "name, expected",
    [
        ("DISTRIBUIDORA RINCONADALTDA.", "test:o1"),  # legal form glued on
        ("JOINTSTOCK COMPANY TEKHNOPRIZMA", "test:o2"),  # two generic words glued
        ("Djoint Stock Company Tekhnoprizma", "test:o2"),  # legal form romanised otherwise
        ("VARNAVSKY HOLDINGS.A. DEC.V.", "test:o3"),  # dotted legal form glued on
        ("Grupo Zenkovar, S. de R.L.", "test:o5"),  # stray legal-form letters weigh little
        ("JSCRT REGISTROVAR", "test:o7"),  # a legal form glued to a two-letter list word
        ("KQInvestments Limited", "test:o8"),  # a generic word glued to a two-letter one
        ("AL MARVOLEEN CORPORATeON", "test:o9"),  # a generic word mistyped, not "corporate on"
    ],
)
def test_second_reading_finds_glued_and_misspelt_names(
    screener: PartyScreener, name: str, expected: str
) -> None:
    found, score, why = top(screener, name)
    assert found == expected and score >= DEFAULT_THRESHOLD, (name, found, score, why)


def test_first_two_letters_swapped_is_a_slip_not_another_name() -> None:
    from stce.parties.scorer import token_similarity

    swapped = token_similarity("arhmoleni", "rahmoleni", person=True)
    later = token_similarity("rahmolein", "rahmoleni", person=True)
    other_first = token_similarity("tahmoleni", "rahmoleni", person=True)
    assert swapped == later
    assert other_first[0] < swapped[0]


def test_short_generic_part_is_not_cut_from_an_ordinary_word(screener: PartyScreener) -> None:
    # "Seeds" must not be read as the legal form SE glued to the list token "eds"
    assert screener.index.repaired(analyse("Trading Seeds Technologies")) is None
    found, score, _ = top(screener, "Oberon Seeds")
    assert found is None or score < DEFAULT_THRESHOLD


def test_single_letters_weigh_little(screener: PartyScreener) -> None:
    w = screener.index.weight
    assert w("s", 0) <= 1.0 < w("zenkovar", 0)


def test_name_reproduced_exactly_is_not_one_shared_part(screener: PartyScreener) -> None:
    found, score, why = top(screener, "AL MURTAQIB")
    assert found == "test:o6" and score >= DEFAULT_THRESHOLD, (score, why)
    # one part and a particle shared, a word of its own added: a lead, not an alert
    found, score, why = top(screener, "Al Murtaqib Trading")
    assert found == "test:o6" and score < DEFAULT_THRESHOLD, (score, why)


def test_hostile_long_token_is_matched_exactly(screener: PartyScreener) -> None:
    # deletion variants grow with the square of a token's length: a 4,000-letter "name part"
    # (within the 4,096-character field limit) gets none and is screened like any other
    import random
    import string

    from stce.parties.index import delete_depth

    rng = random.Random(4096)
    token = "".join(rng.choice(string.ascii_lowercase) for _ in range(4000))
    assert delete_depth(token) == 0
    assert screener.search(PartyQuery(f"Oberon {token} Eds")) == [] or all(
        m.score < DEFAULT_THRESHOLD for m in screener.search(PartyQuery(f"Oberon {token} Eds"))
    )


def test_abjad_skeletons_meet_short_names_and_consonant_waw(screener: PartyScreener) -> None:
    index = screener.index
    # "dwd" is דוד (vav as a consonant: David); "ly" is علي (one consonant: Ali)
    assert index.similar_tokens("dwd", True)[index.vocab["david"]][1] == "consonants"
    assert index.similar_tokens("ly", True)[index.vocab["ali"]][1] == "consonants"
    # Latin-script tokens never take this path
    assert index.vocab["ali"] not in index.similar_tokens("ly", False)
