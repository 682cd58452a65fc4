"""Comparing and printing personal names: spelling keys, edit distance, title case."""

from __future__ import annotations

import re

from .text import name_key, strip_accents

# Transliteration pairs that name_key() keeps apart, folded for fuzzy comparison only
# (Brilyov/Brilev, Kleimyonov/Kleimenov, Shakhidjanyan/Shakhijanyan, Aleksei/Alexei).
_SPELLING_FOLDS = [
    (re.compile(r"\bye"), "e"),
    (re.compile(r"[iy]o"), "e"),
    (re.compile(r"d(z)?j|dzh"), "j"),
    (re.compile(r"ks"), "x"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"w"), "v"),
    (re.compile(r"([a-z])\1+"), r"\1"),
]
# Word pieces kept lower case inside a title-cased name ("President von der Leyen").
_LOWER_PARTICLES = frozenset({"de", "da", "di", "del", "van", "von", "der", "den", "la", "le"})


def spelling_key(name: str) -> str:
    """A looser key than name_key(): transliteration variants of one name compare equal."""
    key = strip_accents(name).casefold()
    key = re.sub(r"[^\w\s]|_", " ", key)
    key = re.sub(r"\s+", " ", key).strip()
    for pattern, replacement in _SPELLING_FOLDS:
        key = pattern.sub(replacement, key)
    return key.replace("iy", "i").replace("y", "i")


def name_tokens(name: str) -> list[str]:
    return name_key(name).split()


def plain_words(name: str) -> list[str]:
    """Lower-case words of a name, spelt as printed (for looking words up, not for matching)."""
    return re.sub(r"[^\w\s]|_", " ", strip_accents(name).casefold()).split()


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count once), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def title_case(text: str) -> str:
    """'MS. JEAN-PIERRE' -> 'Ms. Jean-Pierre', 'MCDONOUGH' -> 'McDonough'."""
    words = []
    for index, word in enumerate(text.split()):
        if index and word.casefold() in _LOWER_PARTICLES:
            words.append(word.casefold())
            continue
        words.append(re.sub(r"[^\W\d_]+", _capitalise_piece, word))
    return " ".join(words)


def _capitalise_piece(match: re.Match[str]) -> str:
    piece = match.group()
    if not re.search(r"[aeiouyAEIOUY]", piece):
        return piece  # an abbreviation: "PM", "NSC"
    if len(piece) > 3 and piece[:2].casefold() == "mc":
        return "Mc" + piece[2:].capitalize()
    return piece.capitalize()


def sentence_case(text: str) -> str:
    """'SENIOR ADMINISTRATION OFFICIAL' -> 'Senior administration official'."""
    lowered = text.casefold()
    return lowered[:1].upper() + lowered[1:]


def split_camel_case(token: str) -> list[str]:
    """'VladimirPutin' -> ['Vladimir', 'Putin'], 'V.Putin' -> ['V.', 'Putin'];
    'McDonald' and 'MacDonald' stay whole."""
    match = re.fullmatch(r"([A-Z][a-z]{3,}|(?:[A-Z]\.)+)([A-Z][A-Za-z'’-]+)", token)
    return [match.group(1), match.group(2)] if match else [token]
