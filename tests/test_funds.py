"""EU funds: every Swedish and English name, abbreviation, inflection and compound; negation."""

import pytest

from pipeline import extract_text


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
