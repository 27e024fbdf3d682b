"""Test and benchmark data for batch runs: Swedish Exempel reports, PDFs and bad inputs.

Everything is generated from a seed, so a corpus is the same on every machine. The text is
ours, written in the style of Swedish structural-fund reports; the facts are invented.
"""

from __future__ import annotations

import math
import os
import random
import string
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CITIES = [
    "Stockholm",
    "Göteborg",
    "Malmö",
    "Uppsala",
    "Umeå",
    "Luleå",
    "Örebro",
    "Linköping",
    "Västerås",
    "Jönköping",
    "Sundsvall",
    "Östersund",
    "Karlstad",
    "Växjö",
    "Kalmar",
    "Gävle",
    "Falun",
    "Borås",
    "Helsingborg",
    "Kiruna",
]
REGIONS = [
    "Västra Götalands län",
    "Skåne län",
    "Norrbottens län",
    "Västerbottens län",
    "Jämtlands län",
    "Dalarnas län",
    "Kalmar län",
    "Örebro län",
    "Stockholms län",
    "Östra Mellansverige",
    "Övre Norrland",
    "Småland och öarna",
    "Sydsverige",
    "Norra Mellansverige",
    "Mellersta Norrland",
    "Västsverige",
]
FUNDS = [
    "Europeiska regionala utvecklingsfonden",
    "regionalfonden",
    "Europeiska socialfonden",
    "socialfonden",
    "ESF+",
    "Fonden för en rättvis omställning",
    "Landsbygdsfonden",
]
ORGANISATIONS = [
    "Tillväxtverket",
    "Svenska ESF-rådet",
    "Luleå tekniska universitet",
    "Umeå universitet",
    "Region Västerbotten",
    "Region Skåne",
    "Almi Företagspartner",
    "Vinnova",
    "Länsstyrelsen i Dalarnas län",
    "Coompanion",
    "Arbetsförmedlingen",
    "RISE",
]
PROJECT_WORDS = [
    ("Grön", "Omställning"),
    ("Smart", "Industri"),
    ("Digital", "Landsbygd"),
    ("Cirkulär", "Arena"),
    ("Framtida", "Kompetens"),
    ("Hållbar", "Stadsmiljö"),
    ("Innovativ", "Besöksnäring"),
    ("Öppen", "Innovation"),
]
THEMES = [
    "Stöd till små och medelstora företags digitalisering",
    "Kompetensförsörjning inom vård och omsorg",
    "Klimatsmart kollektivtrafik och hållbar stadsutveckling",
    "Innovationsmiljöer för cirkulär ekonomi",
    "Integration av nyanlända på arbetsmarknaden",
    "Socialt företagande som väg till arbete",
    "Bredbandsutbyggnad på landsbygden",
    "Energieffektivisering i industrin",
]
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
NOUNS = ["deltagare", "företag", "arbetstillfällen", "kommuner", "utbildningsplatser"]
SENTENCES = [
    "Projektet {project} drivs av {org} i {city} och har fått {money} miljoner kronor från {fund}.",
    "Under perioden {year}–{year2} deltog {count} {noun} i insatserna, varav cirka {pct} "
    "procent var kvinnor.",
    "Insatsen genomförs inom det regionala strukturfondsprogrammet för {area} och bidrar till "
    "investeringsprioritet {ip}.",
    "Enligt en utvärdering från {org} har arbetet lett till att {count2} nya företag startats "
    "i {region}.",
    "I {month} {year} beslutade strukturfondspartnerskapet att prioritera satsningar på "
    "forskning och innovation i {city}.",
    "Den totala budgeten uppgår till {money2} miljoner kronor, varav drygt hälften kommer från "
    "{fund}.",
    "Samverkan mellan kommunerna, näringslivet och {org} har stärkts, och "
    "{city} kommun deltar aktivt i styrgruppen.",
    "Målet är att minska utsläppen med {pct} procent fram till {year3} genom att ställa om "
    "transporterna i regionen.",
    "Erfarenheterna sprids nu vidare till andra delar av {region}, där liknande utmaningar finns.",
    "Hösten {year} anordnades en konferens i {city} med omkring {count3} besökare från hela "
    "landet.",
]


def swedish_report(seed: int, cases: int | None = None, paragraphs: int = 4) -> str:
    """A report with an introduction and `cases` "Exempel N: …" sections (deterministic)."""
    rng = random.Random(seed)
    cases = cases if cases is not None else rng.randint(2, 5)
    parts = [
        f"Rapport {seed}: Erfarenheter av EU-finansierade insatser i {rng.choice(REGIONS)}",
        "Denna rapport beskriver hur medel från de europeiska struktur- och investerings"
        "fonderna har använts för att stärka den regionala utvecklingen. Exemplen nedan visar "
        "olika sätt att arbeta.",
    ]
    for number in range(1, cases + 1):
        city = rng.choice(CITIES)
        parts.append(f"Exempel {number}: {rng.choice(THEMES)} i {city}")
        for _ in range(paragraphs):
            sentences = []
            for template in rng.sample(SENTENCES, 4):
                sentences.append(fact_sentence(rng, template, city))
            parts.append(" ".join(sentences))
    return "\n\n".join(parts) + "\n"


def fact_sentence(rng: random.Random, template: str, city: str) -> str:
    """One SENTENCES template filled in (the case's `city` or another one).

    The draws keep the order swedish_report always made them in, so its output is unchanged.
    """
    first, second = rng.choice(PROJECT_WORDS)
    year = rng.randint(2014, 2022)
    return template.format(
        project=f"{first} {second} {rng.choice(CITIES)}",
        org=rng.choice(ORGANISATIONS),
        city=rng.choice([city, *rng.sample(CITIES, 1)]),
        money=f"{rng.randint(2, 60)},{rng.randint(1, 9)}",
        money2=rng.randint(10, 400),
        fund=rng.choice(FUNDS),
        year=year,
        year2=year + rng.randint(1, 4),
        year3=rng.choice([2025, 2030, 2035]),
        count=rng.randint(40, 3000),
        count2=rng.randint(5, 120),
        count3=rng.randint(80, 900),
        noun=rng.choice(NOUNS),
        pct=rng.randint(5, 60),
        area=rng.choice(REGIONS),
        ip=rng.choice(["1a", "1b", "2b", "3a", "4c"]),
        region=rng.choice(REGIONS),
        month=rng.choice(MONTHS),
    )


def hard_wrapped(text: str, width: int = 90) -> str:
    """The report as a PDF-to-text tool would print it: paragraphs wrapped into lines."""
    return "\n\n".join(textwrap.fill(p, width) for p in text.split("\n\n")) + "\n"


def write_text_corpus(
    folder: Path, count: int, *, seed: int = 0, paragraphs: int = 4
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"rapport_{number:04d}.txt"
        path.write_text(
            hard_wrapped(swedish_report(seed + number, paragraphs=paragraphs)), encoding="utf-8"
        )
        paths.append(path)
    return paths


def write_pdf(path: Path, text: str, *, encrypt: str | None = None) -> Path:
    """A text PDF (A4, Helvetica) of `text`: headings bold, paragraphs wrapped, new pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt, invariant=1)
    height = A4[1]
    y = height - 60
    for paragraph in text.split("\n\n"):
        heading = paragraph.startswith(("Exempel", "Rapport"))
        font, size = ("Helvetica-Bold", 12) if heading else ("Helvetica", 10)
        for line in textwrap.wrap(" ".join(paragraph.split()), 85 if heading else 95) or [""]:
            if y < 60:
                pdf.showPage()
                y = height - 60
            pdf.setFont(font, size)
            pdf.drawString(50, y, line)
            y -= size + 4
        y -= 10
    pdf.showPage()
    pdf.save()
    return path


def write_pdf_corpus(folder: Path, count: int, *, seed: int = 10_000) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_pdf(folder / f"rapport_{number:04d}.pdf", swedish_report(seed + number))
        for number in range(count)
    ]


def write_whitespace_pdf(path: Path) -> Path:
    """A one-page PDF whose only "text" is spaces."""
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), invariant=1)
    pdf.drawString(50, 700, "        ")
    pdf.showPage()
    pdf.save()
    return path


def write_image_only_pdf(path: Path, text: str) -> Path:
    """A scanned page: the text drawn into an image, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(textwrap.wrap(text, 60)[:40]):
        draw.text((80, 80 + 36 * number), line, fill=0)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
    pdf.showPage()
    pdf.save()
    return path


def write_zero_page_pdf(path: Path) -> Path:
    """A well-formed PDF whose page tree is empty (reportlab always writes a page)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(body)
    return path


# -- full-size reports ------------------------------------------------------------------------
#
# swedish_report is compact (~925 words); real reports are longer and mostly prose. Length
# calibration: the 11 text PDFs in ../shared/realworld measured (pages, words) 4 p 961; 11 p 2688;
# 11 p 1964; 39 p 12878; 30 p 4896; 13 p 3743; 2 p 1251; 2 p 1159; 2 p 1061; 4 p 2578;
# 56 p 22621: median 2578 words, mean ≈ 5100, median ≈ 11 pages. The logs of those counts have
# mean 7.96 (≈ 2870 words) and standard deviation 1.04, so lengths are drawn log-normal with
# median 2600 words and sigma 1.0, clipped to [800, 15000] so one giant cannot swamp a batch.
FULL_MEDIAN_WORDS = 2600
FULL_SIGMA = 1.0
FULL_MIN_WORDS = 800
FULL_MAX_WORDS = 15_000
_LONGEST_SENTENCE = 60  # words; more than any filled template or fact sentence

PLACES = [
    *CITIES,
    "Skellefteå",
    "Piteå",
    "Lycksele",
    "Arvidsjaur",
    "Härnösand",
    "Sollefteå",
    "Strömsund",
    "Hudiksvall",
    "Söderhamn",
    "Mora",
    "Hagfors",
    "Torsby",
    "Ljungby",
    "Vimmerby",
    "Trollhättan",
    "Norrköping",
    "Eskilstuna",
    "Visby",
    "Bjurholm",
    "Gällivare",
]
FULL_THEMES = [
    *THEMES,
    "Omställning av besöksnäringen efter pandemin",
    "Digitala vårdtjänster i glesbygd",
    "Testbäddar för fossilfria transporter",
    "Validering av yrkeskunskaper för utrikes födda",
    "Kompetenslyft för industrins medarbetare",
    "Affärsutveckling i kulturella och kreativa näringar",
    "Lokal livsmedelsproduktion och korta kedjor",
    "Unga som varken arbetar eller studerar",
    "Smart specialisering inom skogsnäringen",
    "Exportfrämjande för små tillverkningsföretag",
]
FULL_PROJECT_WORDS = [
    *PROJECT_WORDS,
    ("Norrsken", "Accelerator"),
    ("Starka", "Kompetensbroar"),
    ("Nya", "Vägar"),
    ("Lokal", "Matkraft"),
    ("Fossilfri", "Logistik"),
    ("Klivet", "Vidare"),
]
MORE_ORGANISATIONS = [
    *ORGANISATIONS,
    "Mittuniversitetet",
    "Linnéuniversitetet",
    "Högskolan Dalarna",
    "Högskolan i Gävle",
    "Karlstads universitet",
    "Sveriges lantbruksuniversitet",
    "Region Norrbotten",
    "Region Jämtland Härjedalen",
    "Region Dalarna",
    "Region Örebro län",
    "Energimyndigheten",
    "Företagarna",
    "Science Park Borås",
    "Samordningsförbundet Östra Södertörn",
    "Hushållningssällskapet",
    "Länsstyrelsen i Jämtlands län",
]
PUBLISHERS = [
    "Tillväxtverket",
    "Svenska ESF-rådet",
    "Region Västerbotten",
    "Region Skåne",
    "Region Dalarna",
    "Region Norrbotten",
    "Länsstyrelsen i Dalarnas län",
    "Länsstyrelsen i Jämtlands län",
]
FIRST_NAMES = [
    "Anna",
    "Maria",
    "Karin",
    "Sara",
    "Emma",
    "Lena",
    "Ingrid",
    "Elin",
    "Fatima",
    "Sofia",
    "Helena",
    "Marie",
    "Lars",
    "Anders",
    "Johan",
    "Erik",
    "Per",
    "Mikael",
    "Magnus",
    "Ahmed",
    "Jonas",
    "Björn",
    "Mats",
    "Nils",
    "Oskar",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Lindberg",
    "Holmström",
    "Lundqvist",
    "Berglund",
    "Sandberg",
    "Öberg",
    "Nordin",
    "Hedlund",
    "Ali",
    "Mahmoud",
    "Sjöberg",
    "Forsberg",
]
ROLES = [
    "projektledare",
    "verksamhetsutvecklare",
    "näringslivschef",
    "utvecklingsstrateg",
    "processledare",
    "enhetschef",
    "regional samordnare",
    "företagsrådgivare",
    "arbetsmarknadskonsulent",
    "handläggare",
    "styrgruppens ordförande",
    "forskare",
]
SECTORS = [
    "besöksnäringen",
    "tillverkningsindustrin",
    "skogsnäringen",
    "livsmedelsproduktionen",
    "de kulturella och kreativa näringarna",
    "vård- och omsorgssektorn",
    "byggbranschen",
    "transport- och logistiksektorn",
    "detaljhandeln",
    "IT-branschen",
    "gruvnäringen",
    "energisektorn",
    "fiskerinäringen",
    "den gröna näringen",
]
GROUPS = [
    "unga som varken arbetar eller studerar",
    "långtidsarbetslösa",
    "nyanlända kvinnor",
    "personer med funktionsnedsättning",
    "äldre arbetstagare",
    "ensamföretagare",
    "småföretagare på landsbygden",
    "utrikes födda akademiker",
    "personer som står långt från arbetsmarknaden",
    "unga kvinnor i glesbygd",
    "sjukskrivna som vill tillbaka till arbete",
]
ACTIVITIES = [
    "mentorprogram",
    "företagsbesök",
    "workshoppar om affärsutveckling",
    "studiebesök hos andra regioner",
    "matchning mot lediga jobb",
    "individuell affärsrådgivning",
    "kompetensinventeringar",
    "språkstöd på arbetsplatsen",
    "praktikplatser",
    "nätverksträffar",
    "innovationscheckar",
    "tester i en demonstrationsmiljö",
    "validering av yrkeskunskaper",
    "webbinarier",
    "branschvisa utbildningar",
    "coachning i grupp",
    "energikartläggningar",
    "exportseminarier",
]
METHODS = [
    "djupintervjuer",
    "en webbenkät",
    "fokusgrupper",
    "dokumentstudier",
    "deltagande observationer",
    "registeruppgifter från SCB",
    "fallstudier",
    "en jämförelse med en kontrollgrupp",
    "workshoppar med projektägarna",
    "analyser av lägesrapporter och slutrapporter",
]
CHALLENGES = [
    "de långa avstånden mellan orterna",
    "svårigheten att rekrytera personal med rätt kompetens",
    "en tidskrävande administration",
    "sena utbetalningar från den förvaltande myndigheten",
    "pandemins restriktioner",
    "en hög personalomsättning i projektgruppen",
    "en svag medfinansiering från kommunerna",
    "otydliga indikatorer i ansökan",
    "ett svalt intresse från de minsta företagen",
    "en utdragen upphandling av utbildningsinsatser",
    "stigande energipriser",
]
EFFECTS = [
    "ökad omsättning",
    "fler anställda",
    "nya samarbeten mellan företag",
    "förbättrad lönsamhet",
    "kortare ledtider i produktionen",
    "minskad energianvändning",
    "en högre exportandel",
    "starkare nätverk",
    "större tillit mellan aktörerna",
    "en högre digital mognad",
    "färre sjukskrivningar",
]
PROFESSIONS = [
    "undersköterskor",
    "svetsare",
    "systemutvecklare",
    "elektriker",
    "lärare",
    "sjuksköterskor",
    "CNC-operatörer",
    "lastbilschaufförer",
    "kockar",
    "drifttekniker",
]
GOALS = [
    "ökad konkurrenskraft i små och medelstora företag",
    "en koldioxidsnål ekonomi",
    "ett mer inkluderande arbetsliv",
    "stärkt forskning och innovation",
    "bättre tillgång till digitala tjänster",
    "en hållbar stadsutveckling",
]
NUMBER_WORDS = ["två", "tre", "fyra", "fem", "sex", "sju", "åtta"]

# Prose sentence templates, by where in a report they belong. Slots: any key of FULL_SLOT_WORDS
# (a trailing digit asks for another, different word), the numbers in _NUMBER_SLOTS, and the
# context of the report or case ({region}, {city}, {project}, {owner}, {leader}, …).
SUMMARY_PROSE = [
    "Rapporten beskriver {cases} projekt i {region} som har fått stöd från {fund} under "
    "programperioden {period}.",
    "Projekten spänner över allt från {theme} till {theme2}.",
    "Sammantaget har projekten omsatt drygt {money2} miljoner kronor, varav ungefär hälften "
    "är EU-medel.",
    "Den viktigaste slutsatsen är att resultaten blir mer bestående när projekten är väl "
    "förankrade i den regionala utvecklingsstrategin.",
    "Vi ser också att samverkan mellan offentliga aktörer och näringsliv har stärkts i flera "
    "av de studerade miljöerna.",
    "Samtidigt visar genomgången att uppföljningen av de långsiktiga effekterna behöver utvecklas.",
    "Rapporten riktar sig till projektägare, handläggare och andra som arbetar med regional "
    "utveckling i praktiken.",
]
BACKGROUND_PROSE = [
    "Sverige har under programperioden {period} tagit emot drygt {billions} miljarder kronor "
    "från de europeiska struktur- och investeringsfonderna.",
    "Regionalfondens uppgift är att minska skillnaderna i utveckling mellan Europas regioner och "
    "att stärka den ekonomiska, sociala och territoriella sammanhållningen.",
    "I {region} präglas näringslivet av {sector} och {sector2}, vilket gör regionen känslig för "
    "konjunktursvängningar.",
    "Befolkningen i flera av inlandskommunerna har minskat med mer än {pct} procent sedan början "
    "av 2000-talet.",
    "Programmen tas fram i dialog mellan regeringen, regionerna och Europeiska kommissionen och "
    "gäller i sju år åt gången.",
    "Den regionala utvecklingsstrategin pekar ut {theme} som ett av de viktigaste "
    "utvecklingsområdena fram till {year3}.",
    "Många företag i {region} har färre än tio anställda och saknar egna resurser för "
    "utvecklingsarbete.",
    "Kompetensförsörjningen har under flera år beskrivits som det största hindret för tillväxt "
    "inom {sector}.",
    "Under {year} genomförde {org} en analys som visade att efterfrågan på {profession} väntas "
    "öka kraftigt under det kommande decenniet.",
    "Arbetslösheten bland {group} har länge legat betydligt över genomsnittet i länet.",
    "Ett av programmets mål är att andelen innovativa små och medelstora företag ska öka med "
    "{pct} procent under perioden.",
    "Stödet uppgår som regel till högst {share} procent av de stödberättigande kostnaderna, och "
    "resten ska komma från offentlig eller privat medfinansiering.",
    "Tidigare utvärderingar har visat att projekten ofta når sina aktivitetsmål men att de "
    "långsiktiga effekterna är svåra att belägga.",
    "Omställningen till en fossilfri ekonomi ställer stora krav på {sector}, som står för en "
    "betydande del av utsläppen i regionen.",
    "Den digitala infrastrukturen är fortfarande ojämnt utbyggd, och på landsbygden saknar många "
    "hushåll tillgång till snabbt bredband.",
    "Sedan {year} har partnerskapet i {region} lagt särskild vikt vid samverkan mellan akademi, "
    "näringsliv och offentlig sektor.",
    "Pandemin slog hårt mot {sector} under {covid}, och många projekt fick ställa om sina "
    "aktiviteter till digitala format.",
    "Den demografiska utvecklingen innebär att allt färre personer i arbetsför ålder ska "
    "försörja allt fler äldre.",
    "Näringslivet är starkt exportberoende, och omkring {pct} procent av industrins produktion "
    "säljs utomlands.",
    "Pendlingsavstånden är långa, och för många invånare är tillgången till utbildning begränsad "
    "utanför de större orterna.",
    "Under de senaste åren har stora industriinvesteringar i norra Sverige ökat efterfrågan på "
    "arbetskraft och bostäder.",
    "Landsbygdskommunerna har ofta små organisationer och begränsade möjligheter att driva "
    "utvecklingsprojekt på egen hand.",
]
METHOD_PROSE = [
    "Syftet med rapporten är att beskriva hur projekten har arbetat och vilka resultat de har "
    "uppnått.",
    "Rapporten bygger på {cases} fallstudier som valts ut i samråd med {publisher}.",
    "Underlaget består av {method}, {method2} och {method3}.",
    "Sammanlagt har {interviews} personer intervjuats, däribland projektledare, deltagare och "
    "företrädare för medfinansiärerna.",
    "Intervjuerna genomfördes mellan {month} och {month2} {year} och tog i genomsnitt drygt en "
    "timme.",
    "Urvalet gjordes så att det speglar spridningen mellan olika delar av {region} och olika "
    "typer av projektägare.",
    "En webbenkät skickades till {respondents} deltagare, och svarsfrekvensen blev {pct} procent.",
    "Uppgifterna om beviljade medel och utfall har hämtats från projektdatabasen hos {org}.",
    "Rapporten gör inte anspråk på att mäta programmets samlade effekter utan ska ses som ett "
    "underlag för lärande.",
    "För att pröva slutsatserna anordnades ett seminarium med projektägare och handläggare i "
    "{city} i {month} {year}.",
    "Utvärderingen har genomförts av en extern utvärderare på uppdrag av {publisher}.",
    "Analysen följer en förändringsteori där aktiviteter, resultat och förväntade effekter "
    "beskrivs steg för steg.",
    "Eftersom flera projekt fortfarande pågår är resultaten i vissa fall preliminära.",
    "De deltagande företagen har också jämförts med en kontrollgrupp av liknande företag som "
    "inte har fått stöd.",
    "Fallen valdes ut med hjälp av projektdatabasen och samtal med handläggare hos {org}.",
    "Intervjuerna spelades in och skrevs ut, och materialet analyserades tematiskt.",
    "Resultaten har stämts av med de intervjuade projektledarna innan rapporten färdigställdes.",
]
CASE_INTRO_PROSE = [
    "Projektet {project} startade i {month} {year} och pågick i drygt {span} år.",
    "Idén växte fram ur ett tidigare samarbete mellan {owner} och några företag i {city}.",
    "Projektägare är {owner}, med {org} och kommunen som samverkanspartner.",
    "Målgruppen var i första hand {group}.",
    "Projektet leddes av {leader}, som tidigare har arbetat som {role} i {city}.",
    "Bakgrunden var att flera företag i {city} hade svårt att hitta medarbetare inom {sector}.",
    "Under det första året låg fokus på att kartlägga behoven hos företagen och att bygga upp "
    "en fungerande projektorganisation.",
]
CASE_PROSE = [
    "Insatserna bestod bland annat av {activity}, {activity2} och {activity3}.",
    "Sammanlagt deltog {count} personer i projektets aktiviteter, varav {pct} procent var "
    "under 25 år.",
    "Deltagarna fick stöd av en personlig coach under i genomsnitt {weeks} veckor.",
    "Verksamheten utgick från en lokal i centrala {city} som delades med kommunens "
    "näringslivskontor.",
    "Projektgruppen bestod av {few} personer, varav två arbetade på heltid.",
    "En viktig del av arbetet var att skapa mötesplatser där företagare kunde dela erfarenheter "
    "med varandra.",
    "Efter projekttiden uppgav {pct} procent av de deltagande företagen att de hade infört nya "
    "arbetssätt.",
    "Flera deltagare har efter avslutat projekt fått anställning inom {sector}.",
    "Resultaten visar på {effect} och {effect2} hos de företag som deltog längst.",
    "Den slutliga kostnaden blev {money} miljoner kronor, vilket var något lägre än budgeterat.",
    "I slutrapporten beskrivs samarbetet med {org} som avgörande för att nå ut till målgruppen.",
    "Totalt fick {firms} företag stöd i form av rådgivning eller checkar på mellan "
    "{low}\u00a0000 och {high}\u00a0000 kronor.",
    "Intresset från näringslivet var till en början svalt men ökade efter att de första "
    "resultaten presenterades på en frukostträff i {city}.",
    "Under {year} byggdes en testbädd där företagen kunde pröva nya lösningar i verklig miljö.",
    "Samarbetet med {org} gav företagen tillgång till forskare och studenter som kunde bidra med "
    "ny kunskap.",
    "Jämställdhet och tillgänglighet hanterades som horisontella principer genom hela "
    "genomförandet.",
    "En följeforskare från {org} dokumenterade arbetet och återkopplade sina iakttagelser till "
    "styrgruppen två gånger per år.",
    "Deltagarna beskriver själva att de har fått bättre självförtroende och en tydligare bild "
    "av vad de vill göra framåt.",
    "Ett exempel på arbetssättet är de {activity} som genomfördes tillsammans med {org}.",
    "Projektet har också bidragit till att kommunen har inrättat en permanent tjänst som {role}.",
    "Varje deltagande företag fick en handlingsplan med konkreta mål för det kommande året.",
    "Halvvägs genom projektet gjordes en avstämning med styrgruppen, och upplägget justerades så "
    "att fler aktiviteter skedde ute hos företagen.",
    "Kommunikationen skedde främst via lokala medier, sociala kanaler och de "
    "branschorganisationer som redan hade kontakt med företagen.",
    "Ungefär var tredje deltagare kom via Arbetsförmedlingen, medan övriga hittade till "
    "projektet genom egna kontakter.",
    "I {month} {year} hölls en avslutande konferens i {city} där resultaten presenterades för ett "
    "hundratal inbjudna.",
    "Projektet samarbetade med {org} och flera lokala företagarföreningar för att nå ut till de "
    "minsta företagen.",
    "Särskild vikt lades vid att göra insatserna tillgängliga för deltagare som bor långt från "
    "centralorten.",
    "De mest efterfrågade insatserna var {activity} och {activity2}.",
    "Enligt projektets egen uppföljning ökade de deltagande företagens omsättning med i "
    "genomsnitt {pct} procent.",
    "För att minska sårbarheten byggdes rutiner som gör att arbetet inte hänger på enskilda "
    "personer.",
    "Projektet tog också fram en digital verktygslåda med checklistor, mallar och korta "
    "instruktionsfilmer.",
    "Flera av aktiviteterna genomfördes på kvällstid för att passa företagare med små marginaler.",
]
CHALLENGE_PROSE = [
    "Den största utmaningen var {challenge}, vilket gjorde att flera aktiviteter fick skjutas upp.",
    "Arbetet påverkades också av {challenge} och {challenge2}.",
    "Det tog längre tid än väntat att rekrytera deltagare, framför allt på de mindre orterna "
    "utanför {city}.",
    "Redovisningen till den förvaltande myndigheten upplevdes som tidskrävande, och "
    "projektledningen lade ungefär en femtedel av sin tid på administration.",
    "Under hösten {year} byttes projektledaren ut, vilket ledde till ett avbrott i kontakterna "
    "med företagen.",
    "Några planerade aktiviteter kunde inte genomföras eftersom en av kommunerna drog tillbaka "
    "sin medfinansiering.",
    "Indikatorerna i ansökan visade sig svåra att följa upp, eftersom de inte fångade de "
    "kvalitativa förändringar som projektet syftade till.",
    "Många företag hade svårt att avsätta tid för utvecklingsarbete samtidigt som den löpande "
    "verksamheten skulle skötas.",
    "Konkurrensen om deltagare var stor, eftersom flera liknande projekt pågick i regionen "
    "samtidigt.",
    "Att mäta effekterna på kort sikt visade sig svårt, eftersom många av förändringarna tar "
    "flera år att synas.",
    "Samarbetet med {org} tog tid att etablera, bland annat på grund av olika arbetskulturer och "
    "beslutsvägar.",
    "En del företag hoppade av under projektets gång, oftast på grund av hög arbetsbelastning "
    "eller ändrade ägarförhållanden.",
]
QUOTE_PROSE = [
    "”{quote}”, säger {leader}, projektledare på {owner}.",
    "”{quote}” Det säger {person}, som var {role} i projektet under de två första åren.",
    "Enligt {person}, {role} i {city}, har projektet betytt mycket: ”{quote}”",
    "{person}, som driver ett företag inom {sector} i {city}, beskriver stödet som avgörande: "
    "”{quote}”",
]
QUOTES = [
    "Vi har lärt oss enormt mycket om hur man når ut till företag som aldrig tidigare har haft "
    "kontakt med oss.",
    "Det svåraste var att hitta tid, men när vi väl kom igång märkte vi snabbt att det gav "
    "resultat.",
    "Utan projektet hade vi inte haft råd att anställa två nya medarbetare.",
    "För många av deltagarna var det första gången som någon faktiskt frågade vad de själva ville.",
    "Vi underskattade hur lång tid det tar att bygga förtroende mellan aktörer som inte är vana "
    "att samarbeta.",
    "Nu har vi ett nätverk som fungerar även när projektet är slut, och det är kanske det "
    "viktigaste resultatet.",
    "Administrationen tog mer kraft än vi hade räknat med, men stödet från handläggarna var bra.",
    "Det handlar om att våga testa nya saker och att acceptera att allt inte blir rätt första "
    "gången.",
    "Jag tror att vi har visat att det går att driva innovation även långt från de stora "
    "universitetsorterna.",
    "Företagen ville ha konkreta verktyg och inte fler seminarier, så vi fick tänka om ganska "
    "tidigt.",
    "Det var först när kommunerna gick in med egna pengar som det blev riktig fart på arbetet.",
    "Deltagarna har vuxit, och flera av dem är i dag själva handledare för nya praktikanter.",
    "Vi hade hoppats på fler kvinnliga deltagare, så där har vi en del kvar att göra.",
    "Pandemin tvingade oss att ställa om till digitala träffar, och det fungerade bättre än vi "
    "trodde.",
    "Tack vare testbädden kunde vi visa kunderna att tekniken fungerar i verklig drift.",
]
LESSON_PROSE = [
    "En lärdom är att projekt som förankras tidigt hos ledningen i de deltagande "
    "organisationerna har lättare att leva vidare efter projekttiden.",
    "Erfarenheterna visar att det behövs en tydlig ägare av frågan när projektmedlen tar slut.",
    "Små företag behöver ofta stöd som är anpassat till deras vardag snarare än generella "
    "utbildningsinsatser.",
    "Att arbeta nära arbetsgivarna har varit en framgångsfaktor för att deltagarna ska få arbete.",
    "Det är tydligt att långsiktighet är viktigare än storleken på de enskilda insatserna.",
    "De projekt som lyckades bäst hade en projektledare med god lokalkännedom och ett brett "
    "kontaktnät inom {sector}.",
    "Flera av de intervjuade efterlyser en enklare ansökningsprocess och snabbare beslut från "
    "{org}.",
    "Resultaten talar för att insatser riktade till {group} ger bäst effekt när de kombineras "
    "med praktik på en riktig arbetsplats.",
    "Ett genomgående mönster är att digitala mötesformer har sänkt trösklarna för deltagare i "
    "glesbygd.",
    "Spridningen av resultat har ofta fått stå tillbaka för genomförandet, och goda "
    "erfarenheter riskerar därför att gå förlorade.",
    "Samverkan över kommungränserna har gjort det möjligt att bygga upp kompetens som ingen "
    "enskild kommun hade kunnat finansiera på egen hand.",
    "En annan lärdom är att det lönar sig att involvera målgruppen redan när ansökan skrivs.",
    "Tydliga och realistiska mål gör det lättare både att styra arbetet och att följa upp det i "
    "efterhand.",
]
FOLLOW_UP_PROSE = [
    "{org} kommer att följa upp deltagarna igen under {next_year} för att se om effekterna består.",
    "Arbetssättet har nu tagits in i den ordinarie verksamheten hos {owner}.",
    "Ett fortsättningsprojekt har beviljats medel från {fund} för perioden {year}–{year2}.",
    "Erfarenheterna ska också användas inför nästa programperiod, där {theme} väntas få ökad "
    "betydelse.",
    "En uppföljning ett år efter avslut visade att {pct} procent av deltagarna fortfarande hade "
    "arbete eller studerade.",
    "Styrgruppen har beslutat att de verktyg som tagits fram ska göras fritt tillgängliga för "
    "andra regioner.",
]
CONCLUSION_PROSE = [
    "Sammantaget visar exemplen att strukturfondsmedlen kan göra skillnad när de används som en "
    "del av en större regional strategi.",
    "De studerade projekten har i varierande grad bidragit till programmets mål om {goal}.",
    "Vår bedömning är att de största effekterna uppstår där projekten bygger vidare på "
    "befintliga styrkor i regionen.",
    "Det finns skäl att se över hur indikatorerna utformas så att de bättre speglar vad "
    "projekten faktiskt åstadkommer.",
    "Rapporten visar också att mindre kommuner behöver stöd för att kunna delta i och driva "
    "EU-finansierade projekt.",
    "Vi rekommenderar att {publisher} ger projekten bättre förutsättningar att sprida sina "
    "resultat redan under genomförandet.",
    "Erfarenheterna från {ref_city} (exempel {ref}) är särskilt intressanta för regioner med "
    "liknande förutsättningar.",
    "Slutligen vill vi betona betydelsen av att projektens resultat tas tillvara i den "
    "ordinarie verksamheten.",
]
PROSE_TEMPLATES = [
    *SUMMARY_PROSE,
    *BACKGROUND_PROSE,
    *METHOD_PROSE,
    *CASE_INTRO_PROSE,
    *CASE_PROSE,
    *CHALLENGE_PROSE,
    *QUOTE_PROSE,
    *LESSON_PROSE,
    *FOLLOW_UP_PROSE,
    *CONCLUSION_PROSE,
]
REFERENCE_TEMPLATES = [
    "{org} ({year}). {ref_title}. Rapport {year}:{report_no}.",
    "{last}, {initial}. och {last2}, {initial2}. ({year}). {ref_title}. {city}: {org}.",
    "Europeiska kommissionen ({year}). {eu_title}. Luxemburg: Europeiska unionens "
    "publikationsbyrå.",
    "{org} ({year}). Slutrapport för projektet {any_project}. Diarienummer {year}-{diary}.",
    "{last}, {initial}. ({year}). {ref_title}. Doktorsavhandling, {university}.",
]
REFERENCE_TITLES = [
    "Kompetensförsörjning i glesbygd – en kunskapsöversikt",
    "Utvärdering av innovationscheckar för små och medelstora företag",
    "Regionala tillväxtmiljöer och deras betydelse för näringslivet",
    "Socialt företagande som arbetsmarknadspolitisk insats",
    "Lärande utvärdering i praktiken",
    "Arbetsintegration och validering i kommunal regi",
    "Omställningens geografi: industri, energi och arbete i norra Sverige",
    "Hållbar landsbygdsutveckling genom lokal samverkan",
    "Digitalisering i små företag – drivkrafter och hinder",
    "Effekter av företagsstöd på sysselsättning och omsättning",
]
EU_TITLES = [
    "Sammanhållningsrapporten: ekonomisk, social och territoriell sammanhållning",
    "Vägledning om förenklade kostnadsalternativ",
    "Utvärdering av sammanhållningspolitiken efter programperioden",
    "Smart specialisering i praktiken",
]
UNIVERSITIES = [
    "Umeå universitet",
    "Luleå tekniska universitet",
    "Mittuniversitetet",
    "Linnéuniversitetet",
    "Karlstads universitet",
    "Örebro universitet",
]
CASE_SUBHEADINGS = [
    ("Genomförande", "Lärdomar"),
    ("Så arbetade projektet", "Resultat och erfarenheter"),
    ("Aktiviteter", "Vad händer nu?"),
]
TITLES = [
    # (title, short form for the running header: at most five words, as real running heads)
    ("Lärdomar från strukturfondsprojekt i {region}", "Lärdomar från {region}"),
    (
        "Regional utveckling i praktiken – erfarenheter från {region}",
        "Regional utveckling i praktiken",
    ),
    ("Så har EU-medlen gjort skillnad i {region}", "EU-medlen i {region}"),
    (
        "Kompetens, innovation och omställning – {cases} exempel från {region}",
        "{Cases} regionala exempel",
    ),
    ("Tematisk utvärdering av {theme} i {region}", "Tematisk utvärdering"),
    ("Uppföljning av programperioden {period} i {region}", "Uppföljning {period}"),
    (
        "Från projekt till ordinarie verksamhet: goda exempel från {region}",
        "Goda exempel från {region}",
    ),
]
FULL_SLOT_WORDS: dict[str, list[str]] = {
    "org": MORE_ORGANISATIONS,
    "owner": MORE_ORGANISATIONS,  # a case's project owner; outside cases any organisation
    "fund": FUNDS,
    "sector": SECTORS,
    "group": GROUPS,
    "activity": ACTIVITIES,
    "method": METHODS,
    "challenge": CHALLENGES,
    "effect": EFFECTS,
    "profession": PROFESSIONS,
    "goal": GOALS,
    "role": ROLES,
    "city": PLACES,
    "month": MONTHS[:8],
    "few": NUMBER_WORDS,
    "span": NUMBER_WORDS[:3],
    "theme": [theme[0].lower() + theme[1:] for theme in FULL_THEMES],
    "quote": QUOTES,
    "last": LAST_NAMES,
    "initial": list("ABCDEFGHIJKLMNOPRSTUVÅ"),
    "ref_title": REFERENCE_TITLES,
    "eu_title": EU_TITLES,
    "university": UNIVERSITIES,
}


def _month_after(rng: random.Random, values: dict[str, str]) -> str:
    return MONTHS[MONTHS.index(values["month"]) + rng.randint(1, 4)]


def _high(rng: random.Random, values: dict[str, str]) -> str:
    return str(int(values["low"]) + rng.choice([50, 100, 150, 250]))


# Number slots; a few depend on one drawn earlier in the same sentence (year → year2).
_NUMBER_SLOTS: dict[str, Callable[[random.Random, dict[str, str]], str]] = {
    "year": lambda rng, _: str(rng.randint(2014, 2023)),
    "year2": lambda rng, values: str(int(values["year"]) + rng.randint(1, 4)),
    "year3": lambda rng, _: str(rng.choice([2025, 2027, 2030, 2035])),
    "covid": lambda rng, _: rng.choice(["2020", "2021", "pandemiåren 2020 och 2021"]),
    "month2": _month_after,
    "pct": lambda rng, _: str(rng.randint(5, 80)),
    "share": lambda rng, _: str(rng.choice([40, 50, 60, 70])),
    "count": lambda rng, _: str(rng.randint(40, 3000)),
    "firms": lambda rng, _: str(rng.randint(8, 160)),
    "interviews": lambda rng, _: str(rng.randint(15, 90)),
    "respondents": lambda rng, _: str(rng.randint(120, 1500)),
    "weeks": lambda rng, _: str(rng.randint(6, 26)),
    "money": lambda rng, _: f"{rng.randint(2, 60)},{rng.randint(1, 9)}",
    "money2": lambda rng, _: str(rng.randint(20, 600)),
    "billions": lambda rng, _: str(rng.randint(8, 30)),
    "low": lambda rng, _: str(rng.choice([20, 50, 100])),
    "high": _high,
    "report_no": lambda rng, _: str(rng.randint(1, 40)),
    "diary": lambda rng, _: f"{rng.randint(1, 9999):04d}",
    "person": lambda rng, _: f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
    "leader": lambda rng, _: f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
    "any_project": lambda rng, _: _project_name(rng),
    "project": lambda rng, _: _project_name(rng),
}
_FORMATTER = string.Formatter()


def _project_name(rng: random.Random) -> str:
    first, second = rng.choice(FULL_PROJECT_WORDS)
    return f"{first} {second} {rng.choice(PLACES)}"


def fill_template(
    rng: random.Random,
    template: str,
    context: dict[str, str],
    decks: dict[str, _Deck] | None = None,
) -> str:
    """Fill a prose template's slots in order: the context first, then words and numbers.

    A slot with a deck (the quotes of one report) draws from it, so it repeats only late.
    """
    values: dict[str, str] = {}
    for _, name, _, _ in _FORMATTER.parse(template):
        if not name or name in values:
            continue
        base = name.rstrip("0123456789")
        if name in context:
            values[name] = context[name]
        elif name in _NUMBER_SLOTS:
            values[name] = _NUMBER_SLOTS[name](rng, values)
        elif decks and base in decks:
            values[name] = decks[base].draw()
        else:
            # "activity2" is another activity than "activity" in the same sentence.
            taken = set(values.values())
            values[name] = rng.choice([w for w in FULL_SLOT_WORDS[base] if w not in taken])
    # Swedish drops a quote's full stop before ", säger …".
    return template.format(**values).replace(".”,", "”,")


class _Deck:
    """Draws without repeats until every item has been used, then reshuffles (a card deck):
    a real report does not repeat a sentence three paragraphs later."""

    def __init__(self, rng: random.Random, items: Sequence[str]) -> None:
        self.rng = rng
        self.items = list(items)
        self.left: list[str] = []

    def draw(self) -> str:
        if not self.left:
            self.left = self.items[:]
            self.rng.shuffle(self.left)
        return self.left.pop()


@dataclass(frozen=True)
class FullReport:
    """A full report as blocks of (kind, text); kind is one of title, subtitle, chapter,
    case, subheading, body, reference. Its text joins them as paragraphs."""

    title: str
    header: str  # the PDF's running header
    page_label: str  # the PDF's footer, formatted with page= and pages=
    blocks: tuple[tuple[str, str], ...]
    formal: bool = True  # in a PDF: a cover page, and each chapter on a new page

    @property
    def text(self) -> str:
        return "\n\n".join(text for _, text in self.blocks) + "\n"

    @property
    def cases(self) -> int:
        return sum(kind == "case" for kind, _ in self.blocks)


def full_report_length(seed: int) -> int:
    """The target word count of full_report(seed): log-normal, clipped (see FULL_SIGMA)."""
    words = random.Random(seed).lognormvariate(math.log(FULL_MEDIAN_WORDS), FULL_SIGMA)
    return min(FULL_MAX_WORDS, max(FULL_MIN_WORDS, round(words)))


# The template groups, and which groups each part of a report draws from.
PROSE_GROUPS: dict[str, list[str]] = {
    "summary": SUMMARY_PROSE,
    "background": BACKGROUND_PROSE,
    "method": METHOD_PROSE,
    "case intro": CASE_INTRO_PROSE,
    "case": CASE_PROSE,
    "challenge": CHALLENGE_PROSE,
    "quote": QUOTE_PROSE,
    "lesson": LESSON_PROSE,
    "follow-up": FOLLOW_UP_PROSE,
    "conclusion": CONCLUSION_PROSE,
}
PROSE_POOLS: dict[str, list[str]] = {
    "summary": ["summary"],
    "summary, later": ["summary", "lesson"],
    "background": ["background"],
    "method": ["method"],
    "case intro": ["case intro"],
    "case": ["case", "challenge", "quote"],
    "case ending": ["lesson", "follow-up", "quote"],
    "conclusions": ["conclusion", "lesson", "follow-up"],
}


class _Writer:
    """Writes the prose of one report. Each template group is a deck shared by every part
    of the report, so a sentence comes back only once its whole group has been used."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.decks = {name: _Deck(rng, group) for name, group in PROSE_GROUPS.items()}
        self.facts = _Deck(rng, SENTENCES)
        self.slots = {"quote": _Deck(rng, QUOTES)}

    def sentence_template(self, pool: str) -> str:
        # A group is picked in proportion to its size, as if the pool were one deck.
        groups = PROSE_POOLS[pool]
        weights = [len(PROSE_GROUPS[group]) for group in groups]
        return self.decks[self.rng.choices(groups, weights)[0]].draw()

    def paragraphs(
        self,
        budget: int,
        pools: list[str],
        context: dict[str, str],
        *,
        facts: float = 0.0,
        city: str = "",
    ) -> list[str]:
        """Paragraphs of 2–8 sentences until `budget` words are written (at least one).

        Paragraph i draws from pools[min(i, len(pools) - 1)], so a case can open with its
        intro sentences; a share `facts` of the sentences are the dense SENTENCES of
        swedish_report.
        """
        rng = self.rng
        paragraphs: list[str] = []
        words = 0
        while words < budget or not paragraphs:
            pool = pools[min(len(paragraphs), len(pools) - 1)]
            sentences: list[str] = []
            for _ in range(rng.randint(2, 8)):
                if facts and rng.random() < facts:
                    sentence = fact_sentence(rng, self.facts.draw(), city)
                else:
                    sentence = fill_template(rng, self.sentence_template(pool), context, self.slots)
                sentences.append(sentence)
                words += len(sentence.split())
                if words >= budget and len(sentences) >= 2:
                    break
            paragraphs.append(" ".join(sentences))
        return paragraphs


def full_report_blocks(seed: int) -> FullReport:
    """The blocks of full_report(seed): deterministic, its length from full_report_length."""
    target = full_report_length(seed)
    # Generation stops at the sentence that reaches the plan, so leave room for one sentence
    # under the upper clip; everywhere else the report ends at most a sentence past `target`.
    aim = min(target, FULL_MAX_WORDS - _LONGEST_SENTENCE)
    rng = random.Random(f"full-report-{seed}")
    cases = min(8, max(2, round(target / 1000) + rng.randint(0, 2)))
    year = rng.randint(2016, 2024)
    publisher = rng.choice(PUBLISHERS)
    report = {
        "region": rng.choice(REGIONS),
        "publisher": publisher,
        "period": "2014–2020" if year <= 2021 else "2021–2027",
        "next_year": str(year + 1),
        "cases": NUMBER_WORDS[cases - 2],
        "Cases": NUMBER_WORDS[cases - 2].capitalize(),
        "theme": rng.choice(FULL_SLOT_WORDS["theme"]),
    }
    case_cities = [rng.choice(PLACES) for _ in range(cases)]
    reference = rng.randrange(cases)  # the case that Slutsatser (or Sammanfattning) points to
    report["ref"], report["ref_city"] = str(reference + 1), case_cities[reference]
    title_template, short_template = rng.choice(TITLES)
    title = title_template.format(**report)
    number = f"{year}:{rng.randint(1, 40)}"
    subtitle = f"{publisher} · Rapport {number} · {rng.choice(MONTHS).capitalize()} {year}"
    titles = {"ref_title": _Deck(rng, REFERENCE_TITLES), "eu_title": _Deck(rng, EU_TITLES)}
    references = sorted(
        fill_template(rng, template, {}, titles)
        for template in rng.choices(REFERENCE_TEMPLATES, k=rng.randint(3, 12))
    )
    with_method = rng.random() < 0.7
    case_sizes = [rng.uniform(0.7, 1.3) for _ in range(cases)]  # cases differ in size

    writer = _Writer(rng)
    blocks: list[tuple[str, str]] = [("title", title), ("subtitle", subtitle)]
    # Everything but the reference list is written against one running plan: each part ends
    # where the plan says the report should be by then, so short and long parts even out.
    total = aim - sum(len(text.split()) for text in ["Referenser", *references])
    planned = 0.0

    def write(words: float, pools: list[str], context: dict[str, str], **kwargs: Any) -> list[str]:
        nonlocal planned
        planned += words
        written = sum(len(text.split()) for _, text in blocks)
        return writer.paragraphs(round(planned - written), pools, context, **kwargs)

    def chapter(name: str, pools: list[str]) -> None:
        blocks.append(("chapter", name))
        blocks.extend(("body", paragraph) for paragraph in write(sizes[name], pools, report))

    # The chapters around the cases grow with the report up to a cap (a long report has more
    # cases to tell, not a longer summary), which also keeps their few templates from
    # repeating over and over.
    sizes = {
        "Sammanfattning": min(0.08 * total, 500),
        "Bakgrund": min(0.14 * total, 1200),
        "Syfte och metod": min(0.07 * total, 600) if with_method else 0.0,
        "Slutsatser": min(0.08 * total, 800),
    }
    cases_words = total - sum(sizes.values())
    chapter("Sammanfattning", ["summary", "summary, later"])
    chapter("Bakgrund", ["background"])
    if with_method:
        chapter("Syfte och metod", ["method"])
    for case, city in enumerate(case_cities, start=1):
        words = cases_words * case_sizes[case - 1] / sum(case_sizes)
        # The same heading style as swedish_report, so the segmenter sees the same cases.
        blocks.append(("case", f"Exempel {case}: {rng.choice(FULL_THEMES)} i {city}"))
        context = {
            **report,
            "city": city,
            "project": f"{' '.join(rng.choice(FULL_PROJECT_WORDS))} {city}",
            "owner": rng.choice(MORE_ORGANISATIONS),
            "leader": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        }
        if words < 250 or rng.random() < 0.4:
            paragraphs = write(words, ["case intro", "case"], context, facts=0.3, city=city)
            blocks.extend(("body", paragraph) for paragraph in paragraphs)
            continue
        # Longer cases are often split by subheadings, ending with lessons and what comes next.
        opening, closing = rng.choice(CASE_SUBHEADINGS)
        paragraphs = write(0.8 * words, ["case intro", "case"], context, facts=0.3, city=city)
        blocks.append(("body", paragraphs[0]))
        if len(paragraphs) > 1:
            blocks.append(("subheading", opening))
            blocks.extend(("body", paragraph) for paragraph in paragraphs[1:])
        blocks.append(("subheading", closing))
        blocks.extend(
            ("body", paragraph) for paragraph in write(0.2 * words, ["case ending"], context)
        )
    chapter("Slutsatser", ["conclusions"])
    blocks.append(("chapter", "Referenser"))
    blocks.extend(("reference", text) for text in references)

    header = f"{short_template.format(**report)} · Rapport {number}"
    page_label = rng.choice(["{page}", "{page} ({pages})", "Sida {page} av {pages}"])
    # Short reports are often memos without a cover page; longer ones open chapters on new pages.
    formal = target >= 2000 or rng.random() < 0.3
    return FullReport(title, header, page_label, tuple(blocks), formal)


def full_report(seed: int) -> str:
    """A report-sized document (800–15000 words, median ≈ 2600) with 2–8 Exempel sections.

    Title, Sammanfattning, Bakgrund, often Syfte och metod, the cases (prose mixed with the
    fact sentences of swedish_report), Slutsatser and Referenser; paragraphs of 2–8 sentences.
    """
    return full_report_blocks(seed).text


# Typography of write_report_pdf: kind -> (font, size, leading, space before, space after).
# Body paragraphs are spaced more than a line gap so the ingest stage sees paragraph breaks.
_PDF_STYLES: dict[str, tuple[str, float, float, float, float]] = {
    "title": ("Helvetica-Bold", 22, 28, 0, 14),
    "subtitle": ("Helvetica", 12, 16, 0, 0),
    "chapter": ("Helvetica-Bold", 16, 20, 0, 10),
    "case": ("Helvetica-Bold", 13, 17, 12, 6),
    "subheading": ("Helvetica-Bold", 11, 15, 6, 3),
    "body": ("Helvetica", 11, 15, 0, 9),
    "reference": ("Helvetica", 10, 13, 0, 5),
}
_MARGIN = 72.0
_BODY_TOP = 85.0  # distance from the page top to the first baseline, below the header
_BODY_BOTTOM = 80.0  # lowest baseline, above the footer


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap by the font's real glyph widths (no hyphenation, as in most reports)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    line = ""
    for word in filter(None, text.split(" ")):  # a no-break space ("20 000") holds
        candidate = f"{line} {word}" if line else word
        if line and stringWidth(candidate, font, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def write_report_pdf(
    path: Path,
    blocks: Sequence[tuple[str, str]],
    *,
    header: str | None = None,
    page_label: str | None = None,
    title: str | None = None,
    formal: bool = True,
) -> Path:
    """A report PDF (A4) of (kind, text) blocks, optionally with a running `header` and a
    footer `page_label` ("{page} ({pages})"). A `formal` report has a cover page with the
    title and subtitle blocks and opens each chapter on a new page.

    Pages are laid out first and drawn afterwards, because the footer may need the page count.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    page_width, height = A4
    width = page_width - 2 * _MARGIN
    pages: list[list[tuple[str, float, float, str]]] = [[]]
    # The cover's title sits a little above the middle.
    y = height * 0.62 if formal else height - _BODY_TOP
    for kind, text in blocks:
        font, size, leading, before, after = _PDF_STYLES[kind]
        lines = _wrap(text, font, size, width)
        on_cover = len(pages) == 1 and kind in {"title", "subtitle"}
        # Chapters open a new page; the first block after the cover does in any case.
        if formal and not on_cover and (len(pages) == 1 or (kind == "chapter" and pages[-1])):
            pages.append([])
            y = height - _BODY_TOP
        elif pages[-1]:
            y -= before
        # Keep a heading with at least two lines of what follows it.
        needed = leading * (len(lines) + (2 if kind in {"chapter", "case", "subheading"} else 0))
        if kind != "body" and pages[-1] and y - needed < _BODY_BOTTOM:
            pages.append([])
            y = height - _BODY_TOP
        for line in lines:
            if y < _BODY_BOTTOM:
                pages.append([])
                y = height - _BODY_TOP
            pages[-1].append((font, size, y, line))
            y -= leading
        y -= after

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    if title:
        pdf.setTitle(title)
    for number, items in enumerate(pages, start=1):
        if header:
            pdf.setFont("Helvetica", 8)
            pdf.drawString(_MARGIN, height - 42, header)
        for font, size, line_y, line in items:
            pdf.setFont(font, size)
            pdf.drawString(_MARGIN, line_y, line)
        if page_label:
            pdf.setFont("Helvetica", 9)
            label = page_label.format(page=number, pages=len(pages))
            pdf.drawCentredString(page_width / 2, 40, label)
        pdf.showPage()
    pdf.save()
    return path


def write_full_text_corpus(folder: Path, count: int, *, seed: int = 0) -> list[Path]:
    """`count` full reports as text files, hard-wrapped like write_text_corpus."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"rapport_{number:04d}.txt"
        path.write_text(hard_wrapped(full_report(seed + number)), encoding="utf-8")
        paths.append(path)
    return paths


def write_full_pdf(path: Path, seed: int) -> Path:
    """full_report(seed) as a PDF with a cover, a running header and page-numbered footers."""
    report = full_report_blocks(seed)
    return write_report_pdf(
        path,
        report.blocks,
        header=report.header,
        page_label=report.page_label,
        title=report.title,
        formal=report.formal,
    )


def write_full_pdf_corpus(folder: Path, count: int, *, seed: int = 10_000) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_full_pdf(folder / f"rapport_{n:04d}.pdf", seed + n) for n in range(count)]


# -- tasks for executor tests (module level so worker processes can import them) -------------


def echo_task(job: object) -> object:
    return job


def misbehaving_task(job: str) -> str:
    """Behaves as its job says: "segfault", "exit", "hang", "memory", "raise" or plain echo."""
    import signal

    if job == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif job == "exit":
        os._exit(3)
    elif job == "hang":
        time.sleep(600)
    elif job == "memory":
        raise MemoryError
    elif job == "raise":
        raise ValueError("ett fel i uppgiften")
    elif job.startswith("barn:"):  # starts a program (as OCR starts Tesseract), then hangs
        import subprocess

        child = subprocess.Popen(["sleep", "600"])
        Path(job.removeprefix("barn:")).write_text(str(child.pid))
        time.sleep(600)
    return job.upper()


def failing_initializer() -> None:
    raise RuntimeError("modellen saknas")


def slow_initializer() -> None:
    """Stands in for loading the pipeline: gives read-ahead helpers time to work."""
    time.sleep(3)


def reading_task(job: str) -> str:
    """A read-ahead task that misbehaves as its job says ("krasch", "fel", "hänger")."""
    import signal

    if "krasch" in job:
        os.kill(os.getpid(), signal.SIGSEGV)
    elif "fel" in job:
        raise ValueError("kunde inte läsa")
    elif "hänger" in job:
        time.sleep(600)
    elif "barn:" in job:  # starts a program (as OCR starts Tesseract), then hangs
        import subprocess

        child = subprocess.Popen(["sleep", "600"])
        Path(job.split("barn:", 1)[1]).write_text(str(child.pid))
        time.sleep(600)
    return job + "+läst"


def crashing_extract_job(job: object) -> object:
    """The real per-document task, except that it crashes or hangs on some file names."""
    import signal

    from pipeline.batch import extract_job

    name = Path(job.path).name  # type: ignore[attr-defined]
    if name.startswith("krasch"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if name.startswith("fastnar"):
        time.sleep(600)
    return extract_job(job)  # type: ignore[arg-type]
