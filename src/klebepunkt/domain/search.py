"""Full-text search over short German texts, the same on every database.

A text and a query are normalised and stemmed as for the clustering help
(``similarity.stems``: casefold, umlauts spelt out, common words dropped,
Snowball German stems). A query matches a text when every query stem is found
in one of the text's stems

- as a part of it, so that inflection and compounds meet: "Pflegekonferenzen"
  (stem ``pflegekonferenz``) finds "Regionale Pflegekonferenz", and "Konferenz"
  finds "Pflegekonferenz";
- or, for a query word of five letters or more, as a part with one typo (two
  from ten letters on): "Pflegekonfernz" finds "Pflegekonferenz".

Matching is linear in the length of the texts; an archive of a few thousand
topic store entries is searched in milliseconds.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from klebepunkt.domain.evaluation import TopicStoreEntry
from klebepunkt.domain.similarity import STOPWORDS, normalise_german, stems

Item = TypeVar("Item")

SHORT_TERM = 3
MIN_FUZZY_LENGTH = 5
TWO_TYPOS_LENGTH = 10


def query_terms(query: str) -> tuple[str, ...]:
    """The stems a query looks for (its plain words when it has only common words)."""
    terms = stems(query)
    if not terms:
        terms = tuple(normalise_german(query).split())
    return tuple(dict.fromkeys(term for term in terms if term))


def allowed_typos(term: str) -> int:
    if len(term) >= TWO_TYPOS_LENGTH:
        return 2
    if len(term) >= MIN_FUZZY_LENGTH:
        return 1
    return 0


def within_typos(term: str, word: str, typos: int) -> bool:
    """Whether ``term`` occurs in ``word`` with at most ``typos`` edits (Sellers' algorithm:
    the edit distance of ``term`` to the best-matching part of ``word``)."""
    if typos == 0:
        return term in word
    previous = [0] * (len(word) + 1)  # a match may start anywhere in the word
    for i, char in enumerate(term, start=1):
        current = [i] + [0] * len(word)
        for j, other in enumerate(word, start=1):
            current[j] = min(
                previous[j - 1] + (char != other),
                previous[j] + 1,
                current[j - 1] + 1,
            )
        if min(current) > typos:
            return False
        previous = current
    return min(previous) <= typos


def term_in_stem(term: str, stem: str) -> bool:
    """Whether a query term of four letters or more is found in a text's stem."""
    if term in stem:
        return True
    typos = allowed_typos(term)
    return typos > 0 and len(stem) >= len(term) - typos and within_typos(term, stem, typos)


def short_term_in_word(term: str, word: str) -> bool:
    """A term of three letters or fewer must begin or end a word: "Rat" finds "Stadtrat"
    and "Ratsbeschluss" but not "Beratung"."""
    return word.startswith(term) or word.endswith(term)


@dataclass(frozen=True, slots=True)
class _Document:
    stems: frozenset[str]
    words: frozenset[str]


@functools.lru_cache(maxsize=50_000)
def _document(texts: tuple[str, ...]) -> _Document:
    """The words and stems of a document's texts (kept: the same entries are searched again)."""
    words = frozenset(
        word for text in texts for word in normalise_german(text).split() if word not in STOPWORDS
    )
    return _Document(frozenset(stems(" ".join(texts))), words)


Key = TypeVar("Key", bound=Hashable)


class SearchIndex(Generic[Key]):
    """Documents (each a few texts) under the caller's keys, searched by :func:`query_terms`.

    Each distinct stem is compared with a query term once, however many documents
    share it, so a search costs the size of the vocabulary, not of the archive.
    """

    def __init__(self) -> None:
        self._documents: dict[Key, _Document] = {}
        self._stems: set[str] = set()
        self._words: set[str] = set()

    def add(self, key: Key, *texts: str) -> None:
        document = _document(texts)
        self._documents[key] = document
        self._stems |= document.stems
        self._words |= document.words

    def __len__(self) -> int:
        return len(self._documents)

    def find(self, query: str) -> list[Key]:
        """The keys of the documents that hold every term of the query, in the order added."""
        terms = query_terms(query)
        if not terms:
            return list(self._documents)
        tests: list[tuple[bool, frozenset[str]]] = []  # (on the words?, what matches)
        for term in terms:
            if len(term) <= SHORT_TERM:
                found = frozenset(w for w in self._words if short_term_in_word(term, w))
                tests.append((True, found))
            else:
                tests.append((False, frozenset(s for s in self._stems if term_in_stem(term, s))))
        return [
            key
            for key, document in self._documents.items()
            if all(
                (document.words if on_words else document.stems) & found
                for on_words, found in tests
            )
        ]


def matches(query: str, *texts: str) -> bool:
    """Whether a query finds these texts (one document)."""
    index: SearchIndex[int] = SearchIndex()
    index.add(0, *texts)
    return bool(index.find(query))


def topic_store_texts(entry: TopicStoreEntry) -> tuple[str, ...]:
    """What a topic store search looks in: the recommendation, its indicator, its
    responsible body and its goal."""
    return (
        entry.text,
        entry.card.indicator,
        entry.card.responsible,
        entry.goal.text if entry.goal else "",
    )


def search_topic_store(
    items: Sequence[Item], query: str, entry_of: Callable[[Item], TopicStoreEntry]
) -> list[Item]:
    """The items whose topic store entry the query finds, in their order; all for no query.

    The one topic store search of the application (the result page and the archive)."""
    if not query.strip():
        return list(items)
    index: SearchIndex[int] = SearchIndex()
    for position, item in enumerate(items):
        index.add(position, *topic_store_texts(entry_of(item)))
    return [items[position] for position in index.find(query)]
