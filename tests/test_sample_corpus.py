"""The users' own sample document: records equal its gold file."""

from __future__ import annotations

from pipeline.evaluate import figure_key, normalise_name, normalise_title


def test_five_records_matching_gold(sample_records, sample_gold):
    assert len(sample_records) == 5
    for record, gold in zip(sample_records, sample_gold["sections"], strict=True):
        assert record.case_number == gold["number"]
        assert normalise_title(record.title) == normalise_title(gold["title"])
        assert [c.name for c in record.cities] == gold["cities"]
        assert sorted(f.code for f in record.funds) == sorted(gold["funds"])
        assert sorted(figure_key(f.value, f.unit) for f in record.figures) == sorted(
            figure_key(g["value"], g["unit"]) for g in gold["figures"]
        )
        assert sorted(d.value for d in record.dates) == sorted(gold["dates"])


def test_sample_regions_organisations_projects(sample_records, sample_gold):
    for record, gold in zip(sample_records, sample_gold["sections"], strict=True):
        for field in ("regions", "organisations", "projects"):
            if field not in gold:
                continue
            got = {normalise_name(item.name) for item in getattr(record, field)}
            assert got == {normalise_name(v) for v in gold[field]}, (record.case_number, field)


def test_sample_figure_details(sample_records):
    figures = {f.text: f for record in sample_records for f in record.figures}
    tonnes = next(f for text, f in figures.items() if "4 000" in text)
    assert (tonnes.kind, tonnes.value, tonnes.unit, tonnes.per, tonnes.approximate) == (
        "quantity",
        4000,
        "ton",
        "år",
        True,
    )
    five = next(f for text, f in figures.items() if "fem procent" in text)
    assert (five.kind, five.value, five.unit, five.bound) == ("percent", 5, "percent", "at_least")
