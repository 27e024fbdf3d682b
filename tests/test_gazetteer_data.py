"""Integrity checks of the place gazetteers in models/gazetteers/ (plain data files)."""

import csv
from collections import Counter
from pathlib import Path

import pytest

GAZ = Path(__file__).parents[1] / "models" / "gazetteers"

LAT_RANGE = (55.0, 69.1)
LON_RANGE = (10.9, 24.2)

COUNTY_COUNTS = {
    "01": 26,
    "03": 8,
    "04": 9,
    "05": 13,
    "06": 13,
    "07": 8,
    "08": 12,
    "09": 1,
    "10": 5,
    "12": 33,
    "13": 6,
    "14": 49,
    "17": 16,
    "18": 12,
    "19": 10,
    "20": 15,
    "21": 10,
    "22": 7,
    "23": 8,
    "24": 15,
    "25": 14,
}


def read(name: str) -> list[dict[str, str]]:
    path = GAZ / name
    text = path.read_text(encoding="utf-8")
    assert '"' not in text, f"{name}: quoting is not allowed"
    assert "\r" not in text, f"{name}: use LF line endings"
    lines = text.splitlines()
    width = len(lines[0].split("\t"))
    for number, line in enumerate(lines, start=1):
        assert len(line.split("\t")) == width, f"{name}:{number}: wrong number of fields"
        assert line == line.strip(), f"{name}:{number}: stray whitespace"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def municipalities() -> list[dict[str, str]]:
    return read("municipalities.tsv")


@pytest.fixture(scope="module")
def counties() -> list[dict[str, str]]:
    return read("counties.tsv")


@pytest.fixture(scope="module")
def programme_areas() -> list[dict[str, str]]:
    return read("programme_areas.tsv")


def in_sweden(row: dict[str, str]) -> bool:
    lat, lon = float(row["lat"]), float(row["lon"])
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]


def test_headers(municipalities, counties, programme_areas):
    assert list(municipalities[0]) == ["code", "name", "county_code", "lat", "lon", "ambiguous"]
    assert list(counties[0]) == ["code", "name", "short", "region_org", "nuts2", "lat", "lon"]
    assert list(programme_areas[0]) == ["nuts2", "name", "aliases", "needs_context"]
    assert list(read("informal_areas.tsv")[0]) == ["form", "county_code", "note"]
    assert list(read("metro_areas.tsv")[0]) == ["form", "municipality_code", "note"]
    assert list(read("municipality_forms.tsv")[0]) == ["form", "code", "kind"]


def test_municipality_codes(municipalities, counties):
    codes = [row["code"] for row in municipalities]
    assert len(codes) == 290
    assert len(set(codes)) == 290
    county_codes = {row["code"] for row in counties}
    for row in municipalities:
        assert len(row["code"]) == 4 and row["code"].isdigit(), row
        assert row["county_code"] == row["code"][:2], row
        assert row["county_code"] in county_codes, row
    assert Counter(row["county_code"] for row in municipalities) == COUNTY_COUNTS


def test_municipality_names_unique_and_short(municipalities):
    names = [row["name"] for row in municipalities]
    assert len(set(names)) == len(names)
    for name in names:
        assert not name.endswith((" kommun", " stad")), name


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("0180", "Stockholm"),
        ("1480", "Göteborg"),
        ("1280", "Malmö"),
        ("0380", "Uppsala"),
        ("0484", "Eskilstuna"),
        ("0580", "Linköping"),
        ("0581", "Norrköping"),
        ("0980", "Gotland"),
        ("2580", "Luleå"),
        ("1281", "Lund"),
        ("1490", "Borås"),
        ("1981", "Sala"),
        ("2584", "Kiruna"),
        ("0114", "Upplands Väsby"),
        ("0139", "Upplands-Bro"),
        ("1438", "Dals-Ed"),
        ("1462", "Lilla Edet"),
        ("1256", "Östra Göinge"),
        ("2023", "Malung-Sälen"),
        ("2080", "Falun"),
    ],
)
def test_municipality_spot_checks(municipalities, code, name):
    by_code = {row["code"]: row["name"] for row in municipalities}
    assert by_code[code] == name


def test_municipality_coordinates(municipalities):
    for row in municipalities:
        assert in_sweden(row), row
        for key in ("lat", "lon"):
            whole, _, decimals = row[key].partition(".")
            assert whole.isdigit() and len(decimals) == 4, row
    by_name = {row["name"]: row for row in municipalities}
    for name, (lat, lon) in {
        "Malmö": (55.60, 13.00),
        "Stockholm": (59.33, 18.07),
        "Göteborg": (57.71, 11.97),
        "Kiruna": (67.86, 20.23),
        "Lund": (55.70, 13.19),
    }.items():
        assert abs(float(by_name[name]["lat"]) - lat) <= 0.2, name
        assert abs(float(by_name[name]["lon"]) - lon) <= 0.2, name


def test_ambiguity_flags(municipalities):
    flags = {row["name"]: row["ambiguous"] for row in municipalities}
    assert set(flags.values()) == {"0", "word", "name", "place"}
    for name in ("Vara", "Mark", "Kil", "Boden", "Klippan", "Skara", "Älvdalen"):
        assert flags[name] == "word", name
    for name in ("Ale", "Sala", "Eda", "Nora", "Mora", "Lund", "Berg", "Falkenberg"):
        assert flags[name] == "name", name
    for name in ("Gotland", "Härjedalen"):
        assert flags[name] == "place", name
    for name in ("Stockholm", "Göteborg", "Malmö", "Uppsala", "Borås"):
        assert flags[name] == "0", name


def test_counties(counties, programme_areas):
    assert len(counties) == 21
    assert len({row["code"] for row in counties}) == 21
    assert len({row["name"] for row in counties}) == 21
    nuts = {row["nuts2"] for row in programme_areas}
    by_code = {row["code"]: row for row in counties}
    for row in counties:
        assert row["name"].endswith(" län"), row
        assert row["nuts2"] in nuts, row
        assert in_sweden(row), row
    assert by_code["01"]["name"] == "Stockholms län"
    assert by_code["14"]["name"] == "Västra Götalands län"
    assert by_code["12"]["region_org"] == "Region Skåne"
    assert by_code["14"]["region_org"] == "Västra Götalandsregionen"
    assert by_code["09"]["region_org"] == "Region Gotland"
    assert by_code["01"]["nuts2"] == "SE11"
    assert by_code["09"]["nuts2"] == "SE21"
    assert by_code["13"]["nuts2"] == "SE23"
    assert by_code["25"]["nuts2"] == "SE33"
    assert abs(float(by_code["12"]["lat"]) - 55.60) <= 0.2


def test_programme_areas(programme_areas):
    assert len(programme_areas) == 8
    names = {row["nuts2"]: row["name"] for row in programme_areas}
    assert names == {
        "SE11": "Stockholm",
        "SE12": "Östra Mellansverige",
        "SE21": "Småland och öarna",
        "SE22": "Sydsverige",
        "SE23": "Västsverige",
        "SE31": "Norra Mellansverige",
        "SE32": "Mellersta Norrland",
        "SE33": "Övre Norrland",
    }
    context = {row["nuts2"]: row["needs_context"] for row in programme_areas}
    assert context["SE11"] == "1"
    assert all(value == "0" for key, value in context.items() if key != "SE11")
    aliases = {row["nuts2"]: row["aliases"].split("|") for row in programme_areas}
    assert "Småland med öarna" in aliases["SE21"]
    assert "Skåne-Blekinge" in aliases["SE22"]


def test_informal_and_metro_areas(counties, municipalities):
    county_codes = {row["code"] for row in counties}
    municipality_codes = {row["code"] for row in municipalities}
    informal = read("informal_areas.tsv")
    metro = read("metro_areas.tsv")
    informal_forms = {row["form"]: row["county_code"] for row in informal}
    metro_forms = {row["form"]: row["municipality_code"] for row in metro}
    assert len(informal_forms) == len(informal)
    assert len(metro_forms) == len(metro)
    assert not set(informal_forms) & set(metro_forms)
    assert set(informal_forms.values()) <= county_codes
    assert set(metro_forms.values()) <= municipality_codes
    assert informal_forms["Stockholmsregionen"] == "01"
    assert informal_forms["Skåne"] == "12"
    assert informal_forms["Gotland"] == "09"
    assert metro_forms["Göteborgsregionen"] == "1480"
    assert metro_forms["Stormalmö"] == "1280"


def test_municipality_forms(municipalities):
    codes = {row["code"] for row in municipalities}
    names = {row["name"]: row["code"] for row in municipalities}
    rows = read("municipality_forms.tsv")
    forms = [row["form"] for row in rows]
    assert len(forms) == len(set(forms))
    assert {row["kind"] for row in rows} == {"resident", "alias", "genitive"}
    for row in rows:
        assert row["code"] in codes, row
    lookup = {row["form"]: (row["code"], row["kind"]) for row in rows}
    assert lookup["malmöbor"] == ("1280", "resident")
    assert lookup["stockholmarna"] == ("0180", "resident")
    assert lookup["Gotlands kommun"] == ("0980", "alias")
    assert lookup["Göteborgs Stad"] == ("1480", "alias")
    assert lookup["Borås"] == ("1490", "genitive")
    assert "Region Gotland" not in lookup
    for row in rows:
        if row["kind"] == "genitive" and row["form"] in names:
            assert row["form"][-1] in "sxz", row


# -- the other entity data files (models/places, organisations, funds, priorities) ----------

MODELS = Path(__file__).parents[1] / "models"


def read_any(path: Path) -> list[dict[str, str]]:
    """Rows of a TSV that may start with '#' comment lines."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("#")]
    width = len(lines[0].split("\t"))
    for number, line in enumerate(lines, start=1):
        assert len(line.split("\t")) == width, f"{path.name}:{number}: wrong number of fields"
        assert all(field == field.strip() for field in line.split("\t")), (
            f"{path.name}:{number}: stray whitespace"
        )
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_place_cues_and_given_names(municipalities):
    cues = read_any(MODELS / "places" / "cues.tsv")
    assert {row["cue"] for row in cues} == {
        "preposition",
        "list_intro",
        "municipal",
        "org_head",
        "person_title",
        "programme_context",
    }
    assert all(row["word"] == row["word"].lower() for row in cues)
    names = [row["name"] for row in read_any(MODELS / "places" / "given_names.tsv")]
    assert len(names) == len(set(names)) >= 150
    assert {"Karin", "Anna", "Lars", "Nora"} <= set(names)


def test_organisation_list():
    rows = read_any(MODELS / "organisations" / "organisations.tsv")
    kinds = {
        "authority",
        "managing_authority",
        "university",
        "ngo",
        "association",
        "company",
        "eu",
        "international",
    }
    forms: list[str] = []
    for row in rows:
        assert row["kind"] in kinds, row
        forms += [row["name"], *[a for a in row["aliases"].split("|") if a]]
    assert len(forms) == len(set(forms)), [f for f in forms if forms.count(f) > 1]
    names = {row["name"]: row for row in rows}
    # The managing authorities and every state university named in DESIGN.md / the issue.
    assert names["Svenska ESF-rådet"]["kind"] == "managing_authority"
    for university in (
        "Uppsala universitet",
        "Lunds universitet",
        "Göteborgs universitet",
        "Stockholms universitet",
        "Umeå universitet",
        "Linköpings universitet",
        "Karolinska institutet",
        "Kungliga Tekniska högskolan",
        "Luleå tekniska universitet",
        "Sveriges lantbruksuniversitet",
        "Karlstads universitet",
        "Linnéuniversitetet",
        "Örebro universitet",
        "Mittuniversitetet",
        "Malmö universitet",
        "Mälardalens universitet",
    ):
        assert names[university]["kind"] == "university", university
    # Generic bodies and the EU itself are never listed (DESIGN.md).
    assert not {"EU", "Regeringen", "Kommunstyrelsen", "kommissionen"} & set(forms)


def test_fund_codes_match_the_record_contract():
    from typing import get_args

    from pipeline.records import FundCode

    rows = read_any(MODELS / "funds" / "funds.tsv")
    assert [row["code"] for row in rows] == list(get_args(FundCode))
    assert all(row["name"] and row["name_en"] for row in rows)
