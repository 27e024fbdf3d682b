"""Generate test PDFs with reportlab (and PIL for a scanned page), plus a CER helper.

Every generator writes into a directory and returns a `Generated` with the source text of
each page in reading order, as the PDF stage should return it (body lines only: running
headers and footers are listed separately). Tests compare extraction to that source with
`cer`, a character error rate over whitespace-normalised text.

Other tests may use `text_pdf` to render any lines (e.g. "Exempel 3: …" reports) into a PDF.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

PAGE_W, PAGE_H = A4
MARGIN = 56.0
HEADER = "Rapport 2018:3 – Regional utveckling"
FONT = "CbSans"
FONT_BOLD = "CbSans-Bold"

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _font_files() -> tuple[Path, Path]:
    """A TTF with å ä ö (DejaVu if installed, else reportlab's bundled Vera)."""
    regular, bold = _DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        return regular, bold
    import reportlab

    fonts = Path(reportlab.__file__).parent / "fonts"
    return fonts / "Vera.ttf", fonts / "VeraBd.ttf"


def register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    regular, bold = _font_files()
    pdfmetrics.registerFont(TTFont(FONT, str(regular)))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))


SENTENCES = [
    "Regionen har under året arbetat med att stärka företagens konkurrenskraft i hela länet.",
    "Satsningen på småföretag i Gävleborg och Dalarna har gett fler arbetstillfällen.",
    "Över 400 deltagare från 35 företag har genomgått utbildningen i digital omställning.",
    "Målet är att öka sysselsättningen och förbättra kompetensförsörjningen på landsbygden.",
    "Samverkan mellan högskolan, näringslivet och kommunerna är avgörande för utvecklingen.",
    "Under våren 2017 påbörjades arbetet med en ny strategi för hållbar tillväxt i regionen.",
    "Länsstyrelsen och Region Dalarna ansvarar gemensamt för uppföljningen av insatserna.",
    "Många små orter har svårt att behålla unga vuxna som flyttar till större städer.",
    "Därför prioriteras bredband, kollektivtrafik och tillgång till utbildning på nära håll.",
    "Utvärderingen visar att projekten nått sina mål för antalet nystartade företag.",
    "Ökad export och fler gröna jobb är två av de effekter som lyfts fram i rapporten.",
    "Kvinnors företagande har fått särskilt stöd genom rådgivning och mikrolån.",
    "Besöksnäringen i fjällområdena växer och behöver fler året-runt-arbetstillfällen.",
    "Flera kommuner har gått samman för att dela på kostnaderna för gemensamma tjänster.",
]


def swedish_words(count: int, offset: int = 0) -> list[str]:
    """Deterministic Swedish running text, `count` words long."""
    words: list[str] = []
    i = offset
    while len(words) < count:
        words.extend(SENTENCES[i % len(SENTENCES)].split())
        i += 1
    return words[:count]


def wrap(words: list[str], width: float, font: str, size: float) -> list[str]:
    """Greedy line breaking by measured width."""
    register_fonts()
    lines: list[str] = []
    cur: list[str] = []
    for w in words:
        trial = " ".join([*cur, w])
        if cur and pdfmetrics.stringWidth(trial, font, size) > width:
            lines.append(" ".join(cur))
            cur = [w]
        else:
            cur.append(w)
    if cur:
        lines.append(" ".join(cur))
    return lines


@dataclass
class Generated:
    path: Path
    pages: list[list[str]]  # source body lines of each page, in reading order
    header: str | None = None
    footers: list[str] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)

    def page_text(self, number: int) -> str:
        return " ".join(self.pages[number - 1])


def _furniture(c: canvas.Canvas, number: int, total: int) -> str:
    c.setFont(FONT, 9)
    c.drawString(MARGIN, PAGE_H - 40, HEADER)
    footer = f"Sid {number} ({total})"
    c.drawCentredString(PAGE_W / 2, 36, footer)
    return footer


def _lines_at(c: canvas.Canvas, lines: list[str], x: float, y: float, size: float, lead: float,
              font: str = FONT) -> float:  # fmt: skip
    c.setFont(font, size)
    for line in lines:
        c.drawString(x, y, line)
        y -= lead
    return y


# ---------------------------------------------------------------------------- the report


def report_pdf(directory: Path, name: str = "report.pdf") -> Generated:
    """A 3-page report: two columns, running header/footer, a framed Exempel box, a ruled
    table with amounts, and the word "utvecklingsprojekten" hyphenated over a page break."""
    register_fonts()
    path = Path(directory) / name
    c = canvas.Canvas(str(path), pagesize=A4)
    total = 3
    size, lead = 10.0, 13.0
    gutter = 22.0
    col_w = (PAGE_W - 2 * MARGIN - gutter) / 2
    left_x, right_x = MARGIN, MARGIN + col_w + gutter
    bottom = 80.0
    footers: list[str] = []
    pages: list[list[str]] = []
    columns: dict[str, list[str]] = {}

    # Page 1: full-width title and lead, then two columns ending in "utveck-".
    footers.append(_furniture(c, 1, total))
    title = "Regional utveckling i Norra Mellansverige"
    c.setFont(FONT_BOLD, 16)
    c.drawString(MARGIN, PAGE_H - 110, title)
    lead_lines = wrap(swedish_words(45, 3), PAGE_W - 2 * MARGIN, FONT, size)
    y = _lines_at(c, lead_lines, MARGIN, PAGE_H - 138, size, lead)
    top_y = y - 14
    n_rows = int((top_y - bottom) / lead) + 1
    left = wrap(swedish_words(400, 0), col_w, FONT, size)[:n_rows]
    right = wrap(swedish_words(400, 5), col_w, FONT, size)[: n_rows - 1]
    right.append("Det gäller särskilt de nya utveck-")
    _lines_at(c, left, left_x, top_y, size, lead)
    _lines_at(c, right, right_x, top_y, size, lead)
    pages.append([title, *lead_lines, *left, *right])
    columns["p1_left"], columns["p1_right"] = left, right
    c.showPage()

    # Page 2: two columns; the right one ends with a framed "Exempel 3" box.
    footers.append(_furniture(c, 2, total))
    top_y = PAGE_H - 100
    n_rows = int((top_y - bottom) / lead) + 1
    left = wrap(["lingsprojekten", *swedish_words(400, 8)], col_w, FONT, size)[:n_rows]
    box_title = "Exempel 3: Innovationsslussen i Gävle"
    box_body = wrap(swedish_words(60, 2), col_w - 16, FONT, 9)
    box_h = 14 + 12 * len(box_body) + 16
    right_rows = int((top_y - bottom - box_h - 20) / lead) + 1
    right = wrap(swedish_words(400, 11), col_w, FONT, size)[:right_rows]
    _lines_at(c, left, left_x, top_y, size, lead)
    _lines_at(c, right, right_x, top_y, size, lead)
    box_top = bottom + box_h - 4
    c.setFillGray(0.92)
    c.setStrokeGray(0.3)
    c.rect(right_x, bottom - 4, col_w, box_h, stroke=1, fill=1)
    c.setFillGray(0)
    c.setFont(FONT_BOLD, 10)
    c.drawString(right_x + 8, box_top - 14, box_title)
    _lines_at(c, box_body, right_x + 8, box_top - 30, 9, 12)
    pages.append([*left, *right, box_title, *box_body])
    columns["p2_left"], columns["p2_right"] = left, right
    c.showPage()

    # Page 3: one column, a ruled table with amounts, one more paragraph.
    footers.append(_furniture(c, 3, total))
    para1 = wrap(swedish_words(70, 4), PAGE_W - 2 * MARGIN, FONT, size)
    y = _lines_at(c, para1, MARGIN, PAGE_H - 100, size, lead)
    table = [
        ["Kommun", "Beviljat stöd", "Total budget"],
        ["Gävle", "12 000 kr", "5,3 MSEK"],
        ["Falun", "250 000 kr", "1,2 MSEK"],
        ["Borlänge", "80 500 kr", "0,9 MSEK"],
        ["Sandviken", "1 500 000 kr", "12,4 MSEK"],
    ]
    col_x = [MARGIN, MARGIN + 160, MARGIN + 320, MARGIN + 480]
    row_h = 18.0
    t_top = y - 10
    c.setLineWidth(0.6)
    for r, row in enumerate(table):
        row_top = t_top - r * row_h
        c.setFont(FONT_BOLD if r == 0 else FONT, size)
        for k, cell in enumerate(row):
            c.drawString(col_x[k] + 5, row_top - 13, cell)
    for r in range(len(table) + 1):
        c.line(col_x[0], t_top - r * row_h, col_x[-1], t_top - r * row_h)
    for x in col_x:
        c.line(x, t_top, x, t_top - len(table) * row_h)
    para2 = wrap(swedish_words(50, 9), PAGE_W - 2 * MARGIN, FONT, size)
    _lines_at(c, para2, MARGIN, t_top - len(table) * row_h - 24, size, lead)
    pages.append([*para1, *(" | ".join(row) for row in table), *para2])
    c.showPage()
    c.save()
    return Generated(
        path,
        pages,
        HEADER,
        footers,
        {"columns": columns, "box_title": box_title, "box_body": box_body, "table": table},
    )


# ---------------------------------------------------------------------------- typography


def typography_pdf(directory: Path, name: str = "typography.pdf") -> Generated:
    """Soft hyphens (a font drawing its hyphen as U+00AD, inside a word and at a line end),
    ligature glyphs, and the "fi " bug: a spurious space drawn inside the width of an "ﬁ"
    glyph, as some InDesign exports have."""
    register_fonts()
    path = Path(directory) / name
    c = canvas.Canvas(str(path), pagesize=A4)
    size = 11.0
    c.setFont(FONT, size)
    y = PAGE_H - 100
    c.drawString(MARGIN, y, "Skillnaderna i EU\u00adval syns när man jämför genomsnit\u00ad")
    c.drawString(MARGIN, y - 15, "tet med de flesta andra länder i Europa.")
    c.drawString(MARGIN, y - 30, "Den geogra\ufb01ska spridningen är stor och e\ufb00ekten tydlig.")
    # "I ﬁ lmens värld ﬁ ck": the space sits inside the ligature's advance width.
    x = MARGIN
    y4 = y - 45
    for piece in ["I ", "\ufb01", " ", "lmens värld ", "\ufb01", " ", "ck de en roll."]:
        width = pdfmetrics.stringWidth(piece, FONT, size)
        if piece == " ":
            c.drawString(x - width, y4, piece)  # overlaps the previous glyph: no visible gap
            continue
        c.drawString(x, y4, piece)
        x += width
    c.showPage()
    c.save()
    return Generated(
        path,
        [
            [
                "Skillnaderna i EU-val syns när man jämför genomsnit-",
                "tet med de flesta andra länder i Europa.",
                "Den geografiska spridningen är stor och effekten tydlig.",
                "I filmens värld fick de en roll.",
            ]
        ],
    )


# ---------------------------------------------------------------------------- sideways


def sideways_pdf(directory: Path, name: str = "sideways.pdf") -> Generated:
    """A portrait page whose text runs bottom to top (a landscape table page set sideways)."""
    register_fonts()
    path = Path(directory) / name
    c = canvas.Canvas(str(path), pagesize=A4)
    c.rotate(90)  # x now runs up the page, y to the left
    lines = wrap(swedish_words(90, 7), PAGE_H - 2 * MARGIN, FONT, 11)
    c.setFont(FONT_BOLD, 14)
    c.drawString(MARGIN, -MARGIN, "Tabell 4. Stöd per län")
    c.setFont(FONT, 11)
    for i, line in enumerate(lines):
        c.drawString(MARGIN, -MARGIN - 24 - 15 * i, line)
    c.showPage()
    c.save()
    return Generated(path, [["Tabell 4. Stöd per län", *lines]])


# ---------------------------------------------------------------------------- plain text


def text_pdf(
    path: Path,
    pages: list[list[str]],
    *,
    size: float = 11.0,
    bold_prefixes: tuple[str, ...] = ("Exempel",),
    header: str | None = None,
    wrap_width: float | None = None,
) -> Generated:
    """Render lines (one list per page) as a single-column PDF; lines starting with one of
    `bold_prefixes` are set bold. With `wrap_width`, long lines are wrapped first. Returns the
    lines as placed (after wrapping)."""
    register_fonts()
    path = Path(path)
    c = canvas.Canvas(str(path), pagesize=A4)
    placed: list[list[str]] = []
    footers: list[str] = []
    for number, lines in enumerate(pages, start=1):
        if header:
            footers.append(_furniture(c, number, len(pages)))
        y = PAGE_H - 90
        out: list[str] = []
        for line in lines:
            bold = line.startswith(bold_prefixes)
            font = FONT_BOLD if bold else FONT
            parts = wrap(line.split(), wrap_width, font, size) if wrap_width and line else [line]
            for part in parts:
                if y < 70:
                    break  # page full: the rest is not placed (and not returned)
                c.setFont(font, size)
                c.drawString(MARGIN, y, part)
                if part:
                    out.append(part)
                y -= size * 1.35
        placed.append(out)
        c.showPage()
    c.save()
    return Generated(path, placed, header, footers)


# ---------------------------------------------------------------------------- a scan


def scanned_pdf(
    directory: Path, name: str = "scanned.pdf", dpi: int = 300, rotate: int = 0
) -> Generated:
    """One page that is only an image of Swedish text (no text layer), like a scan; with
    `rotate` (90, 180, 270) the scan is placed turned that far clockwise (90 and 270 on a
    landscape page), as when a page went through the scanner sideways."""
    from PIL import Image, ImageDraw, ImageFont

    regular, _ = _font_files()
    scale = dpi / 72
    width_px, height_px = int(PAGE_W * scale), int(PAGE_H * scale)
    image = Image.new("L", (width_px, height_px), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(regular), int(11 * scale))
    register_fonts()
    lines = wrap(swedish_words(150, 6), PAGE_W - 2 * MARGIN, FONT, 11)
    y = 90 * scale
    for line in lines:
        draw.text((MARGIN * scale, y), line, font=font, fill=0)
        y += 16 * scale
    page_w, page_h = PAGE_W, PAGE_H
    if rotate:
        image = image.rotate(-rotate, expand=True)  # PIL turns counter-clockwise
        if rotate in (90, 270):
            page_w, page_h = PAGE_H, PAGE_W
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    buf.seek(0)
    path = Path(directory) / name
    c = canvas.Canvas(str(path), pagesize=(page_w, page_h))
    c.drawImage(ImageReader(buf), 0, 0, width=page_w, height=page_h)
    c.showPage()
    c.save()
    return Generated(path, [lines])


# ---------------------------------------------------------------------------- bad files


def encrypted_pdf(directory: Path, name: str = "encrypted.pdf") -> Path:
    register_fonts()
    path = Path(directory) / name
    c = canvas.Canvas(str(path), pagesize=A4, encrypt="secret")
    c.setFont(FONT, 11)
    c.drawString(MARGIN, PAGE_H - 100, "Hemlig rapport om regional utveckling i Västerbotten.")
    c.showPage()
    c.save()
    return path


def truncated_pdf(directory: Path, name: str = "truncated.pdf", keep: float = 0.6) -> Path:
    """A valid report PDF cut short (as by an interrupted download)."""
    source = report_pdf(directory, "full_for_truncation.pdf").path
    data = source.read_bytes()
    path = Path(directory) / name
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def zero_page_pdf(directory: Path, name: str = "zero_pages.pdf") -> Path:
    """A structurally valid PDF whose page tree is empty (/Kids [] /Count 0)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path = Path(directory) / name
    path.write_bytes(bytes(out))
    return path


def junk_pdf(directory: Path, name: str = "junk.pdf") -> Path:
    """Bytes that are not a PDF at all, named .pdf."""
    path = Path(directory) / name
    path.write_bytes(b"PK\x03\x04 this is a zip archive or something else\x00\xff\xfe" * 40)
    return path


def corrupt_pdf(directory: Path, name: str = "corrupt.pdf") -> Path:
    """A PDF header followed by garbage (and an end marker, so only parsing can tell)."""
    path = Path(directory) / name
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    return path


# ---------------------------------------------------------------------------- CER


def normalise(text: str) -> str:
    return " ".join(text.split())


def levenshtein(a: str, b: str) -> int:
    """Edit distance by Hyyrö's bit-parallel algorithm (fast enough for whole pages)."""
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if m == 0:
        return len(a)
    peq: dict[str, int] = {}
    for i, ch in enumerate(b):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    pv, mv, score = mask, 0, m
    for ch in a:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | ~(xh | pv)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = (ph << 1) | 1
        mh = mh << 1
        pv = (mh | ~(xv | ph)) & mask
        mv = ph & xv & mask
    return score


def cer(extracted: str, source: str) -> float:
    """Character error rate of `extracted` against `source`, whitespace-normalised."""
    ref = normalise(source)
    hyp = normalise(extracted)
    if not ref:
        return 0.0 if not hyp else 1.0
    return levenshtein(hyp, ref) / len(ref)
