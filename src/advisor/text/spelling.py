"""Typos in a question, mended against the documents' own words: a word that is neither in the documents nor a
word the embedding model knows whole becomes the document word it is the start of ("collab"), else the document
word it is fewest edits from ("salery", "experiance", "senoir"; a swap of two letters is one edit), the commonest
of equals; failing that, the model's word it is fewest edits from ("wich" -> "which"). A three-letter word
is mended only by a swap of two letters ("aks" -> "ask"). A real word the documents
do not use ("visa", "dress") is left as it is: that is a point they do not cover."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA

_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
MIN_LENGTH = 4
CUTOFF = 0.75  # share of a word's letters that may stay unedited, at least (one edit in four)
KNOWN_CUTOFF = 0.8  # a word of the model's, not of the documents: a closer likeness is asked for
CANDIDATES = 8


class Speller:
    def __init__(self, vocabulary: Iterable[str], known: Sequence[str] = ()) -> None:
        """vocabulary: the documents' words, as often as they occur; known: the model's whole words, common
        ones first."""
        counts = Counter(w.lower() for w in vocabulary if len(w) >= 3 and w.isalpha())
        self._known = set(counts) | {w.lower() for w in known}
        self._corpus = _by_letter(w for w, _n in counts.most_common())
        self._model = _by_letter(w for w in known if len(w) >= MIN_LENGTH and w.isalpha() and w not in counts)
        # Words too short for a likeness to mean much ("aks"): mended only by a swap of two letters, to the
        # commonest word it makes ("ask", not "ski").
        self._short: dict[str, int] = {}  # word -> its place, commonest first
        for w in (*(w for w, _n in counts.most_common()), *known):
            if len(w) < MIN_LENGTH:
                self._short.setdefault(w.lower(), len(self._short))

    def correct(self, text: str) -> str:
        return _WORD.sub(lambda m: self._word(m.group()), text)

    def _word(self, word: str) -> str:
        lowered = word.lower()
        base = lowered.split("'")[0]
        if base in self._known or not base.isalpha():
            return word
        if len(base) < MIN_LENGTH:
            swapped = [w for w in _swaps(base) if w in self._short] if len(base) == MIN_LENGTH - 1 else []
            if not swapped:
                return word
            commonest = min(swapped, key=lambda w: self._short[w])
            return commonest.capitalize() if word[0].isupper() else commonest
        found = (
            _shortened(base, self._corpus.get(base[0], []))
            or _closest(base, self._corpus.get(base[0], []), CUTOFF)
            or _closest(base, self._model.get(base[0], []), KNOWN_CUTOFF)
        )
        if found is None:
            return word
        return found.capitalize() if word[0].isupper() else found


def _swaps(word: str) -> list[str]:
    return [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1) if word[i] != word[i + 1]]


def _by_letter(words: Iterable[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for word in words:
        out.setdefault(word[0], []).append(word)
    return out


def _shortened(word: str, candidates: Sequence[str]) -> str | None:
    """The commonest document word the word is the start of ("collab": "collaborating"): a shortening is
    nearer to what was meant than any word a letter away from it ("collar")."""
    return next((c for c in candidates if len(c) > len(word) and c.startswith(word)), None)


def _closest(word: str, candidates: Sequence[str], cutoff: float) -> str | None:
    """The candidate fewest edits from the word; of equals, one of the word's length (a letter mistyped rather
    than dropped), then the earliest (candidates come commonest first). Short words may be one edit off."""
    if len(word) <= 5:
        cutoff = max(cutoff, 1 - 1 / len(word))
    found = process.extract(
        word, candidates, scorer=OSA.normalized_similarity, score_cutoff=cutoff - 1e-4, limit=CANDIDATES
    )
    if not found:
        return None
    best = max(score for _c, score, _i in found)
    tied = [(c, i) for c, score, i in found if score >= best - 1e-4]
    return min(tied, key=lambda item: (len(item[0]) != len(word), item[1]))[0]
