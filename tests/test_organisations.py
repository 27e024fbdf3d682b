"""Organisations: listed names, structural cues, nominative names, and what is not one."""

import pytest

from pipeline import extract_text


def record(text: str):
    records = extract_text(text)
    assert len(records) == 1
    return records[0]


def organisations(text: str) -> list[str]:
    return [org.name for org in record(text).organisations]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Authorities and the managing authorities.
        ("Tillväxtverket har lyft fram dem som förebilder.", ["Tillväxtverket"]),
        (
            "Projektet drivs med Arbetsförmedlingen och Försäkringskassan.",
            ["Arbetsförmedlingen", "Försäkringskassan"],
        ),
        ("Svenska ESF-rådet beviljade projektet.", ["Svenska ESF-rådet"]),
        ("Naturvårdsverket och SMHI har bidragit.", ["Naturvårdsverket", "SMHI"]),
        ("Havs- och vattenmyndigheten har följt projektet.", ["Havs- och vattenmyndigheten"]),
        # County administrative boards.
        (
            "Länsstyrelsen i Jönköpings län har samordnat arbetet.",
            ["Länsstyrelsen i Jönköpings län"],
        ),
        ("Länsstyrelsen Västernorrland har handlagt ansökan.", ["Länsstyrelsen Västernorrland"]),
        ("Länsstyrelsen i Skåne följer arbetet.", ["Länsstyrelsen i Skåne"]),
        (
            "Beslutet fattades av länsstyrelsen i Norrbottens län.",
            ["länsstyrelsen i Norrbottens län"],
        ),
        # Universities and colleges, in any capitalisation of the later words.
        ("Forskare vid Göteborgs universitet deltar.", ["Göteborgs universitet"]),
        ("KTH och Karolinska Institutet ger stöd.", ["KTH", "Karolinska Institutet"]),
        ("Högskolan i Halmstad gjorde uppföljningen.", ["Högskolan i Halmstad"]),
        ("Jönköping University erbjöd kartläggning.", ["Jönköping University"]),
        ("Blekinge tekniska högskola har bidragit.", ["Blekinge tekniska högskola"]),
        ("Mittuniversitetet och Linnéuniversitetet.", ["Mittuniversitetet", "Linnéuniversitetet"]),
        # Regions.
        ("Region Skåne bidrar med medfinansiering.", ["Region Skåne"]),
        ("Västra Götalandsregionen står som medfinansiär.", ["Västra Götalandsregionen"]),
        ("Region Jämtland Härjedalen leder arbetet.", ["Region Jämtland Härjedalen"]),
        # NGOs, associations, EU institutions.
        ("Samarbetet sker främst med Röda korset.", ["Röda korset"]),
        ("Coompanion och SKR har stöttat företagen.", ["Coompanion", "SKR"]),
        ("Europeiska kommissionen godkände programmet.", ["Europeiska kommissionen"]),
        ("Riksidrottsförbundet deltar i projektet.", ["Riksidrottsförbundet"]),
        ("Skaraborgs Kommunalförbund driver arbetet.", ["Skaraborgs Kommunalförbund"]),
        # Companies: legal form, list, type nouns.
        ("Sandvik AB är den största arbetsgivaren.", ["Sandvik AB"]),
        ("Tillsammans med Volvo Bussar testas nya bussar.", ["Volvo Bussar"]),
        ("Arbetet sker med teknikföretaget ABB och skogsbolaget SCA.", ["ABB", "SCA"]),
        ("Skogsägarföreningen Södra är med.", ["Södra"]),
        ("När företaget Cementa planerar att fånga in koldioxid.", ["Cementa"]),
        ("Den finska myndigheten FPA deltar.", ["FPA"]),
        ("Det kommunala bolaget Borås Energi och Miljö deltar.", ["Borås Energi och Miljö"]),
        (
            "Branschorganisationen Skogsindustrierna och forskningsinstitutet RISE.",
            ["Skogsindustrierna", "RISE"],
        ),
        # The agent of a project.
        ("Projektet Idéslussen ägs av Innovatum i Trollhättan.", ["Innovatum"]),
    ],
)
def test_organisation_names(text, expected):
    assert organisations(text) == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("LKAB:s gruvdrift flyttar stadskärnan.", "LKAB"),
        ("Tillväxtverkets utvärdering visar resultat.", "Tillväxtverket"),
        ("ESF-rådets kontor i Västerås.", "ESF-rådet"),
        ("Region Skånes beslut kom i maj.", "Region Skåne"),
        ("Västra Götalandsregionens anslag.", "Västra Götalandsregionen"),
    ],
)
def test_names_are_nominative(text, name):
    assert organisations(text) == [name]


def test_alias_links_to_canonical_name_but_keeps_written_name():
    found = record("ESF-rådet beviljade medel. Svenska ESF-rådet följde upp.").organisations
    assert [(org.name, [m.text for m in org.mentions]) for org in found] == [
        ("ESF-rådet", ["ESF-rådet", "Svenska ESF-rådet"])
    ]


@pytest.mark.parametrize(
    "text",
    [
        # Municipal organisations are cities.
        "Uppsala kommun och Malmö stad driver projektet.",
        "Göteborgs Stad och Helsingborgs stad samarbetar.",
        "Projektet leds av Öckerö kommun.",
        "Projektet drivs av Malmö stad.",
        # Generic bodies and the EU itself.
        "Kommunstyrelsen har antagit en plan och regeringen har beslutat.",
        "Strukturfondspartnerskapet beslutar om utlysningar inom EU.",
        "Länsstyrelsen har samordnat arbetet.",
        "Nätverket träffas regelbundet.",
        "Programområdet omfattar två län.",
        # People and places after an agent cue.
        "Utvärderingen leddes av professor Karin Lund.",
        "Projektet ägs av Gällivare kommun.",
    ],
)
def test_not_an_organisation(text):
    assert organisations(text) == []


def test_county_body_gives_region_but_university_does_not_give_city():
    found = record("Luleå tekniska universitet och Region Norrbotten samarbetar.")
    assert [org.name for org in found.organisations] == [
        "Luleå tekniska universitet",
        "Region Norrbotten",
    ]
    assert [r.name for r in found.regions] == ["Norrbottens län"]
    assert found.cities == []


def test_organisation_kinds():
    found = record("Tillväxtverket, Umeå universitet, Coompanion och Sandvik AB.").organisations
    assert [(org.name, org.kind) for org in found] == [
        ("Tillväxtverket", "authority"),
        ("Umeå universitet", "university"),
        ("Coompanion", "association"),
        ("Sandvik AB", "company"),
    ]


# A capitalised name before a word ending in an organisation head (cues.tsv suffix_head), in
# any case; the head gives the kind.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Projektet drivs av Österlens hembygdsförening och skolan.",
            [("Österlens hembygdsförening", "association")],
        ),
        ("Bohusläns museum har dokumenterat fiskelägena.", [("Bohusläns museum", "organisation")]),
        (
            "Utställningen visas på Västerbottens Museum i vinter.",
            [("Västerbottens Museum", "organisation")],
        ),
        (
            "Ansökan skrevs av Sörmlands idrottsförbund.",
            [("Sörmlands idrottsförbund", "association")],
        ),
        ("Kalix folkhögskola erbjuder kursen.", [("Kalix folkhögskola", "organisation")]),
        ("Dalarnas museum har öppnat en utställning.", [("Dalarnas museum", "organisation")]),
        # Genitive names are nominative.
        (
            "Materialet finns i Gotlands hembygdsförbunds arkiv.",
            [("Gotlands hembygdsförbund", "association")],
        ),
        # An ordinary word at a sentence start names nothing.
        ("Vår förening har 200 medlemmar.", []),
        ("Kommunens museum har fått nya lokaler.", []),
        # The head must end the word ("föreningsliv") and stand right after the name.
        ("Dalarnas föreningsliv är rikt.", []),
        ("Gotlands många hembygdsföreningar samarbetar.", []),
    ],
)
def test_name_before_an_organisation_head(text, expected):
    assert [(org.name, org.kind) for org in record(text).organisations] == expected


# A compound ending in a definite organisation head, placed with "i <Place>" (located_head).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Arbetet samordnas av Energikontoret i Värmland.", ["Energikontoret i Värmland"]),
        (
            "Finansiering kom från Samordningsförbundet i Östra Södertörn.",
            ["Samordningsförbundet i Östra Södertörn"],
        ),
        ("Medel söktes hos Sparbanksstiftelsen i Jämtland.", ["Sparbanksstiftelsen i Jämtland"]),
        (
            "Beslutet togs av Hembygdsförbundet i Gotlands län.",
            ["Hembygdsförbundet i Gotlands län"],
        ),
        # A name broken across lines is one name on one line.
        (
            "Det sker med Utvecklingsbolaget\ni Västernorrland.",
            ["Utvecklingsbolaget i Västernorrland"],
        ),
        # A listed name keeps its extent; a head alone or a municipal body is no name.
        ("Arbetsförmedlingen i Borås deltar.", ["Arbetsförmedlingen"]),
        ("Föreningen i Åre har ansökt om stöd.", []),
        ("Projektet ritades av Stadsbyggnadskontoret i Umeå.", []),
        # At a sentence start an ordinary compound is a common noun.
        ("Näringslivskontoret i Pajala har lett arbetet.", []),
    ],
)
def test_definite_head_located_with_i_place(text, expected):
    assert organisations(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A listed association or company continues over an area name.
        ("Rådgivningen sköts av Coompanion Västerbotten.", ["Coompanion Västerbotten"]),
        ("Hushållningssällskapet Halland har provodlat bönor.", ["Hushållningssällskapet Halland"]),
        (
            "Kurserna ges av Coompanion Sydost och Coompanion Uppland.",
            ["Coompanion Sydost", "Coompanion Uppland"],
        ),
        # An authority does not; nor does a word after a sentence end.
        ("Tillväxtverket Skåne", ["Tillväxtverket"]),
        ("Stödet kom från Coompanion. Skåne har fått mest.", ["Coompanion"]),
    ],
)
def test_listed_name_continues_over_an_area(text, expected):
    assert organisations(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A single compound ending in a common organisation head.
        ("Turerna körs av Blidösundsbolaget sedan länge.", [("Blidösundsbolaget", "company")]),
        ("Styrsöbolaget trafikerar öarna.", [("Styrsöbolaget", "company")]),
        # At a sentence start an ordinary compound is no name; mid-sentence capitals are.
        ("Bostadsbolaget har renoverat husen.", []),
        ("Hembygdsföreningen har röjt stigen.", []),
        # A type noun before a name is no name of its own.
        ("Hembygdsföreningen Gillet har röjt stigen.", [("Gillet", "organisation")]),
    ],
)
def test_compound_with_a_common_organisation_head(text, expected):
    assert [(org.name, org.kind) for org in record(text).organisations] == expected


def test_word_flag_marks_each_word_once_and_equal_tests_share_a_flag():
    import pickle

    import spacy

    from pipeline.components.common import WordTest, flagged, word_flag

    nlp = spacy.blank("sv")
    test = WordTest(frozenset({"ägs"}), ("bolaget",))
    flag = word_flag(nlp.vocab, test)
    assert word_flag(nlp.vocab, WordTest(frozenset({"ägs"}), ("bolaget",))) == flag
    assert word_flag(nlp.vocab, WordTest(suffixes=("verket",))) != flag
    assert pickle.loads(pickle.dumps(test)) == test
    # Words first seen after the flag was registered are flagged too, in any case.
    doc = nlp.make_doc("Det ägs av Xyzbolaget och BOLAGET, inte av bolagets ägare.")
    assert [doc[i].text for i in flagged(doc, flag)] == ["ägs", "Xyzbolaget", "BOLAGET"]
    assert flagged(nlp.make_doc(""), flag) == []


def test_structural_matches_from_windows_equal_the_whole_doc_matches():
    # The structural Matcher runs only around prefix words and legal forms; it must find
    # the same matches, in the same order, as over the whole Doc.
    from pipeline.components.common import flagged
    from pipeline.nlp import load_nlp

    nlp = load_nlp()
    recognizer = nlp.get_pipe("casebook_organisations_v2")
    doc = nlp.make_doc(
        "Länsstyrelsen i Skåne län och Sandvik AB samarbetar med Högskolan Väst AB. "
        "Gröna Hus ekonomisk förening, Länsstyrelsens Stöd Kontor HB och Nya Bygg KB deltar, "
        "liksom Högskolan I Gävle och länsstyrelsen i Dalarnas län."
    )
    cues = [doc[i] for i in flagged(doc, recognizer.cue_flag)]
    whole = recognizer.structural(doc)
    assert len(whole) >= 6
    assert recognizer._structural(doc, cues) == whole
