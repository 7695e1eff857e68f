"""Words to index terms: Snowball stems (Finnish and English) with Finnish endings evened out.

Snowball's Finnish stemmer leaves the consonant gradation of -us/-uksen and -nen/-sen nouns
apart ("ohjaus" -> ohjaus, "ohjauksen" -> ohjauks, "ohjausta" -> ohjau); dropping those
endings after the stem gives every inflected form one term. Compounds are matched at query
time by prefix ("ohjauspalvelut" starts with "ohjau") and, against the index's vocabulary, by
substring (see ``service.search.index``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import Stemmer

WORD = re.compile(r"\w+", re.UNICODE)
_VOWELS = "aeiouyäöå"
# Language tags whose text is stemmed as Finnish or as English; other text gets both.
FINNISH = "fi"
ENGLISH = "en"


@dataclass(frozen=True)
class Token:
    """One word of a text: where it is and the terms it is indexed under."""

    start: int
    end: int
    terms: tuple[str, ...]


class _Stemmers(threading.local):
    """PyStemmer objects are not thread-safe: one pair per thread."""

    def __init__(self) -> None:
        self.fi = Stemmer.Stemmer("finnish")
        self.en = Stemmer.Stemmer("english")


_STEMMERS = _Stemmers()


def _even_finnish(stem: str) -> str:
    """Drop the endings where Snowball leaves inflected forms of one word apart."""
    if len(stem) > 4 and stem.endswith("ks") and stem[-3] in _VOWELS:
        return stem[:-2]
    if len(stem) > 4 and stem[-1] in "sn" and stem[-2] in _VOWELS:
        return stem[:-1]
    return stem


def finnish_term(word: str) -> str:
    """The Finnish index term of one casefolded word."""
    return _even_finnish(_STEMMERS.fi.stemWord(word))


def english_term(word: str) -> str:
    """The English index term of one casefolded word."""
    return _STEMMERS.en.stemWord(word)


def language_family(lang: str | None) -> str | None:
    """``fi`` or ``en`` for a language tag such as ``fi`` or ``en-GB``; None otherwise."""
    base = (lang or "").split("-")[0].lower()
    return base if base in (FINNISH, ENGLISH) else None


def terms_of_word(word: str, lang: str | None) -> tuple[str, ...]:
    """The index terms of one word in a text of language ``lang``."""
    word = word.casefold()
    family = language_family(lang)
    if family == FINNISH:
        return (finnish_term(word),)
    if family == ENGLISH:
        return (english_term(word),)
    return tuple(dict.fromkeys((finnish_term(word), english_term(word))))


def tokens(text: str, lang: str | None) -> Iterator[Token]:
    """The words of ``text`` with their positions and terms."""
    for match in WORD.finditer(text):
        yield Token(match.start(), match.end(), terms_of_word(match.group(), lang))


def index_terms(text: str, lang: str | None) -> str:
    """The text as a space-separated string of terms, for the FTS5 table."""
    return " ".join(term for token in tokens(text, lang) for term in token.terms)


def query_prefix(term: str) -> str:
    """The prefix a query term matches index terms by: without its final vowels, which
    Snowball keeps in some forms and drops in others ("strategia" -> strateg, "strategiaa"
    -> strategia), unless that leaves fewer than four letters."""
    short = term.rstrip(_VOWELS)
    return short if len(short) >= 4 else term


def query_words(text: str) -> list[str]:
    """The casefolded words of a search query."""
    return [m.group().casefold() for m in WORD.finditer(text)]
