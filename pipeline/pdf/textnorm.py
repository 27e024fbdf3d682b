"""Character-level clean-up shared by every backend (and OCR).

Kept free of PDF-library imports so the layout code and the tests can use it cheaply.
"""

from __future__ import annotations

import re
import unicodedata

from ..textclean import LIGATURES, SOFT_HYPHEN

LIGATURE_CHARS = frozenset(LIGATURES)
# PDFium marks a hyphen it recognised at a line end with U+FFFE; U+2010/U+2011 are hyphens too,
# and so is a drawn soft hyphen (see clean_word).
_HYPHEN_LIKE = {SOFT_HYPHEN: "-", "\ufffe": "-", "\u2010": "-", "\u2011": "-"}

_CID_RE = re.compile(r"\(cid:\d+\)")
# Adobe fonts put old-style figures and small capitals in the private use area (U+F730-F739
# "zero.oldstyle"…, U+F761-F77A "Asmall"…): they are digits and letters, not junk.
_ADOBE_PUA = {0xF730 + i: str(i) for i in range(10)} | {
    0xF761 + i: chr(ord("a") + i) for i in range(26)
}
_ADOBE_PUA_RE = re.compile(r"[\uf730-\uf739\uf761-\uf77a]")
# Characters clean_word changes (plus combining marks, which NFC may compose); dashes, quotes
# and bullets need nothing, so most words skip clean-up entirely.
NEEDS_WORK_RE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u00ad\u0300-\u036f\u200b-\u200d\u2010\u2011\ue000-\uf8ff"
    r"\ufb00-\ufb06\ufeff\ufffd\ufffe]|\(cid:"
)
# Control characters, private-use glyphs (dingbat bullets) and U+FFFD carry no text.
_JUNK_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd\ufeff\u200b-\u200d]")

# Standard Macintosh glyph order (TrueType 'post' format 1). Fonts embedded without a
# Unicode map by old Distiller versions expose glyph ids as character codes ("Caesar-shifted"
# text: "*|UDQ" for "Göran"); ids 3-97 are ASCII 32-126, the rest follow this table.
_MAC_HIGH = (
    "ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø¿¡¬√ƒ≈∆«»… "
    "ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄¤‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\uf8ffÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇŁłŠšŽž¦ÐðÝýÞþ−×¹²³½¼¾₣ĞğİŞşĆćČčđ"
)
assert len(_MAC_HIGH) == 160, len(_MAC_HIGH)


def mac_glyph_char(code: int) -> str:
    """The character of glyph id `code` in the standard Macintosh order ('' if none)."""
    if 3 <= code <= 97:
        return chr(code + 29)
    if 98 <= code <= 257:
        return _MAC_HIGH[code - 98]  # index 172 (no-break space) is a plain space here
    return ""


def decode_glyph_ids(codes: str) -> str:
    """Decode a string whose code points are glyph ids (see mac_glyph_char)."""
    return "".join(mac_glyph_char(ord(ch)) for ch in codes)


def decode_cid_text(text: str) -> str:
    """Like decode_glyph_ids for pdfminer output, where low ids appear as "(cid:NN)"."""
    out: list[str] = []
    pos = 0
    for m in _CID_RE.finditer(text):
        out.append(decode_glyph_ids(text[pos : m.start()]))
        out.append(mac_glyph_char(int(m.group()[5:-1])))
        pos = m.end()
    out.append(decode_glyph_ids(text[pos:]))
    return "".join(out)


def letter_score(text: str) -> float:
    """Share of lower-case letters and spaces: prose scores high, Caesar-shifted text low."""
    if not text:
        return 0.0
    good = sum(1 for ch in text if ch.islower() or ch == " ")
    return good / len(text)


def clean_word(text: str) -> tuple[str, int]:
    """Normalise one extracted word; returns (text, number of undecodable glyphs dropped).

    A soft hyphen in a PDF's text is a glyph that was drawn, so it was visible: at a line end
    it is the hyphenation the layout program made ("genomsnit\u00ad" → "genomsnit-", which
    the ingest stage joins), inside a word a font that maps its hyphen to U+00AD
    ("EU\u00adval" → "EU-val", as PDFium reads it too). Either way it becomes "-".
    """
    if not NEEDS_WORK_RE.search(text):
        return text, 0  # fast path: plain ASCII / Latin-1 needs nothing
    dropped = 0
    if "(cid:" in text:
        text, dropped = _CID_RE.subn("", text)
    for src, dst in _HYPHEN_LIKE.items():
        if src in text:
            text = text.replace(src, dst)
    for lig, expanded in LIGATURES.items():
        if lig in text:
            text = text.replace(lig, expanded)
    if _ADOBE_PUA_RE.search(text):
        text = text.translate(_ADOBE_PUA)
    if _JUNK_RE.search(text):
        dropped += sum(1 for ch in text if ch == "\ufffd")
        text = _JUNK_RE.sub("", text)
    return unicodedata.normalize("NFC", text), dropped
