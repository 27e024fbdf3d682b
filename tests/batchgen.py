"""Test and benchmark data for batch runs: Swedish Exempel reports, PDFs and bad inputs.

Everything is generated from a seed, so a corpus is the same on every machine. The text is
ours, written in the style of Swedish structural-fund reports; the facts are invented.
"""

from __future__ import annotations

import os
import random
import textwrap
import time
from pathlib import Path

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
                first, second = rng.choice(PROJECT_WORDS)
                year = rng.randint(2014, 2022)
                sentences.append(
                    template.format(
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
                )
            parts.append(" ".join(sentences))
    return "\n\n".join(parts) + "\n"


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
    return job.upper()


def failing_initializer() -> None:
    raise RuntimeError("modellen saknas")


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
