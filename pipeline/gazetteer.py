"""The canonical place lists (models/gazetteers/*.tsv): municipalities, counties, areas."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .data import MODELS_DIR, load_tsv
from .errors import PatternError

GAZETTEER_DIR = MODELS_DIR / "gazetteers"


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    county_code: str
    lat: float
    lon: float
    # "" or why the bare name needs evidence: word (a common word), name (a given name or
    # surname), place (another place of the same name: the island, the landskap).
    ambiguity: str = ""

    @property
    def ambiguous(self) -> bool:
        return bool(self.ambiguity)


AMBIGUITY_KINDS = frozenset({"", "word", "name", "place"})


@dataclass(frozen=True)
class County:
    code: str
    name: str
    short: str
    region_org: str
    nuts2: str
    lat: float
    lon: float


@dataclass(frozen=True)
class ProgrammeArea:
    nuts2: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Gazetteer:
    municipalities: dict[str, Municipality]
    counties: dict[str, County]
    programme_areas: dict[str, ProgrammeArea]
    informal_areas: dict[str, str]  # lower-case form → county code
    metro_areas: dict[str, str]  # lower-case form → municipality code
    forms: dict[str, tuple[str, str]]  # lower-case form → (municipality code, kind)

    def genitive(self, name: str) -> str:
        """Swedish genitive: -s, except after s, x or z ("Borås", "Västerås")."""
        return name if name[-1].lower() in "sxz" else name + "s"


def _ambiguity(value: str, path: Path) -> str:
    kind = "" if value in {"", "0"} else value
    if kind not in AMBIGUITY_KINDS:
        raise PatternError(f"unknown ambiguity {value!r} (0, word, name or place)", path=str(path))
    return kind


@lru_cache(maxsize=4)
def load_gazetteer(directory: Path = GAZETTEER_DIR) -> Gazetteer:
    municipalities = {
        row["code"]: Municipality(
            row["code"],
            row["name"],
            row["county_code"],
            float(row["lat"]),
            float(row["lon"]),
            _ambiguity(row.get("ambiguous", ""), directory / "municipalities.tsv"),
        )
        for row in load_tsv(
            directory / "municipalities.tsv", ("code", "name", "county_code", "lat", "lon")
        )
    }
    counties = {
        row["code"]: County(
            row["code"],
            row["name"],
            row["short"],
            row["region_org"],
            row["nuts2"],
            float(row["lat"]),
            float(row["lon"]),
        )
        for row in load_tsv(
            directory / "counties.tsv", ("code", "name", "short", "region_org", "nuts2")
        )
    }
    areas = {
        row["nuts2"]: ProgrammeArea(
            row["nuts2"],
            row["name"],
            tuple(alias.strip() for alias in row.get("aliases", "").split("|") if alias.strip()),
        )
        for row in load_tsv(directory / "programme_areas.tsv", ("nuts2", "name"))
    }
    informal = {
        row["form"].lower(): row["county_code"]
        for row in load_tsv(directory / "informal_areas.tsv", ("form", "county_code"))
    }
    metro_path = directory / "metro_areas.tsv"
    metro = (
        {
            row["form"].lower(): row["municipality_code"]
            for row in load_tsv(metro_path, ("form", "municipality_code"))
        }
        if metro_path.exists()
        else {}
    )
    forms = {
        row["form"].lower(): (row["code"], row["kind"])
        for row in load_tsv(directory / "municipality_forms.tsv", ("form", "code", "kind"))
    }
    return Gazetteer(municipalities, counties, areas, informal, metro, forms)
