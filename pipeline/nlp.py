"""Build the spaCy Language casebook uses from models/config.cfg (loaded once per process)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from .data import MODELS_DIR
from .errors import PatternError

CONFIG_PATH = MODELS_DIR / "config.cfg"
# Long sections are processed in chunks no larger than this, split at paragraph breaks.
MAX_CHUNK_CHARS = 100_000
# Distinct whitespace-separated chunks the tokenizer remembers (spaCy's default: 10,000).
# A batch of hundreds of reports meets far more; a cached chunk costs a few hundred bytes.
TOKENIZER_CACHE_CHUNKS = 200_000


@lru_cache(maxsize=2)
def load_nlp(config_path: Path = CONFIG_PATH):  # -> spacy.language.Language
    """The configured pipeline; spaCy is imported here so the CLI starts fast."""
    import spacy
    from spacy.util import load_config, load_model_from_config

    from . import components  # noqa: F401  (registers the factories)

    try:
        config = load_config(config_path)
    except (OSError, ValueError) as exc:
        raise PatternError(f"cannot load spaCy config: {exc}", path=str(config_path)) from None
    nlp = load_model_from_config(config, auto_fill=True)
    # The lookup lemmatizer's tables come from spacy-lookups-data at initialisation.
    nlp.initialize()
    nlp.max_length = max(nlp.max_length, MAX_CHUNK_CHARS * 2)
    _clear_tokenizer_cache(nlp.tokenizer)
    del spacy
    return nlp


def _clear_tokenizer_cache(tokenizer) -> None:  # tokenizer: spacy.tokenizer.Tokenizer
    """Empty the tokenizer's chunk cache and let it hold a whole batch's vocabulary.

    The components tokenize ~12,000 gazetteer forms while building their matchers. spaCy
    caches at most `max_cache_size` chunks (10,000 by default) and caches nothing once
    full, so those forms left no room for the text itself: tokenizing ran ~30x slower than
    a fresh tokenizer. Setting `rules` (to themselves) is the public way to flush the cache.
    """
    tokenizer.max_cache_size = TOKENIZER_CACHE_CHUNKS
    tokenizer.rules = tokenizer.rules


def pipeline_version() -> str:
    """Hash of the code and every rule file: changes whenever extraction could change."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted([*package.rglob("*.py"), *MODELS_DIR.rglob("*")]):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package.parent).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
