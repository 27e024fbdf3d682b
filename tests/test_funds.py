"""EU funds: every Swedish and English name, abbreviation, inflection and compound; negation."""

import json
import re
from pathlib import Path

import pytest

from pipeline import extract_text
from pipeline.data import MODELS_DIR, load_tsv


def record(text: str):
    records = extract_text(text)
    assert len(records) == 1
    return records[0]


def fund_mentions(text: str) -> list[tuple[str, str]]:
    return [(fund.code, m.text) for fund in record(text).funds for m in fund.mentions]


@pytest.mark.parametrize(
    ("phrase", "code"),
    [
        ("Regionalfonden", "ERDF"),
        ("regionalfondens", "ERDF"),
        ("Europeiska regionala utvecklingsfonden", "ERDF"),
        ("europeiska regionala utvecklingsfondens", "ERDF"),
        ("ERUF", "ERDF"),
        ("Eruf", "ERDF"),
        ("ERDF", "ERDF"),
        ("ERUF:s", "ERDF"),
        ("ERUF-finansierat", "ERDF"),
        ("ERDF-medel", "ERDF"),
        ("regionalfondsprojekt", "ERDF"),
        ("regionalfondsmedel", "ERDF"),
        ("European Regional Development Fund", "ERDF"),
        ("Socialfonden", "ESF"),
        ("socialfondens", "ESF"),
        ("Europeiska socialfonden", "ESF"),
        ("ESF", "ESF"),
        ("ESF-projekt", "ESF"),
        ("socialfondsmedel", "ESF"),
        ("European Social Fund", "ESF"),
        ("ESF+", "ESF+"),
        ("ESF +", "ESF+"),
        ("ESF+-projekt", "ESF+"),
        ("Europeiska socialfonden+", "ESF+"),
        ("Europeiska socialfonden plus", "ESF+"),
        ("Socialfonden+", "ESF+"),
        ("European Social Fund Plus", "ESF+"),
        ("Sammanhållningsfonden", "CF"),
        ("sammanhållningsfondens", "CF"),
        ("Kohesionsfonden", "CF"),
        ("Cohesion Fund", "CF"),
        ("Landsbygdsfonden", "EAFRD"),
        ("landsbygdsfondens", "EAFRD"),
        ("Europeiska jordbruksfonden för landsbygdsutveckling", "EAFRD"),
        ("EJFLU", "EAFRD"),
        ("EAFRD", "EAFRD"),
        ("Havs- och fiskerifonden", "EMFF"),
        ("Europeiska havs- och fiskerifonden", "EMFF"),
        ("EHFF", "EMFF"),
        ("EMFF", "EMFF"),
        ("Europeiska havs-, fiske- och vattenbruksfonden", "EMFAF"),
        ("Havs-, fiske- och vattenbruksfonden", "EMFAF"),
        ("EHFVF", "EMFAF"),
        ("EMFAF", "EMFAF"),
        ("Fonden för en rättvis omställning", "JTF"),
        ("Fonden för rättvis omställning", "JTF"),
        ("FRO", "JTF"),
        ("JTF", "JTF"),
        ("JTF-medlen", "JTF"),
        ("Just Transition Fund", "JTF"),
    ],
)
def test_fund_names(phrase, code):
    assert fund_mentions(f"Projektet finansieras med stöd från {phrase} under 2020.") == [
        (code, phrase)
    ]


def test_fund_name_over_a_line_break():
    text = "Projektet har finansierats av Europeiska regionala utvecklings-\nfonden."
    assert [fund.code for fund in record(text).funds] == ["ERDF"]


def test_one_fund_many_mentions_in_order():
    found = record("ESF/Socialfonden eller ERUF/Regionalfonden, alla med EU-finansiering.").funds
    assert [(f.code, [m.text for m in f.mentions]) for f in found] == [
        ("ESF", ["ESF", "Socialfonden"]),
        ("ERDF", ["ERUF", "Regionalfonden"]),
    ]
    assert found[0].name == "Europeiska socialfonden"


@pytest.mark.parametrize(
    "text",
    [
        "Svenska ESF-rådet beviljade projektet.",
        "ESF-rådets handläggare har följt projektet.",
        "Liksom andra projekt inom strukturfonderna saknas finansiering.",
        "Strukturfondsprogrammen och strukturfondspartnerskapet beslutar.",
        "Projektet fick EU-finansiering.",
    ],
)
def test_no_fund(text):
    assert record(text).funds == []


def test_socialfonden_alone_is_not_esf_plus():
    assert [f.code for f in record("Projektet får stöd från Socialfonden.").funds] == ["ESF"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Sverige får inte stöd från Sammanhållningsfonden.", "CF"),
        ("Hamnen har däremot inte fått något stöd från regionalfonden.", "ERDF"),
        ("Projektet fick inget stöd från Landsbygdsfonden.", "EAFRD"),
    ],
)
def test_negated_fund_is_a_warning_not_a_value(text, code):
    found = record(text)
    assert found.funds == []
    assert any(w.startswith("funds:") and "negated" in w for w in found.warnings)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Projektet fick inte bara stöd från Socialfonden utan också från ERUF.", {"ESF", "ERDF"}),
        ("Projektet fick inget stöd från kommunen, men från Landsbygdsfonden.", {"EAFRD"}),
        (
            "Medel från Sammanhållningsfonden finansierar järnvägen i Lettland.",
            {"CF"},
        ),
    ],
)
def test_negation_does_not_reach_past_a_contrast(text, codes):
    found = record(text)
    assert {f.code for f in found.funds} == codes
    assert not any("negated" in w for w in found.warnings)


# -- the fast pattern evaluation agrees with spaCy's Matcher -----------------------------------

FUND_TEXT = (
    "Stöd från Europeiska regionala utvecklingsfonden, ERUF:s och ESF-projekt, ESF + och ESF+-"
    "projekt. Europeiska socialfonden plus, European Social Fund Plus, Europeiska havs-, fiske-"
    " och vattenbruksfonden samt havs- och fiskerifonden. Fonden för en rättvis omställning, "
    "Fonden för rättvis omställning och Just Transition Fund. Svenska ESF-rådet och "
    "strukturfondspartnerskapet. European Maritime, Fisheries and Aquaculture Fund; "
    "Europeiska jordbruksfonden för landsbygdsutveckling, Kohesionsfonden, Cohesion Fund."
)


def fund_component(data_dir=None):
    from pipeline.components.funds import FundRecognizer
    from pipeline.nlp import load_nlp

    nlp = load_nlp()
    return nlp, FundRecognizer(nlp, data_dir or MODELS_DIR / "funds")


def test_fast_patterns_find_the_matchers_matches():
    nlp, component = fund_component()
    assert component.patterns is not None
    doc = nlp.make_doc(FUND_TEXT)
    windows = component._windows(doc)
    expected = {
        (nlp.vocab.strings[match_id], low + start, low + end)
        for low, high in windows
        for match_id, start, end in component.matcher(doc[low:high])
    }
    found = component._matches(doc)
    assert len(found) == len(set(found))
    assert set(found) == expected
    assert {code for code, _, _ in found} >= {"ERDF", "ESF", "ESF+", "EMFF", "EMFAF", "JTF"}


def test_patterns_the_fast_path_cannot_evaluate_use_the_matcher(tmp_path):
    source = Path(__file__).resolve().parents[1] / "models" / "funds"
    for name in ("funds.tsv", "triggers.tsv"):
        (tmp_path / name).write_text((source / name).read_text(encoding="utf-8"))
    pattern = {"label": "ERDF", "pattern": [{"TEXT": {"REGEX": "^Regionalfond"}, "OP": "+"}]}
    (tmp_path / "patterns.jsonl").write_text(json.dumps(pattern) + "\n", encoding="utf-8")
    nlp, component = fund_component(tmp_path)
    assert component.patterns is None
    doc = component(nlp.make_doc("Stöd från Regionalfonden i år."))
    assert [(span.text, span.kb_id_) for span in doc.spans["cb_funds"]] == [
        ("Regionalfonden", "ERDF")
    ]


@pytest.mark.parametrize(
    "text",
    [
        FUND_TEXT,
        "Eſf-projektet och EſF, ESF",  # long s matches "s" case-insensitively
        "İstanbulfonden och FOND",  # lower-casing İ adds a character
        "esfond fundera ERDFUND",  # overlapping stems: the first one wins
        "",
    ],
)
def test_trigger_stems_are_found_as_the_case_insensitive_regex_finds_them(text):
    _, component = fund_component()
    expected = [found.start() for found in component.trigger.finditer(text)]
    assert component._trigger_starts(text) == expected


def test_stem_letters_lower_case_like_the_case_insensitive_regex_matches_them():
    # The stems are searched in the lower-cased text: that finds what re.IGNORECASE finds only
    # if every character matching a stem letter case-insensitively lower-cases to it.
    stems = [row["stem"] for row in load_tsv(MODELS_DIR / "funds" / "triggers.tsv", ("stem",))]
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for letter in sorted({c for stem in stems for c in stem}):
        matching = set(re.findall(re.escape(letter), every, re.IGNORECASE))
        assert {c.lower().replace("ſ", "s") for c in matching} == {letter.lower()}, letter
