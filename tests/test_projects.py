"""Projects, initiatives and models: cues, name extent, variants, spelling reconciliation."""

import pytest

from pipeline import extract_text
from pipeline.components.projects import edit_distance_one


def record(text: str):
    records = extract_text(text)
    assert len(records) == 1
    return records[0]


def projects(text: str) -> list[str]:
    return [project.name for project in record(text).projects]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Cue word before the name; capitalised and sentence-case names.
        ("Projektet Kompetenslyftet Norr ägs av Gällivare kommun.", ["Kompetenslyftet Norr"]),
        ("Kommunerna har drivit projektet Inlandsresan, som hjälper företag.", ["Inlandsresan"]),
        ("Projektet Vägen in drivs av Malmö stad.", ["Vägen in"]),
        ("Samverkansprojektet Nästa steg samlar de elva kommunerna.", ["Nästa steg"]),
        (
            "Kommunerna har drivit kompetensutvecklingsprojektet Digitalt lyft med stöd från ESF.",
            ["Digitalt lyft"],
        ),
        ("I Interreg-projektet Sydöstra korridoren samarbetar hamnarna.", ["Sydöstra korridoren"]),
        ("Coompanion har drivit ESF-projektet Växtkraft Nordost.", ["Växtkraft Nordost"]),
        ("Regionalfondsprojektet Återbruk Sjuhärad samlar sju kommuner.", ["Återbruk Sjuhärad"]),
        ("I projektet Hållbar fångst Väst testar fiskare nya redskap.", ["Hållbar fångst Väst"]),
        (
            "Kommunerna driver projektet Unga i rörelse, som ger unga fritidsaktiviteter.",
            ["Unga i rörelse"],
        ),
        (
            "Kommunen driver projektet Arbete för alla tillsammans med Arbetsförmedlingen.",
            ["Arbete för alla"],
        ),
        (
            "Projektet har fått namnet Hav och land och har en budget på 450 000 kronor.",
            ["Hav och land"],
        ),
        ("Projektet, som har fått namnet Nästa kapitel, finansieras av ESF+.", ["Nästa kapitel"]),
        (
            "I det ERUF-finansierade projektet Digitala leverantörer har företagen fått stöd.",
            ["Digitala leverantörer"],
        ),
        ("Projektet Idéslussen startade i mars 2016.", ["Idéslussen"]),
        ("Projektet heter Smart industri och drivs av regionen.", ["Smart industri"]),
        ("Kommunen driver projektet Vägen in för nyanlända Malmöbor.", ["Vägen in"]),
        ("I projektet Friskvägen utvecklat en gemensam modell.", ["Friskvägen"]),
        # Quoted names.
        ('Göteborgs Stad driver projektet "Laddlinjen", en testarena.', ["Laddlinjen"]),
        (
            "Socialfonden finansierade ett omställningsprojekt, ”Jobbsprånget Nord”, som gav jobb.",
            ["Jobbsprånget Nord"],
        ),
        # Copula: the sentence subject names the project.
        (
            "One Stop Future Shop är ett annat ITI-projekt för hållbar stadsutveckling.",
            ["One Stop Future Shop"],
        ),
        (
            "Etablera fler snabbare är namn tillika mål för Malmö stads projektplattform.",
            ["Etablera fler snabbare"],
        ),
        # Models and local strategy documents.
        (
            "Stockholmsmodellen är en styrmodell för regionala tillväxtprocesser.",
            ["Stockholmsmodellen"],
        ),
        ("Plattformen följer arbetssättet Malmömodellen.", ["Malmömodellen"]),
        (
            "Utgångspunkten är lokala styrdokument såsom Vision Älvstaden och Jämlikt Göteborg.",
            ["Vision Älvstaden", "Jämlikt Göteborg"],
        ),
    ],
)
def test_project_names(text, expected):
    assert projects(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Projektet har en budget på 5 miljoner kronor.",
        "Det är ett ITI-projekt för att stärka staden.",
        "Satsningen har en budget på 4,5 miljoner kronor.",
        "Modellen har senare spridits till fler kommuner.",
        "Kommunen driver ett ERUF-finansierat projekt som syftar till nya krav.",
        "Projektet är en pilot för nya sätt att arbeta.",
        "Syftet är att samordna självständiga projekt med EU-finansiering.",
    ],
)
def test_no_project(text):
    assert projects(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Stöd ges via Scale Up Stockholm till unga företag.", ["Scale Up Stockholm"]),
        ("Arbetet i Norra Mellansverige och Östra Göinge fortsätter.", []),
        ("Kontaktperson för rapporten är Jonas Falk.", []),
        ("Svenska Kraftnät bygger ut elnätet.", []),
    ],
)
def test_title_case_names_of_non_swedish_words(text, expected):
    assert projects(text) == expected


def test_ett_exempel_is_not_a_name():
    text = "Ett exempel är projektet Scale Up Stockholm, där KTH ger stöd."
    assert projects(text) == ["Scale Up Stockholm"]


def test_variant_mentions_link_to_the_first_name():
    text = (
        "One Stop Future Shop är ett annat ITI-projekt. One Stop Shop Future Shop står för ett "
        "samlat stöd. One Stop har oväntat snabbt uppnått sina mål."
    )
    found = record(text).projects
    assert [(p.name, [m.text for m in p.mentions]) for p in found] == [
        ("One Stop Future Shop", ["One Stop Future Shop", "One Stop Shop Future Shop", "One Stop"])
    ]


def test_repeated_single_word_name_is_one_project():
    found = record("Projektet Idéslussen startade 2016. Idéslussen hjälper företag.").projects
    assert [(p.name, len(p.mentions)) for p in found] == [("Idéslussen", 2)]


def test_misspelt_name_word_is_reconciled_with_the_spelling_attested_in_the_text():
    text = (
        "Göteborg som testarrena för små och medelstora företag är ett ITI-projekt. "
        "Det specifika testarena-projektet utvecklar ett arbetssätt."
    )
    found = record(text).projects
    assert [p.name for p in found] == ["Göteborg som testarena för små och medelstora företag"]
    # The mention keeps the text as written.
    assert found[0].mentions[0].text == "Göteborg som testarrena för små och medelstora företag"


def test_unattested_unknown_word_is_kept_as_written():
    text = "Göteborg som testarrena för små företag är ett ITI-projekt."
    assert projects(text) == ["Göteborg som testarrena för små företag"]


def test_known_word_is_not_changed_to_a_near_spelling():
    # "arena" is a known word; "arenan" nearby must not replace it.
    text = "Staden som arena för kultur är ett projekt. Arenan byggs om."
    assert projects(text) == ["Staden som arena för kultur"]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("testarena", "testarrena", True),
        ("testarena", "testarene", True),
        ("testarena", "testarena", False),
        ("testarena", "testarrenna", False),
        ("kapitel", "kapital", True),
    ],
)
def test_edit_distance_one(a, b, expected):
    assert edit_distance_one(a, b) is expected


def test_place_inside_project_name_is_not_a_place():
    found = record("Region Halland driver projektet Smakfullt Halland, som ger stöd.")
    assert [p.name for p in found.projects] == ["Smakfullt Halland"]
    assert [m.text for r in found.regions for m in r.mentions] == ["Region Halland"]


# A cue in a fronted adverbial: Swedish puts the finite verb second, so a sentence-case name
# runs up to that verb, function words included.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I projektet Hav och skog i samverkan har tolv gårdar deltagit.",
            ["Hav och skog i samverkan"],
        ),
        ("Inom projektet Vinter på fjället arbetar fem byar tillsammans.", ["Vinter på fjället"]),
        ("Genom projektet Bygd i rörelse har 40 föreningar fått stöd.", ["Bygd i rörelse"]),
        ("I projektet Handla lokalt året om samlas bönderna.", ["Handla lokalt året om"]),
        # Not fronted: the ordinary name extent ends at the first function word.
        ("Kommunen driver projektet Bygd i rörelse om landsbygden.", ["Bygd i rörelse"]),
        # No verb before punctuation: the ordinary extent again.
        ("I projektet Unga i rörelse, som startade 2019, deltar 30 ungdomar.", ["Unga i rörelse"]),
    ],
)
def test_fronted_cue_name_runs_to_the_finite_verb(text, expected):
    assert projects(text) == expected


# The copula pattern needs a project noun as its complement; "är att …" has none.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Digital handel i glesbygd var ett regionalfondsprojekt som avslutades 2021.",
            ["Digital handel i glesbygd"],
        ),
        (
            "Gröna jobb i norr är ett utvecklingsprojekt inom landsbygdsprogrammet.",
            ["Gröna jobb i norr"],
        ),
        ("Tanken är att projektet ska nå fler unga.", []),
        ("Syftet var att pröva nya arbetssätt i projektet.", []),
        ("Resultatet är ett nytt projekt för unga.", []),
        ("Utvärderingen var ett viktigt underlag för projektet.", []),
        ("Hela satsningen är ett samverkansprojekt.", []),
        ("I projektet har deltagarna fått handledning.", []),
        ("I projektet, som pågick i tre år, deltog 30 företag.", []),
    ],
)
def test_copula_needs_a_project_noun(text, expected):
    assert projects(text) == expected


def test_word_for_word_repeat_of_a_sentence_case_name_is_a_mention():
    text = (
        "Exempel 1: Bygd i rörelse – service på landsbygden\n\n"
        "Genom projektet Bygd i rörelse har 40 föreningar fått stöd. Bygd i rörelse fortsätter."
    )
    found = record(text).projects
    assert [(p.name, [m.text for m in p.mentions]) for p in found] == [
        ("Bygd i rörelse", ["Bygd i rörelse", "Bygd i rörelse", "Bygd i rörelse"])
    ]


@pytest.mark.parametrize(
    ("form", "lemma", "expected"),
    [
        ("samlar", "samla", True),
        ("samlas", "samla", True),
        ("samlade", "samla", True),
        ("samlades", "samla", True),
        ("samlat", "samla", True),
        ("driver", "driva", True),
        ("drivs", "driva", True),
        ("drives", "driva", True),
        ("körde", "köra", True),
        ("köpte", "köpa", True),
        ("kört", "köra", True),
        ("drivit", "driva", True),
        ("körts", "köra", True),
        ("saml", "samla", False),
        ("samlarna", "samla", False),
        ("insamlar", "samla", False),
        ("startade", "startade", True),
        ("start", "start", False),
        ("utvecklat", "utvecklad", True),
    ],
)
def test_verb_forms_from_form_and_lemma(form, lemma, expected):
    from spacy.tokens import Doc

    from pipeline.components.projects import is_verb_form
    from pipeline.nlp import load_nlp

    doc = Doc(load_nlp().vocab, words=[form], lemmas=[lemma])
    assert is_verb_form(doc[0]) is expected


def test_title_case_run_starts_after_a_sentence_opening_word():
    assert projects("Sedan One Stop Future Shop startade har företagen fått stöd.") == [
        "One Stop Future Shop"
    ]
