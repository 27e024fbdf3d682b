"""casebook's spaCy components; importing this package registers their factories."""

from . import figures_dates, funds, lemmatizer, organisations, places, priorities, projects

__all__ = [
    "figures_dates",
    "funds",
    "lemmatizer",
    "organisations",
    "places",
    "priorities",
    "projects",
]
