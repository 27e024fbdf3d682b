"""Structural checks of the team's annotated gold files in corpora/.

Every ``corpora/*.gold.json`` must follow the gold format of DESIGN.md, point at an
existing document, and every value it lists must have textual evidence inside the section
it belongs to (the text from the section's "Exempel N" heading up to the next heading, or
the whole text for a document without headings).  The checks are deliberately lenient
about the *form* of the evidence (genitives, line-end hyphenation, number words) and
strict about the *presence* of evidence, so a typo in a gold file fails here before it
skews an evaluation.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
GOLD_FILES = sorted(CORPORA.glob("*.gold.json"))
# The brief's sample gold predates the "list every field" rule of the team's corpus.
SAMPLE_GOLD = "exempel_storstadsregioner.gold.json"

FIELDS = ("cities", "regions", "funds", "figures", "dates", "organisations", "projects")
TOP_KEYS = {"file", "source", "has_exempel_headings", "sections"}
SECTION_KEYS = {"number", "title", *FIELDS, "priorities"}
UNITS = {"percent", "SEK", "EUR", "quantity"}
FUND_CODES = {"ERDF", "ESF", "ESF+", "CF", "EAFRD", "EMFF", "EMFAF", "JTF"}

# The 290 municipalities by county, canonical names (without "kommun"/"stad").
MUNICIPALITIES_BY_COUNTY: dict[str, str] = {
    "Stockholms län": "Botkyrka, Danderyd, Ekerö, Haninge, Huddinge, Järfälla, Lidingö, "
    "Nacka, Norrtälje, Nykvarn, Nynäshamn, Salem, Sigtuna, Sollentuna, Solna, Stockholm, "
    "Sundbyberg, Södertälje, Tyresö, Täby, Upplands Väsby, Upplands-Bro, Vallentuna, "
    "Vaxholm, Värmdö, Österåker",
    "Uppsala län": "Enköping, Heby, Håbo, Knivsta, Tierp, Uppsala, Älvkarleby, Östhammar",
    "Södermanlands län": "Eskilstuna, Flen, Gnesta, Katrineholm, Nyköping, Oxelösund, "
    "Strängnäs, Trosa, Vingåker",
    "Östergötlands län": "Boxholm, Finspång, Kinda, Linköping, Mjölby, Motala, Norrköping, "
    "Söderköping, Vadstena, Valdemarsvik, Ydre, Åtvidaberg, Ödeshög",
    "Jönköpings län": "Aneby, Eksjö, Gislaved, Gnosjö, Habo, Jönköping, Mullsjö, Nässjö, "
    "Sävsjö, Tranås, Vaggeryd, Vetlanda, Värnamo",
    "Kronobergs län": "Alvesta, Lessebo, Ljungby, Markaryd, Tingsryd, Uppvidinge, Växjö, Älmhult",
    "Kalmar län": "Borgholm, Emmaboda, Hultsfred, Högsby, Kalmar, Mönsterås, Mörbylånga, "
    "Nybro, Oskarshamn, Torsås, Vimmerby, Västervik",
    "Gotlands län": "Gotland",
    "Blekinge län": "Karlshamn, Karlskrona, Olofström, Ronneby, Sölvesborg",
    "Skåne län": "Bjuv, Bromölla, Burlöv, Båstad, Eslöv, Helsingborg, Hässleholm, Höganäs, "
    "Hörby, Höör, Klippan, Kristianstad, Kävlinge, Landskrona, Lomma, Lund, Malmö, Osby, "
    "Perstorp, Simrishamn, Sjöbo, Skurup, Staffanstorp, Svalöv, Svedala, Tomelilla, "
    "Trelleborg, Vellinge, Ystad, Åstorp, Ängelholm, Örkelljunga, Östra Göinge",
    "Hallands län": "Falkenberg, Halmstad, Hylte, Kungsbacka, Laholm, Varberg",
    "Västra Götalands län": "Ale, Alingsås, Bengtsfors, Bollebygd, Borås, Dals-Ed, Essunga, "
    "Falköping, Färgelanda, Grästorp, Gullspång, Göteborg, Götene, Herrljunga, Hjo, "
    "Härryda, Karlsborg, Kungälv, Lerum, Lidköping, Lilla Edet, Lysekil, Mariestad, Mark, "
    "Mellerud, Munkedal, Mölndal, Orust, Partille, Skara, Skövde, Sotenäs, Stenungsund, "
    "Strömstad, Svenljunga, Tanum, Tibro, Tidaholm, Tjörn, Tranemo, Trollhättan, Töreboda, "
    "Uddevalla, Ulricehamn, Vara, Vårgårda, Vänersborg, Åmål, Öckerö",
    "Värmlands län": "Arvika, Eda, Filipstad, Forshaga, Grums, Hagfors, Hammarö, Karlstad, "
    "Kil, Kristinehamn, Munkfors, Storfors, Sunne, Säffle, Torsby, Årjäng",
    "Örebro län": "Askersund, Degerfors, Hallsberg, Hällefors, Karlskoga, Kumla, Laxå, "
    "Lekeberg, Lindesberg, Ljusnarsberg, Nora, Örebro",
    "Västmanlands län": "Arboga, Fagersta, Hallstahammar, Kungsör, Köping, Norberg, Sala, "
    "Skinnskatteberg, Surahammar, Västerås",
    "Dalarnas län": "Avesta, Borlänge, Falun, Gagnef, Hedemora, Leksand, Ludvika, "
    "Malung-Sälen, Mora, Orsa, Rättvik, Smedjebacken, Säter, Vansbro, Älvdalen",
    "Gävleborgs län": "Bollnäs, Gävle, Hofors, Hudiksvall, Ljusdal, Nordanstig, Ockelbo, "
    "Ovanåker, Sandviken, Söderhamn",
    "Västernorrlands län": "Härnösand, Kramfors, Sollefteå, Sundsvall, Timrå, Ånge, Örnsköldsvik",
    "Jämtlands län": "Berg, Bräcke, Härjedalen, Krokom, Ragunda, Strömsund, Åre, Östersund",
    "Västerbottens län": "Bjurholm, Dorotea, Lycksele, Malå, Nordmaling, Norsjö, "
    "Robertsfors, Skellefteå, Sorsele, Storuman, Umeå, Vilhelmina, Vindeln, Vännäs, Åsele",
    "Norrbottens län": "Arjeplog, Arvidsjaur, Boden, Gällivare, Haparanda, Jokkmokk, Kalix, "
    "Kiruna, Luleå, Pajala, Piteå, Älvsbyn, Överkalix, Övertorneå",
}
MUNICIPALITIES = {
    name.strip() for names in MUNICIPALITIES_BY_COUNTY.values() for name in names.split(",")
}

# County → the word stems whose presence in a section evidences it.
COUNTY_EVIDENCE = {
    "Stockholms län": ("stockholm",),
    "Uppsala län": ("uppsala",),
    "Södermanlands län": ("södermanland", "sörmland"),
    "Östergötlands län": ("östergötland",),
    "Jönköpings län": ("jönköping",),
    "Kronobergs län": ("kronoberg",),
    "Kalmar län": ("kalmar",),
    "Gotlands län": ("gotland",),
    "Blekinge län": ("blekinge",),
    "Skåne län": ("skåne",),
    "Hallands län": ("halland",),
    "Västra Götalands län": ("västra götaland",),
    "Värmlands län": ("värmland",),
    "Örebro län": ("örebro",),
    "Västmanlands län": ("västmanland",),
    "Dalarnas län": ("dalarna",),
    "Gävleborgs län": ("gävleborg",),
    "Västernorrlands län": ("västernorrland",),
    "Jämtlands län": ("jämtland",),
    "Västerbottens län": ("västerbotten",),
    "Norrbottens län": ("norrbotten",),
}
PROGRAMME_AREAS = (
    "Stockholm",
    "Östra Mellansverige",
    "Småland och öarna",
    "Sydsverige",
    "Västsverige",
    "Norra Mellansverige",
    "Mellersta Norrland",
    "Övre Norrland",
)
REGIONS = set(COUNTY_EVIDENCE) | set(PROGRAMME_AREAS)

# Fund code → a pattern (over case-folded text) that evidences it.
FUND_EVIDENCE = {
    "ERDF": r"regionalfond|regionala utvecklingsfonden|\beruf\b|\berdf\b",
    "ESF": r"socialfond(?!en\+)|\besf\b(?![+]|-rådet)",
    "ESF+": r"\besf\+|socialfonden\+",
    "CF": r"sammanhållningsfond",
    "EAFRD": r"landsbygdsfond|jordbruksfonden för landsbygdsutveckling|\bejflu\b",
    "EMFF": r"havs- och fiskerifond|\behff\b",
    "EMFAF": r"havs-, fiske- och vattenbruksfond|\behfvf\b",
    "JTF": r"rättvis omställning|\bfro\b|\bjtf\b",
}

MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
NUMBER_WORDS = {
    "två": 2,
    "tre": 3,
    "fyra": 4,
    "fem": 5,
    "sex": 6,
    "sju": 7,
    "åtta": 8,
    "nio": 9,
    "tio": 10,
    "elva": 11,
    "tolv": 12,
    "tretton": 13,
    "fjorton": 14,
    "femton": 15,
    "sexton": 16,
    "sjutton": 17,
    "arton": 18,
    "nitton": 19,
    "tjugo": 20,
    "trettio": 30,
    "fyrtio": 40,
    "femtio": 50,
    "sextio": 60,
    "sjuttio": 70,
    "åttio": 80,
    "nittio": 90,
    "hundra": 100,
    "tusen": 1000,
}
HEADING_RE = re.compile(r"^[ \t]*exempel[ \t]+(\d+)(?=[ \t]*(?:[:.–—-]|$))", re.I | re.M)
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def gold_id(path: Path) -> str:
    return path.name.removesuffix(".gold.json")


@cache
def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def document_text(path: Path) -> str:
    return (CORPORA / load_gold(path)["file"]).read_text(encoding="utf-8")


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def variants(text: str) -> tuple[str, str]:
    """The text with line-end hyphenation re-joined, and with every hyphen kept."""
    joined = re.sub(r"(\w)-[ \t]*\n[ \t]*(?=[a-zåäö])", r"\1", text)
    return collapse(joined), collapse(text)


def sections_text(path: Path) -> dict[int | None, str]:
    """Section number → its text, cut at the "Exempel N" headings of the document."""
    text = document_text(path)
    heads = list(HEADING_RE.finditer(text))
    if not heads:
        return {None: text}
    out: dict[int | None, str] = {}
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        out[int(m.group(1))] = text[m.start() : end]
    return out


def occurs(name: str, text: str, fuzzy: bool = False) -> bool:
    needle = collapse(name)
    hay = variants(text)
    if any(needle in h for h in hay):
        return True
    if not fuzzy:
        return False
    # tolerate a typo in the document (the sample's "testarrena"): best window ratio
    for h in hay:
        n = len(needle)
        for start in (m.start() for m in re.finditer(r"\b\w", h)):
            window = h[start : start + n + 2]
            if difflib.SequenceMatcher(None, needle, window).ratio() >= 0.9:
                return True
    return False


def numbers_in(text: str) -> set[float]:
    """Every number written in the text (digits or words), times the usual multipliers."""
    found: set[float] = set()
    flat = collapse(variants(text)[0])
    for m in re.finditer(r"\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?|\d+(?:,\d+)?", flat):
        found.add(float(m.group(0).replace(" ", "").replace("\u00a0", "").replace(",", ".")))
    for word, value in NUMBER_WORDS.items():
        if re.search(rf"\b{word}\b", flat):
            found.add(float(value))
    return {round(n * k, 2) for n in found for k in (1, 1_000, 1_000_000, 1_000_000_000)}


def section_items():
    for path in GOLD_FILES:
        gold = load_gold(path)
        for section in gold.get("sections", []):
            yield pytest.param(path, section, id=f"{gold_id(path)}:{section.get('number')}")


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize("path", GOLD_FILES, ids=gold_id)
def test_gold_file_is_valid_json_with_top_level_keys(path: Path) -> None:
    gold = load_gold(path)
    assert isinstance(gold, dict)
    assert set(gold) >= TOP_KEYS, f"missing keys: {TOP_KEYS - set(gold)}"
    assert isinstance(gold["source"], str) and gold["source"].strip()
    assert isinstance(gold["has_exempel_headings"], bool)
    assert isinstance(gold["sections"], list) and gold["sections"]


@pytest.mark.parametrize("path", GOLD_FILES, ids=gold_id)
def test_gold_file_points_at_its_document(path: Path) -> None:
    gold = load_gold(path)
    assert gold["file"] == gold_id(path) + ".txt", "gold file name must match the document"
    doc = CORPORA / gold["file"]
    assert doc.is_file(), f"{doc} does not exist"
    assert doc.read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("path", GOLD_FILES, ids=gold_id)
def test_section_numbers_unique_increasing_and_match_headings(path: Path) -> None:
    gold = load_gold(path)
    numbers = [s.get("number") for s in gold["sections"]]
    headings = [int(m.group(1)) for m in HEADING_RE.finditer(document_text(path))]
    if not gold["has_exempel_headings"]:
        assert numbers == [None], "a document without headings has one section, number null"
        assert headings == [], f"document has Exempel headings {headings}"
        return
    assert all(isinstance(n, int) and not isinstance(n, bool) for n in numbers)
    assert len(set(numbers)) == len(numbers), f"duplicate section numbers {numbers}"
    assert numbers == sorted(numbers), f"section numbers not increasing {numbers}"
    assert numbers == headings, f"gold sections {numbers} != headings in text {headings}"


@pytest.mark.parametrize("path", [p for p in GOLD_FILES if p.name != SAMPLE_GOLD], ids=gold_id)
def test_team_gold_sections_list_every_field(path: Path) -> None:
    for section in load_gold(path)["sections"]:
        missing = {"number", "title", *FIELDS} - set(section)
        assert not missing, f"section {section.get('number')} lacks {sorted(missing)}"


# ------------------------------------------------------------------------ sections


@pytest.mark.parametrize(("path", "section"), list(section_items()))
def test_section_shape(path: Path, section: dict) -> None:
    assert set(section) <= SECTION_KEYS, f"unknown keys {set(section) - SECTION_KEYS}"
    assert "number" in section and "title" in section
    assert section["title"] is None or (
        isinstance(section["title"], str) and section["title"].strip()
    )
    for field in (*FIELDS, "priorities"):
        if field not in section:
            continue
        values = section[field]
        assert isinstance(values, list), f"{field} must be a list"
        if field == "figures":
            for fig in values:
                assert set(fig) == {"value", "unit"}, fig
                assert isinstance(fig["value"], int | float) and not isinstance(fig["value"], bool)
                assert fig["unit"] in UNITS, fig
            keys = [(f["unit"], round(float(f["value"]), 2)) for f in values]
            assert len(set(keys)) == len(keys), f"duplicate figures {keys}"
        else:
            assert all(isinstance(v, str) and v.strip() for v in values), values
            folded = [collapse(v) for v in values]
            assert len(set(folded)) == len(folded), f"duplicate {field}: {values}"


@pytest.mark.parametrize(("path", "section"), list(section_items()))
def test_section_title_occurs_in_heading(path: Path, section: dict) -> None:
    text = sections_text(path)[section["number"]]
    if section["title"] is None:
        return
    title = re.sub(r"[\s.:;,!?]+$", "", section["title"])
    head = text[:600]
    assert occurs(title, head), f"title {title!r} not at the start of its section"


@pytest.mark.parametrize(("path", "section"), list(section_items()))
def test_section_values_have_evidence(path: Path, section: dict) -> None:
    text = sections_text(path)[section["number"]]
    flat = " ".join(variants(text))
    problems: list[str] = []

    for city in section.get("cities", []):
        if city not in MUNICIPALITIES:
            problems.append(f"city {city!r} is not one of the 290 municipalities")
        elif city[:4].casefold() not in flat:
            problems.append(f"city {city!r}: no {city[:4]!r} in the section")

    for region in section.get("regions", []):
        if region not in REGIONS:
            problems.append(f"region {region!r} is neither a county nor a programme area")
        elif region in COUNTY_EVIDENCE:
            if not any(stem in flat for stem in COUNTY_EVIDENCE[region]):
                problems.append(f"region {region!r}: no evidence in the section")
        elif collapse(region) not in flat:
            problems.append(f"programme area {region!r} not named in the section")

    for fund in section.get("funds", []):
        if fund not in FUND_CODES:
            problems.append(f"fund {fund!r} is not an allowed code")
        elif not re.search(FUND_EVIDENCE[fund], flat):
            problems.append(f"fund {fund!r}: no alias of it in the section")

    for field in ("organisations", "projects"):
        for name in section.get(field, []):
            if not occurs(name, text, fuzzy=True):
                problems.append(f"{field[:-1]} {name!r} does not occur in the section")

    numbers = numbers_in(text)
    currency = {
        "SEK": r"kronor|\bkr\b|sek\b|mkr|mnkr|tkr|mdkr",
        "EUR": r"euro|\beur\b|€",
        "percent": r"procent|%",
    }
    for fig in section.get("figures", []):
        value = round(float(fig["value"]), 2)
        if value not in numbers:
            problems.append(f"figure {fig}: the number is not written in the section")
        pattern = currency.get(fig["unit"])
        if pattern and not re.search(pattern, flat):
            problems.append(f"figure {fig}: no {fig['unit']} word in the section")

    for date in section.get("dates", []):
        parts = date.split("/")
        if len(parts) > 2 or not all(DATE_RE.match(p) for p in parts):
            problems.append(f"date {date!r} is not an ISO 8601 prefix or period")
            continue
        if len(parts) == 2 and parts[0] > parts[1]:
            problems.append(f"date {date!r}: period ends before it starts")
        for part in parts:
            year, month, day = DATE_RE.match(part).groups()
            decade = f"{year[:3]}0-tal" in flat
            if year not in flat and not decade:
                problems.append(f"date {date!r}: year {year} not in the section")
            if month and not (
                MONTHS[int(month) - 1] in flat
                or f"{year}-{month}" in flat
                or re.search(r"kvartal|halvår", flat)
            ):
                problems.append(f"date {date!r}: month {month} not in the section")
            if day and not re.search(rf"\b0?{int(day)}\b", flat):
                problems.append(f"date {date!r}: day {day} not in the section")

    assert not problems, "\n".join(problems)


# -------------------------------------------------------------------------- corpus


def test_corpus_coverage() -> None:
    """The team corpus must cover the breadth the evaluation issue asks for."""
    team = [p for p in GOLD_FILES if p.name != SAMPLE_GOLD]
    assert len(team) >= 12, f"only {len(team)} annotated documents"
    cities: set[str] = set()
    regions: set[str] = set()
    funds: set[str] = set()
    for path in team:
        for section in load_gold(path)["sections"]:
            cities.update(section["cities"])
            regions.update(section["regions"])
            funds.update(section["funds"])
    assert len(cities) >= 80, f"only {len(cities)} municipalities"
    assert set(COUNTY_EVIDENCE) <= regions, f"counties missing: {set(COUNTY_EVIDENCE) - regions}"
    assert set(PROGRAMME_AREAS) <= regions, f"areas missing: {set(PROGRAMME_AREAS) - regions}"
    assert funds == FUND_CODES, f"funds missing: {FUND_CODES - funds}"
    null_docs = [p for p in team if not load_gold(p)["has_exempel_headings"]]
    assert null_docs, "no document without Exempel headings"
