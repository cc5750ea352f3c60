"""Clustering help: near-duplicate cards and a suggested goal for a card, from texts.

Suggestions only: the facilitator decides. German text is normalised (casefold,
ä → ae, ö → oe, ü → ue, ß → ss, accents and punctuation dropped), common words
are dropped, and the words are stemmed with the Snowball German stemmer, so that
"unterstützt" / "unterstützen" and "Pflegeheimen" / "Pflegeheim" meet. Each text
becomes a TF-IDF vector of its stems and of their character trigrams (the
trigrams catch typos such as "Pflegekonfernz"), and texts are compared by cosine.

Near duplicates are found without comparing every pair by hand. A small tally
indexes each text only by its rarer features (prefix filtering, Bayardo et al.
2007), exact for the threshold asked. From ``MATRIX_FROM`` texts on, when texts
share many words and the filter lets most pairs through, the cosines of all pairs
come from one sparse matrix product (SciPy) in blocks of rows; the pairs it finds
are scored again the same way as the small path, so both give the same pairs
with the same scores.
"""

from __future__ import annotations

import bisect
import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import snowballstemmer

from klebepunkt.domain.model import Card, Goal, Tally

DUPLICATE_THRESHOLD = 0.75  # cosine at which two cards count as near duplicates
SUGGESTION_THRESHOLD = 0.25  # cosine at which a goal is worth suggesting for a card
SUGGESTION_LIMIT = 3
MATRIX_FROM = 300  # texts from which the near-duplicate search uses the sparse matrix product
MATRIX_CELLS = 4_000_000  # at most this many pair cosines at once (rows of a block × texts)

_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_WORD = re.compile(r"[a-z0-9]+")

# Common German words, normalised; they say nothing about what a card is about.
# fmt: off
STOPWORDS = frozenset(
    {
        "aber", "alle", "allem", "allen", "aller", "alles", "als", "am", "an", "auch", "auf", "aus",
        "bei", "beim", "bis", "bzw", "da", "damit", "dass", "das", "dem", "den", "der", "des",
        "die", "dies", "diese", "diesem", "diesen", "dieser", "dieses", "doch", "durch", "ein",
        "eine", "einem", "einen", "einer", "eines", "es", "etc", "fuer", "gibt", "hat", "haben",
        "im", "in", "ist", "ja", "kann", "koennen", "man", "mit", "muss", "muessen", "nach", "noch",
        "nur", "oder", "ob", "ohne", "sich", "sie", "sind", "so", "soll", "sollen", "sowie",
        "ueber", "um", "und", "uns", "unter", "usw", "vom", "von", "vor", "wie", "wird", "werden",
        "wo", "z", "b", "zu", "zum", "zur", "zw",
    }
)
# fmt: on

Vector = dict[str, float]


def normalise_german(text: str) -> str:
    """Lower case, umlauts spelt out, accents and punctuation dropped, single spaces."""
    text = text.casefold().translate(_TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(_WORD.findall(text))


class _Stemmer(threading.local):
    """One Snowball stemmer per thread (a stemmer object keeps state while it works),
    with the stems it has made: card texts repeat their words."""

    def __init__(self) -> None:
        self.german = snowballstemmer.stemmer("german")
        self.known: dict[str, str] = {}

    def stem(self, word: str) -> str:
        stem = self.known.get(word)
        if stem is None:
            stem = str(self.german.stemWord(word))
            if len(self.known) < 100_000:
                self.known[word] = stem
        return stem


_stemmer = _Stemmer()


def stems(text: str) -> tuple[str, ...]:
    """The stems of the words of a text that carry meaning, in order."""
    return tuple(
        _stemmer.stem(word) for word in normalise_german(text).split() if word not in STOPWORDS
    )


def _features(words: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for word in words:
        counts["w:" + word] += 1  # the stem itself; trigrams never contain ":"
        padded = f" {word} "
        for start in range(len(padded) - 2):
            counts[padded[start : start + 3]] += 1
    return counts


def _dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    get = b.get  # a list, not a generator: the same sum in the same order, a third faster
    return sum([weight * get(feature, 0.0) for feature, weight in a.items()])


class TextIndex:
    """TF-IDF vectors of short texts, keyed by the caller's keys; cosine similarity."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        counts = {key: _features(stems(text)) for key, text in texts.items()}
        self._df: Counter[str] = Counter()
        for features in counts.values():
            self._df.update(features.keys())
        self._size = len(counts)
        self._vectors = {key: self._weigh(features) for key, features in counts.items()}

    def __contains__(self, key: str) -> bool:
        return key in self._vectors

    def _weigh(self, counts: Counter[str]) -> Vector:
        weights = {
            feature: (1.0 + math.log(count))
            * (math.log((1 + self._size) / (1 + self._df[feature])) + 1.0)
            for feature, count in counts.items()
        }
        norm = math.sqrt(sum(weight * weight for weight in weights.values()))
        return {feature: weight / norm for feature, weight in weights.items()} if norm else {}

    def vector(self, text: str) -> Vector:
        """The unit vector of a text, weighted by this index's documents."""
        return self._weigh(_features(stems(text)))

    def similarity(self, key: str, vector: Vector) -> float:
        """Cosine of an indexed text and a vector (0 for an unknown key or an empty text)."""
        return _dot(self._vectors.get(key, {}), vector)

    def pairs(self, threshold: float) -> list[tuple[str, str, float]]:
        """Every pair of indexed texts with cosine ≥ ``threshold`` (earlier key first),
        ordered by the later key, then the earlier one. Exact on either path."""
        if threshold <= 0:
            raise ValueError("threshold must be positive")
        if len(self._vectors) >= MATRIX_FROM:
            return self._pairs_by_matrix(threshold - 1e-9)
        return self._pairs_by_prefix(threshold - 1e-9)

    def _pairs_by_matrix(self, bar: float) -> list[tuple[str, str, float]]:
        """All pairs' cosines as a sparse product, a block of rows at a time; the pairs
        at the bar (with a margin for the product's rounding) are scored by ``_dot``."""
        import numpy as np
        from scipy import sparse

        keys = list(self._vectors)
        column = {feature: position for position, feature in enumerate(self._df)}
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for key in keys:
            vector = self._vectors[key]
            indices.extend(column[feature] for feature in vector)
            data.extend(vector.values())
            indptr.append(len(indices))
        matrix = sparse.csr_array(
            (np.array(data), np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
            shape=(len(keys), len(column)),
        )
        transposed = matrix.T.tocsc()
        rows = max(1, MATRIX_CELLS // len(keys))
        candidates: list[tuple[int, int]] = []
        for start in range(0, len(keys), rows):
            block = (matrix[start : start + rows] @ transposed).tocoo()
            first = block.row + start
            keep = (block.col > first) & (block.data >= bar - 1e-6)
            candidates.extend(zip(block.col[keep].tolist(), first[keep].tolist(), strict=True))
        found: list[tuple[str, str, float]] = []
        for later, earlier in sorted(candidates):  # the order of the prefix path
            score = _dot(self._vectors[keys[later]], self._vectors[keys[earlier]])
            if score >= bar:
                found.append((keys[earlier], keys[later], min(score, 1.0)))
        return found

    def _pairs_by_prefix(self, bar: float) -> list[tuple[str, str, float]]:
        """A text is indexed by its features rarest first, leaving out the most common
        ones as long as their weight together stays below the bar; a pair that reaches
        the bar must share one of the indexed features."""
        keys = list(self._vectors)
        rank = {  # features from the rarest to the most common
            feature: position
            for position, feature in enumerate(sorted(self._df, key=lambda f: (self._df[f], f)))
        }
        index: dict[str, list[tuple[int, float]]] = {}  # feature → (text, weight), prefixes only
        cut: list[int] = []  # per text: features ranked above this are left out of the index
        left_out_norm: list[float] = []  # per text: the norm of the features left out
        found: list[tuple[str, str, float]] = []
        for position, key in enumerate(keys):
            vector = self._vectors[key]
            features = sorted(vector, key=rank.__getitem__)
            ranks = [rank[feature] for feature in features]
            tail = [0.0] * (len(features) + 1)  # tail[i]: squared norm of features[i:]
            for i in range(len(features) - 1, -1, -1):
                tail[i] = tail[i + 1] + vector[features[i]] ** 2
            partial: dict[int, float] = {}
            for feature, weight in vector.items():
                for other, other_weight in index.get(feature, ()):
                    partial[other] = partial.get(other, 0.0) + weight * other_weight
            for other in sorted(partial):
                # what the other text left out of the index adds at most (Cauchy–Schwarz)
                rest = math.sqrt(tail[bisect.bisect_right(ranks, cut[other])])
                if partial[other] + left_out_norm[other] * rest < bar:
                    continue
                score = _dot(vector, self._vectors[keys[other]])
                if score >= bar:
                    found.append((keys[other], key, min(score, 1.0)))
            # leave out the most common features while their norm stays below the threshold
            kept = len(features)
            while kept > 0 and math.sqrt(tail[kept - 1]) < bar:
                kept -= 1
            for feature in features[:kept]:
                index.setdefault(feature, []).append((position, vector[feature]))
            cut.append(ranks[kept - 1] if kept else -1)
            left_out_norm.append(math.sqrt(tail[kept]))
        return found


@dataclass(frozen=True, slots=True)
class SimilarCards:
    """Two cards whose texts look alike (the earlier card first)."""

    first: Card
    second: Card
    score: float  # cosine, 0 to 1


def similar_cards(tally: Tally, threshold: float = DUPLICATE_THRESHOLD) -> tuple[SimilarCards, ...]:
    """Near-duplicate cards across the whole tally, most similar first."""
    cards = {card.id: card for card in tally.cards if card.text.strip()}
    order = {card_id: position for position, card_id in enumerate(cards)}
    index = TextIndex({card.id: card.text for card in cards.values()})
    pairs = sorted(
        index.pairs(threshold),
        key=lambda pair: (-round(pair[2], 9), order[pair[0]], order[pair[1]]),
    )
    return tuple(SimilarCards(cards[a], cards[b], round(score, 4)) for a, b, score in pairs)


@dataclass(frozen=True, slots=True)
class GoalSuggestion:
    """A goal a card might belong to, and why."""

    goal: Goal
    score: float  # cosine, 0 to 1
    like: Card | None  # the goal's card the text resembles most; None: the goal's own text


def suggester_texts(tally: Tally) -> dict[str, str]:
    """The texts a goal suggester indexes: every goal's and every card's with a text."""
    texts: dict[str, str] = {f"goal:{goal.id}": goal.text for goal in tally.goals}
    texts.update({f"card:{card.id}": card.text for card in tally.cards if card.text.strip()})
    return texts


class GoalSuggester:
    """Suggests goals for cards from the texts of the goals and of the cards already in them.

    Built once for a tally; each suggestion compares one text with the goals of a
    theme field (or all goals), so it is linear in the number of cards.
    """

    def __init__(self, tally: Tally, index: TextIndex | None = None) -> None:
        """``index``: ``TextIndex(suggester_texts(tally))`` made before (it depends on the
        texts only, not on which goal a card is in)."""
        self._index = index if index is not None else TextIndex(suggester_texts(tally))
        self._goals = tally.goals
        self._cards: dict[str, list[Card]] = {}
        for card in tally.cards:
            if card.goal_id is not None and card.text.strip():
                self._cards.setdefault(card.goal_id, []).append(card)

    def suggest(
        self,
        text: str,
        theme_field: str | None = None,
        *,
        exclude: str | None = None,
        threshold: float = SUGGESTION_THRESHOLD,
        limit: int = SUGGESTION_LIMIT,
    ) -> tuple[GoalSuggestion, ...]:
        """Goals for a text, best first, those at or above the threshold, at most ``limit``.

        ``theme_field`` keeps to the goals of that theme field; ``exclude`` leaves a
        card out of the comparison (the card asking, when it is in a goal already).
        """
        vector = self._index.vector(text)
        if not vector:
            return ()
        suggestions: list[tuple[float, int, GoalSuggestion]] = []
        for position, goal in enumerate(self._goals):
            if theme_field is not None and goal.theme_field != theme_field:
                continue
            best, like = self._index.similarity(f"goal:{goal.id}", vector), None
            for card in self._cards.get(goal.id, ()):
                if card.id == exclude:
                    continue
                score = self._index.similarity(f"card:{card.id}", vector)
                if score > best:
                    best, like = score, card
            if best >= threshold:
                suggestion = GoalSuggestion(goal, round(min(best, 1.0), 4), like)
                suggestions.append((-suggestion.score, position, suggestion))
        suggestions.sort(key=lambda item: (item[0], item[1]))
        return tuple(suggestion for _, _, suggestion in suggestions[:limit])

    def suggest_for(
        self,
        card: Card,
        *,
        threshold: float = SUGGESTION_THRESHOLD,
        limit: int = SUGGESTION_LIMIT,
    ) -> tuple[GoalSuggestion, ...]:
        """Goals for a card of the tally or a new one, within its theme field."""
        return self.suggest(
            card.text, card.theme_field, exclude=card.id, threshold=threshold, limit=limit
        )


def suggest_goals(
    tally: Tally,
    card: Card,
    *,
    threshold: float = SUGGESTION_THRESHOLD,
    limit: int = SUGGESTION_LIMIT,
) -> tuple[GoalSuggestion, ...]:
    """Goals of the card's theme field that its text resembles, best first."""
    return GoalSuggester(tally).suggest_for(card, threshold=threshold, limit=limit)
