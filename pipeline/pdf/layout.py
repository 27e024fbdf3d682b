"""Shared layout analysis: positioned words → lines in reading order.

One implementation for every backend (and OCR), so reading order, tables, boxes and
headings do not depend on which library found the words. The steps per page:

1. clean words (ligatures, soft hyphens, (cid) glyphs) and drop overprinted duplicates;
2. claim table words: ruled tables from the backend, then ruling-free numeric tables;
3. claim box words: text inside drawn frames becomes a "box" atom;
4. order the remaining words and the atoms by recursive cuts: horizontal slabs (whitespace
   bands across the region), grouped while they share a column structure, and vertical
   gutters (a band no word crosses, with text on both sides over a common height);
5. build lines per block and mark headings.

Running headers/footers need the whole document: pipeline.pdf._split_furniture runs after all
pages.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import compress, count, pairwise
from operator import attrgetter

from .backends import RawPage, RawTable, Word
from .model import Line
from .textnorm import LIGATURE_CHARS, NEEDS_WORK_RE, clean_word

# Layout works on the backends' words directly (cleaned in place), avoiding a copy per word.
Tok = Word


@dataclass(eq=False)
class Group:
    """A box or a table: one atom in reading-order analysis, its own block in the output."""

    kind: str  # "box" | "table"
    x0: float
    top: float
    x1: float
    bottom: float
    toks: list[Tok] = field(default_factory=list)
    rows: list[list[list[Tok]]] = field(default_factory=list)  # tables: row → cell → toks
    size: float = 0.0  # groups never count as display type in gutter search


Item = Tok | Group

_TOP = attrgetter("top")
_X0 = attrgetter("x0")
_SIZE = attrgetter("size")
_X1 = attrgetter("x1")
_BOTTOM = attrgetter("bottom")
_TEXT = attrgetter("text")

HEADING_SIZE_RATIO = 1.15
DISPLAY_RATIO = 2.2
LINE_SPLIT_GAP = 6.0
EDGE_ZONE = 0.1  # top/bottom share of the page where running headers and footers sit
HEADING_MAX_WORDS = 12
# A bold run longer than this is a bold paragraph (a magazine lead), not a heading.
HEADING_MAX_BOLD_RUN = 3

_MARKER_RE = re.compile(r"^[\d*†‡,]+$")
_UNIT_RE = re.compile(r"(^|\d)(k?m|cm|mm)$")
_LETTER_RE = re.compile(r"[^\W\d_]")
_NUM_TOKEN_RE = re.compile(r"[-–−+±~(]?\d[\d.,:/%–-]*\)?%?$")
_NUM_SIGNS = frozenset("-–−+±~(")
_NUM_CELL_RE = re.compile(
    r"^[-–−+±~]?\(?[\d .,:/%–-]*\d[\d .,:/%–-]*\)?"
    r"(\s*(%|procent|kr|kronor|tkr|mkr|mnkr|msek|sek|mdkr|mdr|eur|euro|st|ggr|ha|km|ton))?\.?$",
    re.IGNORECASE,
)


@dataclass
class PageLayout:
    lines: list[Line]
    dropped: int  # undecodable glyphs dropped while cleaning
    body_size: float


# ---------------------------------------------------------------------------- entry point


def analyse_page(raw: RawPage) -> PageLayout:
    toks, dropped = _clean(raw)
    if not toks:
        return PageLayout([], dropped, 0.0)
    body = _body_size(toks)
    groups: list[Group] = []
    if raw.tables:
        toks = _claim_ruled_tables(raw, raw.tables, toks, groups)
    toks = _claim_text_tables(toks, body, groups)
    if raw.frames:
        toks = _claim_boxes(raw, toks, body, groups)
    items: list[Item] = [*toks, *groups]
    lines: list[tuple[Line, bool]] = []
    block = 0
    for leaf in _order(items, body, 0):
        if not groups:  # only words: the leaf is one run (_group_rows sorts it by top)
            lines.extend(_block_lines(leaf, block, "body", body, raw.height))
            block += 1
            continue
        leaf.sort(key=_TOP)
        run: list[Tok] = []
        for item in leaf:
            if isinstance(item, Group):
                if run:
                    lines.extend(_block_lines(run, block, "body", body, raw.height))
                    block += 1
                    run = []
                lines.extend(_group_lines(item, block, body))
                block += 1
            else:
                run.append(item)
        if run:
            lines.extend(_block_lines(run, block, "body", body, raw.height))
            block += 1
    return PageLayout(_mark_headings(lines, body), dropped, body)


# ---------------------------------------------------------------------------- words


def _clean(raw: RawPage) -> tuple[list[Tok], int]:
    words: list[Tok | None] = raw.words  # type: ignore[assignment]
    dropped = 0
    # One search over the page decides whether any word needs clean-up at all; if so, a
    # C-level pass finds those words (most pages have a few hyphens or ligatures).
    texts = list(map(_TEXT, words))
    search = NEEDS_WORK_RE.search
    if search(" ".join(texts)):
        words = list(words)
        for i in compress(count(), map(search, texts)):
            w = words[i]
            text, lost = clean_word(texts[i])
            dropped += lost
            words[i] = w._replace(text=text, glue=texts[i][-1] in LIGATURE_CHARS) if text else None
    toks: list[Tok] = []
    append = toks.append
    seen: set[tuple[str, int, int]] = set()
    add = seen.add
    for w in words:
        if w is None:
            continue
        text, x0, top, x1, bottom, _, _, _ = w
        key = (text, x0.__trunc__(), top.__trunc__())  # int(x), without the type call
        if key in seen:
            continue  # the same word printed twice (fake bold, shadow): keep one
        add(key)
        if x1 > x0 and bottom > top:
            append(w)
    return toks, dropped


def _body_size(toks: Sequence[Tok]) -> float:
    """The most common font size of words: the size of running text."""
    size = Counter([t.size for t in toks]).most_common(1)[0][0]
    return max(round(size, 1), 1.0)


# ---------------------------------------------------------------------------- tables


def _claim_ruled_tables(
    raw: RawPage, tables: list[RawTable], toks: list[Tok], out: list[Group]
) -> list[Tok]:
    """Words of plausible ruled tables become table atoms (rows of cells)."""
    for table in tables:
        if len(table.rows) < 2 or max(len(r) for r in table.rows) < 2:
            continue  # a single ruled cell or row is a frame, not a table
        x0, top, x1, bottom = table.bbox
        if x0 < -2 or top < -2 or x1 > raw.width + 2 or bottom > raw.height + 2:
            continue  # a grid of decoration running off the page
        inside: list[Tok] = []
        rest: list[Tok] = []
        for t in toks:
            cx, cy = (t.x0 + t.x1) / 2, (t.top + t.bottom) / 2
            (inside if x0 <= cx <= x1 and top <= cy <= bottom else rest).append(t)
        if not inside:
            continue
        rows: list[list[list[Tok]]] = []
        placed: set[int] = set()
        straddling = 0
        for row in table.rows:
            cells: list[list[Tok]] = []
            for cx0, ctop, cx1, cbottom in sorted(row):
                cell = [
                    t
                    for t in inside
                    if cx0 <= (t.x0 + t.x1) / 2 <= cx1 and ctop <= (t.top + t.bottom) / 2 <= cbottom
                ]
                straddling += sum(1 for t in cell if t.x0 < cx0 - 2 or t.x1 > cx1 + 2)
                placed.update(id(t) for t in cell)
                cells.append(cell)
            if any(cells):
                rows.append(cells)
        if len(rows) < 2 or straddling > 0.1 * len(placed):
            continue  # text runs across the rules: lines drawn over running text, not a table
        # Words in the table box but in no cell (captions inside the frame) stay body text.
        rest.extend(t for t in inside if id(t) not in placed)
        claimed = [t for r in rows for c in r for t in c]
        out.append(_group("table", claimed, rows))
        toks = rest
    return toks


def _split_cells(row: list[Tok], gap: float) -> list[list[Tok]]:
    cells: list[list[Tok]] = [[row[0]]]
    for prev, t in pairwise(row):
        if t.x0 - prev.x1 >= gap:
            cells.append([t])
        else:
            cells[-1].append(t)
    return cells


def _is_numeric(cell: list[Tok]) -> bool:
    return bool(_NUM_CELL_RE.match(" ".join(t.text for t in cell)))


def _claim_text_tables(toks: list[Tok], body: float, out: list[Group]) -> list[Tok]:
    """Ruling-free tables: runs of ≥2 rows with ≥3 cells of which ≥2 are numbers."""
    # (The first-character test, as \d is str.isdecimal, spares most words the regex call.)
    numbers = [
        t
        for t in toks
        if ((c := t.text[:1]).isdecimal() or c in _NUM_SIGNS) and _NUM_TOKEN_RE.match(t.text)
    ]
    if len(numbers) < 4:
        return toks  # cheap exit for prose pages
    gap = max(0.9 * body, 5.0)
    # Rows where numbers stand in ≥2 separate cells are candidates; only around them are
    # all words grouped into rows (grouping every word of a page costs more than it finds).
    bands: list[tuple[float, float]] = []
    for row in _group_rows(numbers):
        if len(_split_cells(row, gap)) >= 2:
            bands.append((_row_top(row) - 3 * body, _row_bottom(row) + 3 * body))
    if len(bands) < 2:
        return toks
    bands.sort()
    merged: list[list[float]] = []
    for b0, b1 in bands:
        if merged and b0 <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b1)
        else:
            merged.append([b0, b1])
    starts = [b[0] for b in merged]
    near = []
    for t in toks:
        k = bisect_right(starts, t.top) - 1
        if k >= 0 and t.bottom <= merged[k][1]:
            near.append(t)
    rows = _group_rows(near)
    info: list[tuple[list[list[Tok]], list[int]] | None] = []
    for row in rows:
        cells = _split_cells(row, gap)
        numeric = [i for i, c in enumerate(cells) if _is_numeric(c)]
        info.append((cells, numeric) if len(cells) >= 3 and len(numeric) >= 2 else None)
    claimed: set[int] = set()
    i = 0
    while i < len(rows):
        j = i
        while (
            j + 1 < len(rows)
            and info[j] is not None
            and info[j + 1] is not None
            and _row_top(rows[j + 1]) - _row_bottom(rows[j]) <= 1.5 * body
        ):
            j += 1
        if info[i] is None or j == i:
            i += 1
            continue
        table_rows: list[list[list[Tok]]] = []
        for k in range(i, j + 1):
            cells, numeric = info[k]  # type: ignore[misc]
            first = max(0, numeric[0] - 1)  # the label cell left of the first number
            table_rows.append(cells[first : numeric[-1] + 1])
        tx0 = min(c[0].x0 for r in table_rows for c in r)
        tx1 = max(c[-1].x1 for r in table_rows for c in r)
        if i > 0 and _row_top(rows[i]) - _row_bottom(rows[i - 1]) <= 1.5 * body:
            # A header row ("Kommun  Belopp  Andel") directly above, within the table width.
            head = [c for c in _split_cells(rows[i - 1], gap) if tx0 - 2 * body <= c[0].x0 <= tx1]
            if len(head) >= 2 and not any(id(t) in claimed for c in head for t in c):
                table_rows.insert(0, head)
        members = [t for r in table_rows for c in r for t in c]
        claimed.update(id(t) for t in members)
        out.append(_group("table", members, table_rows))
        i = j + 1
    if not claimed:
        return toks
    return [t for t in toks if id(t) not in claimed]


def _row_top(row: list[Tok]) -> float:
    return min(t.top for t in row)


def _row_bottom(row: list[Tok]) -> float:
    return max(t.bottom for t in row)


def _group(kind: str, toks: list[Tok], rows: list[list[list[Tok]]] | None = None) -> Group:
    return Group(
        kind,
        min(t.x0 for t in toks),
        min(t.top for t in toks),
        max(t.x1 for t in toks),
        max(t.bottom for t in toks),
        toks,
        rows or [],
    )


# ---------------------------------------------------------------------------- boxes


def _claim_boxes(raw: RawPage, toks: list[Tok], body: float, out: list[Group]) -> list[Tok]:
    page_area = raw.width * raw.height
    frames = [
        f
        for f in raw.frames
        if f[2] - f[0] >= 3 * body
        and f[3] - f[1] >= 1.5 * body
        and (f[2] - f[0]) * (f[3] - f[1]) <= 0.6 * page_area
    ]
    if not frames:
        return toks
    total = len(toks)
    # Words by vertical centre, so each frame only looks at the words in its height band.
    order = sorted(toks, key=lambda t: t.top + t.bottom)
    centres = [(t.top + t.bottom) / 2 for t in order]
    claimed: set[int] = set()
    # Outermost frames first: a shaded title bar inside a framed box belongs to the box.
    for x0, top, x1, bottom in sorted(frames, key=lambda f: (f[0] - f[2]) * (f[3] - f[1])):
        lo, hi = bisect_left(centres, top), bisect_right(centres, bottom)
        inside = [t for t in order[lo:hi] if x0 <= (t.x0 + t.x1) / 2 <= x1 and id(t) not in claimed]
        if len(inside) < 3 or len(inside) > 0.8 * total:
            continue  # a highlight behind one word, or a page border
        if _covered_by_image(x0, top, x1, bottom, raw.images):
            continue  # text over a picture (a caption, text wrapped round it): not a box
        crossing = sum(
            1
            for t in inside
            if t.x0 < x0 - 1 or t.x1 > x1 + 1 or t.top < top - 1 or t.bottom > bottom + 1
        )
        if crossing > 0.1 * len(inside):
            continue  # words run over the frame's edge: a rule or a background, not a box
        if max(t.bottom for t in inside) - min(t.top for t in inside) < 1.8 * body:
            continue  # a single shaded line (table header, button) is not a box
        out.append(_group("box", inside))
        claimed.update(id(t) for t in inside)
    if not claimed:
        return toks
    return [t for t in toks if id(t) not in claimed]


def _covered_by_image(
    x0: float, top: float, x1: float, bottom: float, images: list[tuple[float, float, float, float]]
) -> bool:
    area = (x1 - x0) * (bottom - top)
    for ix0, itop, ix1, ibottom in images:
        w = min(x1, ix1) - max(x0, ix0)
        h = min(bottom, ibottom) - max(top, itop)
        if w > 0 and h > 0 and w * h >= 0.8 * area:
            return True
    return False


# ---------------------------------------------------------------------------- reading order


def _order(items: list[Item], body: float, depth: int) -> list[list[Item]]:
    """Leaves (single-column runs of items) in reading order."""
    if len(items) < 2 or depth > 24:
        return [items]
    leaves: list[list[Item]] = []
    for group, cut in _slab_groups(items, body):
        if cut is None:
            leaves.append(group)
        else:
            leaves.extend(_order(cut[0], body, depth + 1))
            leaves.extend(_order(cut[1], body, depth + 1))
    return leaves


def _slab_groups(
    items: list[Item], body: float
) -> list[tuple[list[Item], tuple[list[Item], list[Item]] | None]]:
    """Cut at horizontal whitespace; merge consecutive slabs sharing a column structure.

    Slabs are merged when the union still has a gutter (column text continuing below a
    paragraph break) or when neither has one (single-column paragraphs); a full-width title
    or footnote between column runs therefore stays a group of its own, above or below.
    """
    ordered = sorted(items, key=_TOP)
    min_gap = 0.45 * body
    slabs: list[list[Item]] = [[ordered[0]]]
    bottom = ordered[0].bottom
    for it in ordered[1:]:
        if it.top - bottom >= min_gap:
            slabs.append([it])
        else:
            slabs[-1].append(it)
        if it.bottom > bottom:
            bottom = it.bottom
    groups: list[tuple[list[Item], tuple[list[Item], list[Item]] | None]] = []
    tol = max(0.45 * body, 3.0)
    cur = slabs[0]
    cur_cut, cur_spans = _cut(cur, body)
    merged_plain = False  # cur was built from several slabs without a gutter
    for slab in slabs[1:]:
        slab_cut, slab_spans = _cut(slab, body)
        if cur_cut is None and slab_cut is None:
            cur = cur + slab
            cur_spans = _merge_spans(cur_spans, slab_spans, tol)
            merged_plain = True
            continue
        union = cur + slab
        union_cut, union_spans = _cut(union, body)
        if union_cut is not None and not _all_in(cur, union_cut[1]):
            cur, cur_cut, cur_spans, merged_plain = union, union_cut, union_spans, False
            continue
        # (Text above the right-hand columns only, with nothing beside it on the left, is a
        # title or lead over those columns: read it first rather than after the left column.)
        if merged_plain:
            cur_cut = _plain_cut(cur, cur_spans, body)
        groups.append((cur, cur_cut))
        cur, cur_cut, cur_spans, merged_plain = slab, slab_cut, slab_spans, False
    if merged_plain:
        cur_cut = _plain_cut(cur, cur_spans, body)
    groups.append((cur, cur_cut))
    return groups


Spans = list[tuple[float, float]]


def _merge_spans(a: Spans | None, b: Spans | None, tol: float) -> Spans | None:
    """The x-spans of two item sets together: the same sweep as in _cut, over spans."""
    if a is None or b is None:
        return None
    merged = sorted(a + b)
    out = [merged[0]]
    for x0, x1 in merged[1:]:
        start, reach = out[-1]
        if x0 - reach >= tol:
            out.append((x0, x1))
        elif x1 > reach:
            out[-1] = (start, x1)
    return out


def _plain_cut(
    items: list[Item], spans: Spans | None, body: float
) -> tuple[list[Item], list[Item]] | None:
    """The cut of slabs merged without a gutter: none when their spans leave no gap."""
    if spans is not None and len(spans) == 1:
        return None
    return _cut(items, body)[0]


def _all_in(part: list[Item], side: list[Item]) -> bool:
    ids = {id(it) for it in side}
    return all(id(it) in ids for it in part)


def _rows(items: Sequence[Item], body: float) -> int:
    """Approximate number of text lines (boxes and tables count as several)."""
    n = 0
    last = -1e9
    step = 0.5 * body
    for top in sorted([it.top for it in items]):
        if top - last > step:
            n += 1
            last = top
    for it in items:
        if isinstance(it, Group):
            n += 2
    return n


def _extent(items: Sequence[Item]) -> tuple[float, float, float]:
    """Top, bottom and right edge of items (one plain loop: cheaper than three min/max)."""
    first = items[0]
    top, bottom, x1 = first.top, first.bottom, first.x1
    for it in items:
        if it.top < top:
            top = it.top
        if it.bottom > bottom:
            bottom = it.bottom
        if it.x1 > x1:
            x1 = it.x1
    return top, bottom, x1


def _cut(
    items: list[Item], body: float
) -> tuple[tuple[list[Item], list[Item]] | None, Spans | None]:
    """Split at the widest gutter: a band no item crosses, with real columns on both sides.

    Display type (more than DISPLAY_RATIO x body size: a "7 juni" over a picture, a drop
    cap) may straddle gutters; it does not block them and goes to the side of its centre.

    Also returns the items' x-spans: their extent split at every gap of gutter width (None
    when display type is present, since which items count then depends on the whole set), so
    that _slab_groups can tell whether merged slabs have any gap without a new sweep.
    """
    display = DISPLAY_RATIO * body
    extra = [it for it in items if it.size > display]
    has_display = bool(extra)
    if extra and len(items) - len(extra) >= 4:
        core = [it for it in items if it.size <= display]
    else:
        core, extra = items, []
    by_x = sorted(core, key=_X0)
    min_gutter = max(0.45 * body, 3.0)
    gaps: list[tuple[float, float]] = []
    reach = by_x[0].x1
    for it in by_x:
        if it.x0 - reach >= min_gutter:
            gaps.append((reach, it.x0))
        if it.x1 > reach:
            reach = it.x1
    spans: Spans | None = None
    if not has_display:
        starts = [by_x[0].x0, *(g[1] for g in gaps)]
        ends = [*(g[0] for g in gaps), reach]
        spans = list(zip(starts, ends, strict=True))
    if len(items) < 4 or not gaps:
        return None, spans
    for g0, g1 in sorted(gaps, key=lambda g: g[0] - g[1]):
        # Every item left of the gap comes before it in x order and every item right of it
        # after (all end left of g0, all start right of g1), so the sides are the slices
        # at the first item starting at g1; the rightmost end on the left is g0 itself.
        i = bisect_left(by_x, g1, key=_X0)
        lpart, rpart = by_x[:i], by_x[i:]
        ltop, lbot, _ = _extent(lpart)
        rtop, rbot, rx1 = _extent(rpart)
        lw = g0 - by_x[0].x0
        rw = rx1 - g1
        if lw < 2.5 * body or rw < 2.5 * body:
            continue  # bullets, list numbers, a lone number: not a column
        overlap = min(lbot, rbot) - max(ltop, rtop)
        if overlap < 0.3 * min(lbot - ltop, rbot - rtop):
            continue  # stacked, not side by side
        lrows, rrows = _rows(lpart, body), _rows(rpart, body)
        rows = min(lrows, rrows)
        if rows < 2 and not (max(lrows, rrows) >= 3 and g1 - g0 >= 1.5 * body):
            continue  # one line each side: a gap inside a line (except a margin note)
        if rows < 4 and g1 - g0 < 1.2 * body:
            continue  # a narrow aligned gap over a couple of lines is chance, not a gutter
        # The sides in the items' own order, which later stable sorts depend on.
        left = [it for it in core if it.x1 <= g0]
        right = [it for it in core if it.x0 >= g1]
        mid = (g0 + g1) / 2
        for it in extra:
            (left if it.x0 + it.x1 < 2 * mid else right).append(it)
        return (left, right), spans
    return None, spans


# ---------------------------------------------------------------------------- lines


def _group_rows(toks: list[Tok]) -> list[list[Tok]]:
    """Cluster words into rows by vertical overlap with the row's longest word.

    Words come sorted by top, so a word joins the last row, rarely the one before (a
    superscript or a taller word started a row early), or starts a new row.
    """
    toks.sort(key=_TOP)
    rows: list[list[Tok]] = []
    bands: list[list[float]] = []  # top, bottom, length of the reference word
    last: list[float] = [0.0, -1.0, 0.0]
    for t in toks:
        top, bottom = t.top, t.bottom
        h = bottom - top
        b0, b1 = last[0], last[1]
        overlap = (b1 if b1 < bottom else bottom) - (b0 if b0 > top else top)
        if rows and overlap >= 0.5 * (h if h < b1 - b0 else b1 - b0):
            rows[-1].append(t)
            if len(t.text) > last[2]:
                last[0], last[1], last[2] = top, bottom, len(t.text)
            continue
        if len(bands) > 1:
            band = bands[-2]
            b0, b1 = band[0], band[1]
            overlap = (b1 if b1 < bottom else bottom) - (b0 if b0 > top else top)
            if overlap >= 0.5 * (h if h < b1 - b0 else b1 - b0):
                rows[-2].append(t)
                if len(t.text) > band[2]:
                    band[0], band[1], band[2] = top, bottom, len(t.text)
                continue
        last = [top, bottom, len(t.text)]
        bands.append(last)
        rows.append([t])
    for row in rows:
        row.sort(key=_X0)
    return rows


def _join(toks: list[Tok]) -> tuple[str, list[Tok]]:
    """Line text from words sorted by x; footnote markers raised after a word are dropped."""
    first = toks[0]
    if len(toks) == 1:
        return first.text, toks
    main = first
    for t in toks:
        if len(t.text) > len(main.text):
            main = t
    marker_size, marker_bottom = 0.8 * main.size, main.bottom - 0.2 * main.size
    parts = [first.text]
    kept = [first]
    prev = first
    prev_end = first.x1
    for t in toks[1:]:
        if t.size <= marker_size and t.bottom < marker_bottom and _MARKER_RE.match(t.text):
            if t.text in ("2", "3") and _UNIT_RE.search(prev.text) and t.x0 - prev_end < 1:
                parts.append("²" if t.text == "2" else "³")  # km², m³: a unit, not a note
            # Otherwise a superscript note marker glued to a word ("45,9 år³"): not text.
            prev_end = t.x1
            continue
        gap = t.x0 - prev_end
        size = prev.size if prev.size > t.size else t.size
        if gap < 0.1 * size or (prev.glue and gap < 0.35 * size):
            parts.append(t.text)  # no visible space: one word split by font or ligature
        else:
            parts.append(" ")
            parts.append(t.text)
        prev = t
        prev_end = t.x1
        kept.append(t)
    return "".join(parts), kept


def _line(toks: list[Tok], block: int, kind: str, text: str | None = None) -> tuple[Line, bool]:
    """The line and whether it is (nearly) all bold, which heading detection needs."""
    if text is None:
        text, toks = _join(toks)
    first = toks[0]
    x0, top, x1, bottom, size = first.x0, first.top, first.x1, first.bottom, first.size
    total = len(first.text)
    bold_chars = total if first.bold else 0
    if len(toks) > 1:
        # One plain loop: on CPython 3.11 it beats several min(map(attrgetter)) passes.
        mixed = False
        total = bold_chars = 0
        for t in toks:
            if t.x0 < x0:
                x0 = t.x0
            if t.top < top:
                top = t.top
            if t.x1 > x1:
                x1 = t.x1
            if t.bottom > bottom:
                bottom = t.bottom
            n = len(t.text)
            total += n
            if t.bold:
                bold_chars += n
            if t.size != size:
                mixed = True
        if mixed:  # median size over characters
            sizes = sorted((t.size, len(t.text)) for t in toks)
            acc = 0
            size = sizes[-1][0]
            for s, n in sizes:
                acc += n
                if 2 * acc >= total:
                    size = s
                    break
    return _make_line(text, x0, top, x1, bottom, size, total, bold_chars, block, kind)


def _block_lines(
    toks: list[Tok], block: int, kind: str, body: float, height: float = 0.0
) -> list[tuple[Line, bool]]:
    out: list[tuple[Line, bool]] = []
    split = LINE_SPLIT_GAP * body
    top_zone, bottom_zone = EDGE_ZONE * height, (1 - EDGE_ZONE) * height
    for row in _group_rows(toks):
        if len(row) == 1:
            out.append(_line(row, block, kind, row[0].text))
            continue
        # A huge gap inside a row separates unrelated text (a margin header beside a heading,
        # a right-aligned date); near the page edges any wide gap does (header fields such as
        # "STATISTISKA CENTRALBYRÅN   Rapport 2(13)"), so furniture can be told apart.
        edge = row[0].bottom <= top_zone or row[0].top >= bottom_zone
        _row_lines(row, block, kind, body if edge else split, out)
    return out


def _row_lines(
    row: list[Tok], block: int, kind: str, split: float, out: list[tuple[Line, bool]]
) -> None:
    """The lines of one row of words (sorted by x) in one pass: split at gaps of `split`,
    words joined as _join does (same spacing and note-marker rules)."""
    main = row[0]
    size = main.size
    plain = size > 0
    for t in row:
        if len(t.text) > len(main.text):
            main = t
        if t.size != size or t.glue:
            plain = False
    if plain:
        _plain_row_lines(row, block, kind, split, out)
        return
    marker_size, marker_bottom = 0.8 * main.size, main.bottom - 0.2 * main.size
    parts: list[str] = []
    kept: list[Tok] = []
    prev: Tok | None = None
    prev_end = 0.0
    for t in row:
        if prev is not None:
            gap = t.x0 - prev_end
            if gap >= split:
                out.append(_line(kept, block, kind, "".join(parts)))
                parts, kept, prev = [], [], None
        if prev is None:
            parts.append(t.text)
            kept.append(t)
            prev, prev_end = t, t.x1
            continue
        if t.size <= marker_size and t.bottom < marker_bottom and _MARKER_RE.match(t.text):
            if t.text in ("2", "3") and _UNIT_RE.search(prev.text) and gap < 1:
                parts.append("²" if t.text == "2" else "³")  # km², m³: a unit, not a note
            prev_end = t.x1  # otherwise a note marker glued to a word ("45,9 år³"): dropped
            continue
        size = prev.size if prev.size > t.size else t.size
        if gap < 0.1 * size or (prev.glue and gap < 0.35 * size):
            parts.append(t.text)  # no visible space: one word split by font or ligature
        else:
            parts.append(" ")
            parts.append(t.text)
        kept.append(t)
        prev, prev_end = t, t.x1
    if kept:
        out.append(_line(kept, block, kind, "".join(parts)))


def _plain_row_lines(
    row: list[Tok], block: int, kind: str, split: float, out: list[tuple[Line, bool]]
) -> None:
    """_row_lines for the usual row: one font size (so no word is a raised note marker) and
    no ligature glue. Words are joined and the line's box and bold share gathered in the same
    loop, which _line would otherwise repeat."""
    first = row[0]
    size = first.size
    tight = 0.1 * size
    parts = [first.text]
    x0, top, x1, bottom = first.x0, first.top, first.x1, first.bottom
    total = len(first.text)
    bold_chars = total if first.bold else 0
    prev_end = x1
    for i in range(1, len(row)):
        t = row[i]
        gap = t.x0 - prev_end
        if gap >= split:
            out.append(_make_line("".join(parts), x0, top, x1, bottom, size, total, bold_chars,
                                  block, kind))  # fmt: skip
            parts = [t.text]
            x0, top, x1, bottom = t.x0, t.top, t.x1, t.bottom
            total = len(t.text)
            bold_chars = total if t.bold else 0
            prev_end = x1
            continue
        if gap >= tight:
            parts.append(" ")
        parts.append(t.text)  # no visible space: one word split by font or ligature
        if t.top < top:
            top = t.top
        if t.x1 > x1:
            x1 = t.x1
        if t.bottom > bottom:
            bottom = t.bottom
        n = len(t.text)
        total += n
        if t.bold:
            bold_chars += n
        prev_end = t.x1
    out.append(_make_line("".join(parts), x0, top, x1, bottom, size, total, bold_chars, block,
                          kind))  # fmt: skip


def _make_line(
    text: str,
    x0: float,
    top: float,
    x1: float,
    bottom: float,
    size: float,
    total: int,
    bold_chars: int,
    block: int,
    kind: str,
) -> tuple[Line, bool]:
    line = Line(
        text,
        round(x0, 2),
        round(top, 2),
        round(x1, 2),
        round(bottom, 2),
        round(size, 2),
        bold_chars * 2 > total,
        block,
        kind,
    )
    return line, bold_chars >= 0.9 * total


def _group_lines(group: Group, block: int, body: float) -> list[tuple[Line, bool]]:
    if group.kind == "table":
        out: list[tuple[Line, bool]] = []
        for row in group.rows:
            cells = []
            for cell in row:
                cells.append(" ".join(_join(r)[0] for r in _group_rows(list(cell))) if cell else "")
            while cells and not cells[-1]:
                cells.pop()
            members = [t for c in row for t in c]
            if members:
                out.append(_line(members, block, "table", " | ".join(cells)))
        return out
    lines: list[tuple[Line, bool]] = []
    for leaf in _order(list(group.toks), body, 0):
        lines.extend(_block_lines([t for t in leaf if isinstance(t, Tok)], block, "box", body))
    return lines


def _mark_headings(lines: list[tuple[Line, bool]], body: float) -> list[Line]:
    """Kind "heading": notably larger than body text, or a short all-bold line.

    A run of more than HEADING_MAX_BOLD_RUN bold lines is a bold paragraph (a magazine lead),
    and a line that is only partly bold starts with a run-in head ("I DE FLESTA EU-LÄNDER har
    andelen …"): neither is a heading.
    """
    out: list[Line] = []
    n = len(lines)
    i = 0
    while i < n:
        line, all_bold = lines[i]
        j = i
        if all_bold and line.kind != "table":
            while j + 1 < n and lines[j + 1][1] and lines[j + 1][0].block == line.block:
                j += 1
        run_ok = j - i + 1 <= HEADING_MAX_BOLD_RUN
        for k in range(i, j + 1):
            cur, cur_bold = lines[k]
            if cur.kind != "table":
                big = cur.size >= HEADING_SIZE_RATIO * body
                short_bold = cur_bold and run_ok and len(cur.text.split()) < HEADING_MAX_WORDS
                if (big or short_bold) and _LETTER_RE.search(cur.text):
                    cur = Line(
                        cur.text, cur.x0, cur.top, cur.x1, cur.bottom, cur.size, cur.bold,
                        cur.block, "heading",
                    )  # fmt: skip
            out.append(cur)
        i = j + 1
    return out
