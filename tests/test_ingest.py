"""Ingest: decoding, cleaning, hyphenation, page table, bad files."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import IngestError
from pipeline.ingest import ingest_file, ingest_text
from pipeline.textclean import SourceLine, clean_line, join_lines


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


TEXT = (
    "Exempel 1: Stöd i Malmö\n\n"
    "Malmö stad har fått stöd från regionalfonden för utveck-\nlingen av hamnen."
)


@pytest.mark.parametrize(
    ("encoded", "warned"),
    [
        (TEXT.encode("utf-8"), False),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), False),
        (TEXT.encode("cp1252"), True),
        (TEXT.encode("utf-16"), True),
    ],
    ids=["utf8", "utf8-bom", "cp1252", "utf16-bom"],
)
def test_text_encodings_decode_to_the_same_clean_text(tmp_path, encoded, warned):
    document = ingest_file(write(tmp_path, "rapport.txt", encoded))
    assert document.text.startswith("Exempel 1: Stöd i Malmö")
    assert "utvecklingen\nav hamnen." in document.text
    assert "\ufeff" not in document.text
    assert bool(document.warnings) is warned


def test_latin1_bytes_outside_cp1252_still_decode(tmp_path):
    # 0x81 is undefined in cp1252, so only latin-1 can decode this file.
    document = ingest_file(write(tmp_path, "x.txt", "Växjö \x81".encode("latin-1")))
    assert document.text.startswith("Växjö")
    assert any("latin-1" in warning for warning in document.warnings)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("utveck-\nling av regionen", "utveckling\nav regionen"),
        ("test- och demonstrationsarena", "test- och demonstrationsarena"),
        (
            "stärka staden som test-\noch demonstrationsarena",
            "stärka staden som test-\noch demonstrationsarena",
        ),
        ("kompetens-\noch företagsutveckling", "kompetens-\noch företagsutveckling"),
        ("små IKT-\nföretag i regionen", "små IKT-företag\ni regionen"),
        ("IKT-sektorn växer", "IKT-sektorn växer"),
        ("regional-\nfondsprojekt.", "regionalfondsprojekt."),
        ("mot 2020-\ntalet", "mot 2020-talet"),
        ("Malmö-\nLund", "Malmö-\nLund"),
        ("inget bindestreck\nhär", "inget bindestreck\nhär"),
        ("arbets-\n\nmarknaden", "arbets-\n\nmarknaden"),
    ],
)
def test_line_end_hyphens(raw, clean):
    assert ingest_text(raw).text == clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("ﬁnansiering", "finansiering"),
        ("e\u0301", "é"),  # NFC
        ("upp\u00adbyggnad", "uppbyggnad"),
        ("ﬂöde ﬀ", "flöde ff"),
        ("slut  \t", "slut"),
        ("a\x00b", "ab"),
    ],
)
def test_clean_line(raw, clean):
    assert clean_line(raw) == clean


def test_page_table_maps_every_character_to_its_page():
    lines = [
        SourceLine("Första sidan slutar med utveck-", 1),
        SourceLine("lingen av", 2),
        SourceLine("regionen.", 2),
        SourceLine("Tredje sidan.", 3),
    ]
    text, pages, _ = join_lines(lines)
    assert text == "Första sidan slutar med utvecklingen\nav\nregionen.\nTredje sidan."
    assert [page.number for page in pages] == [1, 2, 3]
    assert pages[0].start == 0 and pages[-1].end == len(text)
    for left, right in itertools.pairwise(pages):
        assert left.end == right.start
    # The re-joined word stays on the page where it starts.
    assert text[pages[0].start : pages[0].end].startswith("Första sidan slutar med utvecklingen")


def test_form_feed_starts_a_new_page():
    document = ingest_text("Sida ett.\fSida två.\fSida tre.")
    assert document.page_at(document.text.index("två")) == 2
    assert document.page_at(document.text.index("tre")) == 3
    assert document.page_count == 3


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tom.txt", b"", "empty"),
        ("blank.txt", b"   \n\n  \t\n", "empty"),
        ("binar.txt", bytes(range(256)) * 20, "binary"),
        ("nul.txt", b"\x00" * 500 + b"text", "binary"),
        ("rapport.docx", b"PK\x03\x04", "unsupported"),
        ("skrap.pdf", b"this is not a pdf at all", "not a PDF"),
    ],
)
def test_bad_files_raise_ingest_error_naming_the_file(tmp_path, name, data, message):
    path = write(tmp_path, name, data)
    with pytest.raises(IngestError) as caught:
        ingest_file(path)
    assert str(path) in str(caught.value)
    assert message.lower() in str(caught.value).lower()


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(IngestError, match="not found"):
        ingest_file(tmp_path / "saknas.txt")
    folder = tmp_path / "mapp.txt"
    folder.mkdir()
    with pytest.raises(IngestError, match="directory"):
        ingest_file(folder)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_cleaning_never_raises_and_pages_cover_the_text(text):
    try:
        document = ingest_text(text)
    except IngestError:
        return
    assert document.pages[0].start == 0
    assert document.pages[-1].end == len(document.text)
    assert "\u00ad" not in document.text


def test_word_hyphenated_across_a_column_break_is_rejoined(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    left = [
        "Under året har regionen genomfört flera",
        "insatser för företag på landsbygden och",
        "effekterna av stödet började till slut",
        "bli synliga för alla och kunde uppen-",
    ]
    right = [
        "baras i den årliga uppföljningen av",
        "programmet där kommunerna deltog och",
        "resultaten redovisades för nämnden i",
        "samband med budgetarbetet i höstas.",
    ]
    path = tmp_path / "spalter.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("Helvetica", 10)
    # Tall columns, so the gutter is unmistakable; the left one ends in "uppen-" once.
    left = left[:3] * 6 + left[3:]
    right = right[:1] + right[1:] * 6
    for column, lines in ((60, left), (320, right)):
        y = 760
        for line in lines:
            canvas.drawString(column, y, line)
            y -= 14
    canvas.showPage()
    canvas.save()
    text = ingest_file(path).text
    assert "uppenbaras" in text
    assert "uppen-" not in text
