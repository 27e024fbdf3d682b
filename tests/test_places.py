"""Municipalities and regions in Swedish text: forms, evidence rules and canonical links."""

import pytest

from pipeline import extract_text


def record(text: str):
    records = extract_text(text)
    assert len(records) == 1
    return records[0]


def cities(text: str) -> set[str]:
    return {city.name for city in record(text).cities}


def regions(text: str) -> set[str]:
    return {region.name for region in record(text).regions}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Genitives, also of names already ending in s.
        ("Insatserna gjordes i Malmös östra stadsdelar.", {"Malmö"}),
        ("Uppsalas kommunledning har beslutat om en ny plan.", {"Uppsala"}),
        ("Borås näringsliv har en lång textiltradition.", {"Borås"}),
        ("Västerås arbetsmarknad har förändrats.", {"Västerås"}),
        # The municipality as organisation.
        ("Projektet ägs av Uppsala kommun.", {"Uppsala"}),
        ("Projektet ägs av Norrköpings kommun.", {"Norrköping"}),
        ("Göteborgs Stad driver projektet.", {"Göteborg"}),
        ("Det är Malmö stads projektplattform.", {"Malmö"}),
        ("Projektet leds av Helsingborgs stad.", {"Helsingborg"}),
        ("Ansvaret ligger hos Gotlands kommun.", {"Gotland"}),
        ("Falu kommun deltar också.", {"Falun"}),
        # Residents.
        ("Fler Malmöbor ska komma i arbete.", {"Malmö"}),
        ("Varje dag reser 6 000 göteborgare med bussarna.", {"Göteborg"}),
        ("Många Norrköpingsbor pendlar.", {"Norrköping"}),
        ("Bussarna används av stockholmare.", {"Stockholm"}),
        # Compounds naming the city's own area, with the city named too.
        ("Göteborgs Stad har en testbädd i Göteborgsområdet.", {"Göteborg"}),
        ("Linköpingsregionen växer, och Linköping bygger nytt.", {"Linköping"}),
        # Spaces, hyphens and line breaks.
        ("Upplands-Väsby och Upplands Bro samarbetar.", {"Upplands Väsby", "Upplands-Bro"}),
        ("Dals Ed och Lilla Edet deltar.", {"Dals-Ed", "Lilla Edet"}),
        ("Projektet omfattar Upplands\nVäsby och Sollentuna.", {"Upplands Väsby", "Sollentuna"}),
        ("Anläggningen ligger i Örnskölds-\nvik vid kusten.", {"Örnsköldsvik"}),
        # Two places joined in one word.
        (
            "Stråket Malmö–Lund växer, liksom Göteborg-Borås.",
            {"Malmö", "Lund", "Göteborg", "Borås"},
        ),
        # Upper-case headings.
        ("SATSNINGAR I UMEÅ\n\nText om satsningarna.", {"Umeå"}),
        (
            "BESÖKSNÄRING I MALUNG-SÄLEN, MORA OCH ÄLVDALEN\n\nText.",
            {"Malung-Sälen", "Mora", "Älvdalen"},
        ),
    ],
)
def test_city_forms(text, expected):
    assert cities(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Testbädden ligger i Göteborgsområdet.",
        "Arbetet pågår i hela Göteborgsregionen.",
        "Satsningen gäller hela Sundsvallsregionen och Umeåregionen.",
    ],
)
def test_surroundings_alone_are_not_the_city(text):
    assert cities(text) == set()
    assert regions(text) == set()


def test_surroundings_are_a_mention_of_the_named_city():
    found = record("Göteborgs Stad samarbetar med kommunerna i Göteborgsregionen.").cities
    assert [(c.name, [m.text for m in c.mentions]) for c in found] == [
        ("Göteborg", ["Göteborgs Stad", "Göteborgsregionen"])
    ]


def test_each_form_links_to_one_code():
    found = record("Malmö stad, Malmös skolor och alla Malmöbor i Malmöregionen.").cities
    assert [(city.name, city.code) for city in found] == [("Malmö", "1280")]
    assert [m.text for m in found[0].mentions] == [
        "Malmö stad",
        "Malmös",
        "Malmöbor",
        "Malmöregionen",
    ]


@pytest.mark.parametrize(
    "text",
    [
        # Names inside an organisation's or a project's name.
        "Forskare vid Göteborgs universitet deltar.",
        "Malmö universitet har bidragit med följeforskning.",
        "Utvärderingen gjordes av Lunds universitet.",
        "Uppsala universitet har ett campus här.",
        "Kurserna ges av Högskolan i Borås.",
        "Jönköping University erbjöd kartläggning.",
        "Luleå tekniska universitet leder arbetet.",
        "Det kommunala bolaget Borås Energi och Miljö deltar.",
        "Stockholmsmodellen är en styrmodell.",
        "Arbetet följer Nackamodellen.",
        # People.
        "Utvärderingen leddes av professor Karin Lund.",
        "Samordnaren Anna Sala beskriver arbetet.",
        "Enligt Nora Ek har nätverket fungerat väl.",
        # Common words.
        "Det måste vara enkelt att lämna in kläder.",
        "Byaföreningarna har grävt på egen mark.",
        "Mark och vatten är viktiga resurser.",
        "Berg och dalar präglar landskapet.",
        # Inside county names, and no municipality at all.
        "Fonden riktar sig till Stockholms län och Kalmar län.",
        "Region Jönköpings län erbjöd stöd.",
        "Region Gotland och Gotland.",
        "Sverige och Norden samarbetar.",
        "Kista och Malmberget är inga kommuner.",
        "Stråket Vara–Mark saknar stöd.",
    ],
)
def test_not_a_city(text):
    assert cities(text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Företaget har sitt säte i Vara.", {"Vara"}),
        ("Vara kommun och Marks kommun deltar.", {"Vara", "Mark"}),
        ("Vara kommun och Mark samarbetar.", {"Vara", "Mark"}),
        ("I Värmland deltar Kil, Sala och Eda.", {"Kil", "Sala", "Eda"}),
        ("Bland kommunerna Ale och Lerum finns flera skolor.", {"Ale", "Lerum"}),
        ("Laddinfrastrukturen byggs ut till Kungälv, Ale och Lerum.", {"Kungälv", "Ale", "Lerum"}),
        ("I Luleå och Boden planeras nya anläggningar.", {"Luleå", "Boden"}),
        ("Turisterna kommer från Mora.", {"Mora"}),
        # One sense per discourse: an accepted Lund makes the other mention count.
        ("Forskarna i Lund har testat metoden. Lund är en universitetsstad.", {"Lund"}),
        ("De arbetar i Bergs kommun, där berg och skog dominerar.", {"Berg"}),
    ],
)
def test_ambiguous_names_need_evidence(text, expected):
    assert cities(text) == expected


def test_surname_is_not_the_city_even_when_the_city_is_named():
    found = record("Karin Lund leder arbetet i Lund.").cities
    assert [city.name for city in found] == ["Lund"]
    assert [m.text for m in found[0].mentions] == ["Lund"]
    assert found[0].mentions[0].start == len("Karin Lund leder arbetet i ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Projekten finns i Skåne län.", {"Skåne län"}),
        ("Region Skåne bidrar med medfinansiering.", {"Skåne län"}),
        ("Simrishamn ligger på Skånes ostkust.", {"Skåne län"}),
        ("Stockholmsmodellen styr arbetet i Stockholmsregionen.", {"Stockholms län"}),
        ("Västra Götalandsregionen är ansvarig för kollektivtrafiken.", {"Västra Götalands län"}),
        ("Omställningen i Norrbotten är stor.", {"Norrbottens län"}),
        ("Besöksnäring i Västerbottens inland.", {"Västerbottens län"}),
        ("Cementfabriken på Gotland.", {"Gotlands län"}),
        ("Region Gotland driver projektet.", {"Gotlands län"}),
        ("Region Jämtland Härjedalen och Region Sörmland.", {"Jämtlands län", "Södermanlands län"}),
        ("Länsstyrelsen i Västra Götalands län följde projektet.", {"Västra Götalands län"}),
        ("Kommunerna i Östra Mellansverige deltar.", {"Östra Mellansverige"}),
        ("Programmet för Småland och öarna.", {"Småland och öarna"}),
        (
            "Regionalfonden i Övre Norrland och Mellersta Norrland.",
            {"Övre Norrland", "Mellersta Norrland"},
        ),
        ("NORRA MELLANSVERIGE\n\nRegionerna samarbetar.", {"Norra Mellansverige"}),
        ("Sydsverige och Västsverige.", {"Sydsverige", "Västsverige"}),
        ("Beslutet fattades för programområdet Stockholm.", {"Stockholm"}),
    ],
)
def test_region_forms(text, expected):
    assert regions(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Sverige har en lång kust.",
        "Arbetet pågår i hela Göteborgsregionen.",
        "Textilindustrin i Sjuhärad och turismen i Bohuslän.",
        "Industrin i Bergslagen och Malmfälten.",
        "Strukturfondspartnerskapet i Stockholm beslutade.",
        "Högskolan Dalarna har startat en utbildning.",
        "Projektet Smakfullt Halland har gett stöd.",
    ],
)
def test_not_a_region(text):
    assert regions(text) == set()


def test_gotland_is_the_county_and_the_city_only_as_gotlands_kommun():
    found = record("Region Gotland driver arbetet på Gotland, och Gotlands kommun planerar.")
    assert [(r.name, r.code) for r in found.regions] == [("Gotlands län", "09")]
    assert [m.text for m in found.regions[0].mentions] == ["Region Gotland", "Gotland"]
    assert [(c.name, c.code) for c in found.cities] == [("Gotland", "0980")]
    assert [m.text for m in found.cities[0].mentions] == ["Gotlands kommun"]


def test_region_body_is_both_region_and_organisation():
    found = record("Region Skåne bidrar med medfinansiering.")
    assert [(r.name, r.code) for r in found.regions] == [("Skåne län", "12")]
    assert [o.name for o in found.organisations] == ["Region Skåne"]
    assert found.cities == []


def test_programme_area_code_is_nuts2():
    found = record("Insatser i Östra Mellansverige och i Småland med öarna.")
    assert {(r.name, r.code) for r in found.regions} == {
        ("Östra Mellansverige", "SE12"),
        ("Småland och öarna", "SE21"),
    }


def test_gazetteer_patterns_are_split_as_the_pipeline_tokenizer_splits_them() -> None:
    """The matcher's patterns are built without the pipeline's tokenizer (faster loading):
    every gazetteer form must still be the LOWER ids of the tokens that tokenizer makes."""
    from pipeline.components.places import lower_keys, private_splitter
    from pipeline.nlp import load_nlp

    nlp = load_nlp()
    forms = sorted(nlp.get_pipe("casebook_places_v2").targets)
    assert len(forms) > 10_000
    expected = [[token.lower for token in doc] for doc in nlp.tokenizer.pipe(forms)]
    assert lower_keys(private_splitter(nlp.tokenizer), forms) == expected


def test_a_tokenizer_special_case_is_split_even_when_it_is_all_letters() -> None:
    import spacy

    from pipeline.components.places import lower_keys, private_splitter

    nlp = spacy.blank("sv")
    nlp.tokenizer.add_special_case("malmölund", [{"ORTH": "malmö"}, {"ORTH": "lund"}])
    keys = lower_keys(private_splitter(nlp.tokenizer), ["malmölund", "lund"])
    assert keys == [[token.lower for token in nlp.make_doc("malmölund")], [nlp.vocab["lund"].orth]]
    assert len(keys[0]) == 2
