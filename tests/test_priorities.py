"""Coded EU priorities, instruments and the theme taxonomy."""

import pytest

from pipeline import extract_text
from pipeline.data import MODELS_DIR, load_tsv


def record(text: str):
    records = extract_text(text)
    assert len(records) == 1
    return records[0]


def coded(text: str) -> list[tuple[str, str]]:
    return [(p.scheme, p.code) for p in record(text).priorities if p.scheme != "theme"]


def themes(text: str) -> set[str]:
    return {p.code for p in record(text).priorities if p.scheme == "theme"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Insatsen ryms inom investeringsprioritet 1b.", [("erdf_2014_2020_ip", "1b")]),
        ("Medlen går till investeringsprioriteringen 4a.", [("erdf_2014_2020_ip", "4a")]),
        ("Det gäller tematiskt mål 4.", [("erdf_2014_2020_to", "4")]),
        ("Projektet ligger under tematiskt mål 4b.", [("erdf_2014_2020_ip", "4b")]),
        (
            "Programmet omfattar tematiska mål 1, 3 och 4.",
            [("erdf_2014_2020_to", "1"), ("erdf_2014_2020_to", "3"), ("erdf_2014_2020_to", "4")],
        ),
        (
            "Inom investeringsprioriteringarna 1a och 1b.",
            [("erdf_2014_2020_ip", "1a"), ("erdf_2014_2020_ip", "1b")],
        ),
        ("Projektet finansieras av ESF+ inom politiskt mål 4 (PO4).", [("po_2021_2027", "PO4")]),
        ("Insatsen bidrar till PO2.", [("po_2021_2027", "PO2")]),
        ("Regionalfonden satsar på specifikt mål 2.6.", [("so_2021_2027", "2.6")]),
        ("ERUF-medlen går till RSO1.1.", [("so_2021_2027", "1.1")]),
        ("Socialfonden finansierar projektet inom programområde 2.", [("esf_programme_area", "2")]),
        (
            "Socialfonden stödjer programområdena 1 och 2.",
            [("esf_programme_area", "1"), ("esf_programme_area", "2")],
        ),
        ("Projektet får stöd från Socialfonden inom mål 2.3.", [("esf_goal", "2.3")]),
        ("Projektet får stöd från Socialfonden inom specifikt mål 1.1.", [("esf_goal", "1.1")]),
        (
            "Projektet får stöd från regionalfonden inom specifikt mål 1.1.",
            [("so_2021_2027", "1.1")],
        ),
    ],
)
def test_coded_priorities(text, expected):
    assert coded(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Målet är att 40 procent av deltagarna ska få arbete.",
        "Projektet har tre mål.",
        "Se avsnitt 2.3 för en beskrivning.",
        "Investeringsprioritet 12z finns inte.",
        "Det tematiska arbetet pågår.",
        "Programområdet Västsverige omfattar två län.",
    ],
)
def test_no_coded_priority(text):
    assert coded(text) == []


def test_negated_code_is_a_warning():
    found = record("Projektet ryms inte inom investeringsprioritet 9c.")
    assert coded("Projektet ryms inte inom investeringsprioritet 9c.") == []
    assert any("negated" in w and "investeringsprioritet 9c" in w for w in found.warnings)


def test_code_carries_its_official_name_and_evidence():
    found = record("Insatsen ryms inom investeringsprioritet 1b.").priorities
    ip = next(p for p in found if p.scheme == "erdf_2014_2020_ip")
    assert ip.name.startswith("Främja företagens investeringar i forskning och innovation")
    assert [m.text for m in ip.mentions] == ["investeringsprioritet 1b"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Göteborg som testarena är ett ITI-projekt.", "ITI"),
        ("Verktyget Integrerade Territoriella Investeringar, ITI, har introducerats.", "ITI"),
        ("Arbetet sker genom lokalt ledd utveckling.", "CLLD"),
        ("CLLD används i fyra områden.", "CLLD"),
        ("Leaderområdet har beviljat stöd.", "CLLD"),
        ("I Interreg-projektet Sydöstra korridoren samarbetar hamnarna.", "INTERREG"),
        ("Programmet Interreg Nord finansierar gränssamarbete.", "INTERREG"),
        ("Inom europeiskt territoriellt samarbete finns flera program.", "INTERREG"),
    ],
)
def test_instruments(text, code):
    assert ("instrument", code) in coded(text)


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Målet är hållbar stadsutveckling.", "sustainable_urban"),
        ("Den hållbara stadsutvecklingen är en given del.", "sustainable_urban"),
        ("Sektorsövergripande innovationssamarbete.", "research_innovation"),
        ("Stöd till IKT-företag och digitalisering.", "ict"),
        ("Stärka förutsättningarna för små och medelstora företag.", "sme_competitiveness"),
        ("Lågt nyföretagande och intresse för entreprenörskap.", "entrepreneurship"),
        ("Minska koldioxidutsläpp och främja förnybar energi.", "low_carbon"),
        ("Entreprenörskap inom cirkulär ekonomi.", "circular_economy"),
        ("Den cirkulära ekonomin växer.", "circular_economy"),
        ("Plastens klimatpåverkan är ett av våra största miljöproblem.", "climate_environment"),
        ("Elektrifierade transporter och kollektivtrafik.", "transport"),
        ("Kompetensförsörjning och arbetslöshet.", "employment_skills"),
        ("Integration av nyanlända.", "social_inclusion"),
        ("Nyföretagande inriktat på social ekonomi.", "social_economy"),
        ("Den sociala ekonomin och arbetsintegrerande sociala företag.", "social_economy"),
        ("Nya krav vid upphandling.", "public_procurement"),
        ("Hållbar stadsutveckling är en del av smart specialisering.", "smart_specialisation"),
        ("Servicepunkter på landsbygden.", "rural_development"),
    ],
)
def test_themes(text, theme):
    assert theme in themes(text)


def test_themes_are_not_scored_as_codes_and_keep_every_mention():
    found = [p for p in record("Innovation och mer innovation.").priorities]
    research = [p for p in found if p.code == "research_innovation"]
    assert len(research) == 1 and research[0].scheme == "theme"
    assert [m.text for m in research[0].mentions] == ["Innovation", "innovation"]


def test_theme_taxonomy_is_fixed_and_complete():
    rows = load_tsv(MODELS_DIR / "priorities" / "themes.tsv", ("code", "name", "phrases"))
    assert [row["code"] for row in rows] == [
        "sustainable_urban",
        "research_innovation",
        "ict",
        "sme_competitiveness",
        "entrepreneurship",
        "low_carbon",
        "circular_economy",
        "climate_environment",
        "transport",
        "employment_skills",
        "social_inclusion",
        "social_economy",
        "public_procurement",
        "smart_specialisation",
        "rural_development",
    ]


def test_code_lists_are_complete():
    rows = load_tsv(MODELS_DIR / "priorities" / "codes.tsv", ("scheme", "code", "name"))
    by_scheme: dict[str, set[str]] = {}
    for row in rows:
        assert row["name"], row
        by_scheme.setdefault(row["scheme"], set()).add(row["code"])
    assert by_scheme["erdf_2014_2020_to"] == {str(n) for n in range(1, 12)}
    assert {"1a", "1b", "2a", "3a", "3d", "4a", "4e", "6g", "7e", "9d"} <= by_scheme[
        "erdf_2014_2020_ip"
    ]
    assert by_scheme["po_2021_2027"] == {"PO1", "PO2", "PO3", "PO4", "PO5"}
    assert {"1.1", "1.5", "2.6", "2.8", "3.2", "4.6", "5.2"} <= by_scheme["so_2021_2027"]
    assert by_scheme["esf_programme_area"] == {"1", "2", "3", "4"}
    assert by_scheme["instrument"] == {"ITI", "CLLD", "INTERREG"}


# -- candidate tokens: what the component looks at ---------------------------------------------


def priority_component():
    from pipeline.components.priorities import PriorityRecognizer
    from pipeline.nlp import load_nlp

    nlp = load_nlp()
    return nlp, PriorityRecognizer(nlp, MODELS_DIR / "priorities")


def prepared(nlp, text: str):
    """A doc as the pipeline hands it to the priorities component."""
    doc = nlp.make_doc(text)
    for name, component in nlp.pipeline:
        if name == "casebook_priorities_v2":
            return doc
        doc = component(doc)
    raise AssertionError("no casebook_priorities_v2 in the pipeline")


def found(doc) -> list[tuple[str, str, str]]:
    return [
        (span.text, span.kb_id_, span._.cb["scheme"])
        for key in ("cb_priorities", "cb_negated")
        for span in doc.spans.get(key, [])
    ]


def test_a_theme_phrase_can_start_at_a_word_known_only_by_its_lemma():
    from spacy.tokens import Doc

    nlp, component = priority_component()
    words = ["Den", "gröna", "stadsutvecklingen", "."]
    doc = Doc(nlp.vocab, words=words, lemmas=["den", "hållbar", "stadsutveckling", "."])
    assert found(component(doc)) == [
        ("gröna stadsutvecklingen", "sustainable_urban", "theme"),
        ("stadsutvecklingen", "sustainable_urban", "theme"),
    ]


def test_codes_after_a_cue_are_not_read_again_as_codes_of_their_own():
    nlp, component = priority_component()
    doc = prepared(nlp, "Inom politiskt mål PO4 och PO5 samt RSO1.1, tematiska mål 1, 3 och 4.")
    assert [(text, code) for text, code, _ in found(component(doc))] == [
        ("politiskt mål PO4", "PO4"),
        ("PO5", "PO5"),
        ("RSO1.1", "1.1"),
        ("tematiska mål 1", "1"),
        ("3", "3"),
        ("4", "4"),
    ]


def test_results_do_not_depend_on_what_the_component_saw_before(monkeypatch):
    from pipeline.components import priorities

    texts = [
        "Investeringsprioritet 1b och hållbar stadsutveckling i Leaderområdet.",
        "Tematiskt mål 4, PO2 och cirkulär ekonomi; lokalt ledd utveckling med ITI.",
        "Socialfonden inom mål 2.3 och integration av nyanlända; Interreg Nord.",
    ]
    nlp, fresh = priority_component()
    expected = [found(fresh(prepared(nlp, text))) for text in texts]
    assert all(expected)
    # A tiny cache, cleared after nearly every doc, gives the same spans as a fresh one.
    monkeypatch.setattr(priorities, "MAX_CACHED_TOKENS", 3)
    _, reused = priority_component()
    for _ in range(2):
        assert [found(reused(prepared(nlp, text))) for text in texts] == expected
