import pytest

from stce.parties.normalise import TokenClass, analyse, fold, spelling_key


def test_fold_transliterates_and_drops_punctuation() -> None:
    assert fold("Société Générale S.A.") == "societe generale s a"
    assert fold("O'Brien") == "obrien"
    assert fold("Владимир Путин") == "vladimir putin"


def test_legal_forms_are_generalised_and_tagged() -> None:
    a = analyse("Shanghai Acme Co., Ltd.")
    b = analyse("Shanghai Acme Company Limited")
    assert a.core == b.core == ("shanghai", "acme")
    assert a.legal_forms and b.legal_forms
    assert TokenClass.LEGAL in a.classes


def test_glued_legal_forms_are_split() -> None:
    assert analyse("HaleelLTD").core == ("haleel",)
    assert analyse("OOORostshipservis").core == ("rostshipservis",)
    # a word that merely ends like a legal form is left alone
    assert analyse("Zinc Smelter").core == ("zinc", "smelter")


def test_leading_honorifics_dropped_but_names_kept() -> None:
    assert analyse("Mr. John Smith").core == ("john", "smith")
    assert analyse("Sheikh Mohammed bin Rashid").core[0] == "mohammed"
    # only two parts: "Amir" may be the given name, so it stays
    assert analyse("Amir Khan").core == ("amir", "khan")


def test_stop_tokens_and_generic_names() -> None:
    a = analyse("Golden Star Trading LLC")
    assert dict(zip(a.tokens, a.classes, strict=True))["trading"] == TokenClass.STOP
    generic = analyse("Global Trading Group")
    assert set(generic.classes) == {TokenClass.GENERIC}


def test_letters_and_digits_split() -> None:
    assert analyse("FU YUAN YU558").core[-1] == "558"


def test_spelling_key_folds_romanisation_choices() -> None:
    assert spelling_key("kyu") == spelling_key("kiu")
    assert spelling_key("hassan") == spelling_key("hasan")
    assert spelling_key("frantso") == spelling_key("franco")
    assert spelling_key("putin") != spelling_key("pushkin")


@pytest.mark.parametrize(
    "name, part",
    [
        ("KIM SE GON", "se"),
        ("Iyad Ag Ghali", "ag"),
        ("HAN YU-RO", "yu"),
        ("Ismael de Vera", "de"),
        ("LI ZHEN YU", "yu"),  # a name of short syllables only
        ("YU CHOL U", "yu"),
    ],
)
def test_short_name_parts_that_spell_a_legal_form_stay_name_parts(name: str, part: str) -> None:
    a = analyse(name)
    assert part in a.core, a
    assert analyse("Kim Gon").core != analyse("KIM SE GON").core


def test_legal_forms_closing_a_company_name_are_still_legal_forms() -> None:
    assert analyse("Nokia Oy").core == ("nokia",)
    assert analyse("Grupo Varnak SA de CV").core == ("grupo", "varnak")
    assert analyse("Siemens AG").legal_forms
    assert analyse("ABC Co Ltd").core == ("abc",)  # short words, but an unmistakable form


@pytest.mark.parametrize("a, b", [("zhang", "yang"), ("zhou", "you"), ("zhao", "yao")])
def test_chinese_zh_surnames_keep_apart_from_y_surnames(a: str, b: str) -> None:
    assert spelling_key(a) != spelling_key(b)


def test_underscores_separate_and_every_apostrophe_vanishes() -> None:
    assert analyse("ACME_TRADING LLC").tokens == ("acme", "trading", "llc")
    for spelling in ("D'Souza Shipping", "D`Souza Shipping", "D’Souza Shipping"):
        assert analyse(spelling).core == ("dsouza", "shipping"), spelling


def test_glued_legal_forms_split_in_place() -> None:
    a = analyse("HaleelLTD Trading")
    assert a.tokens == ("haleel", "llc", "trading")
    assert a.classes == (TokenClass.NAME, TokenClass.LEGAL, TokenClass.STOP)
    polyus = analyse("Public Joint Stock CompanyPolyus")
    assert polyus.core == ("polyus",) and polyus.legal_forms == ("jsc",)


def test_analysis_of_a_name_does_not_depend_on_names_analysed_before() -> None:
    # "se" is a legal form closing "Acme SE" but a name part inside "KIM SE GON": what is
    # remembered per word must not carry one name's reading into the other
    results = []
    for order in (("KIM SE GON", "Acme SE"), ("Acme SE", "KIM SE GON")):
        analyse.cache_clear()
        results.append({name: analyse(name) for name in order})
    assert results[0] == results[1]
    assert "se" in results[0]["KIM SE GON"].core
    assert results[0]["Acme SE"].core == ("acme",)


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        # forms that also end or begin ordinary words stay in the word...
        ("Universal Trading", ("universal", "trading")),
        ("FAYSSAL AHMED", ("fayssal", "ahmed")),
        ("Paolini Marco", ("paolini", "marco")),
        ("Tovmasyan Armen", ("tovmasyan", "armen")),
        ("Stockholm Shipping", ("stockholm", "shipping")),
        # ... unless the writing marks the cut
        ("UniversalSAL", ("universal", "sal")),
        ("PAOGazprom", ("jsc", "gazprom")),
        # unambiguous forms are split however they are written
        ("OOOROSTSHIPSERVIS", ("llc", "rostshipservis")),
        ("HaleelLTD", ("haleel", "llc")),
    ],
)
def test_glued_forms_split_only_where_unambiguous(name: str, tokens: tuple[str, ...]) -> None:
    assert analyse(name).tokens == tokens
