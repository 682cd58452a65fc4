"""People named in running text: "Press Secretary Jen Psaki", "President Biden".

A label often prints less than the person's name ("MS. PSAKI", "THE PRESIDENT"); the title,
the lead or the turn that introduces the speaker usually prints more. These functions find,
in such text, the names that end with a given surname and the names that follow a given
office ("President ..."), by the shape of the words around them, not from a list of names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .text import name_key, strip_accents
from .vocabulary import (
    CONNECTORS,
    HONORIFICS,
    NAME_BLOCKERS,
    NAME_PARTICLES,
    OFFICE_WORDS,
    ORGANISATION_WORDS,
    SENTENCE_STARTS,
)

# Words with letters, keeping inner hyphens, apostrophes and the dots of initials.
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_]|\.(?:[^\W\d_]\.)*)?")
_POSSESSIVE = re.compile(r"['’]s$")
_CONTRACTION = re.compile(r"['’](m|re|ve|ll|d|t)$", re.IGNORECASE)
_INITIAL = re.compile(r"(?:[A-Z]\.)+")
# Forms of address and office that are capitalised before a name but are no part of it.
_ADDRESS = frozenset(
    "excellency highness majesty honorable honourable hon rev reverend elect designate".split()
)
_GERUND = re.compile(r"[a-z]{3}ing$")
_MONTHS = frozenset(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    """.split()
)
# A given name is at most this many words ("Karine", "Mary Anne"); a middle initial more.
_GIVEN_WORDS = 2
# Longest surname, in words, that a label prints ("Fernández Hernández").
_SURNAME_WORDS = 3
# How much of a long text is read for names (an introduction comes early or late in a turn).
_READ_CHARS = 6000


@dataclass(frozen=True)
class Mention:
    """A name found in text: given names (possibly none), the surname, the words before."""

    given: tuple[str, ...]
    surname: str
    before: tuple[str, ...]  # lower-case words right before the name (titles, "of Russia")

    @property
    def full(self) -> bool:
        return any(not _INITIAL.fullmatch(word) for word in self.given)

    @property
    def name(self) -> str:
        given = [word for word in self.given if not _INITIAL.fullmatch(word)] or list(self.given)
        return " ".join([*given, self.surname])


def _stem(surname: str) -> str:
    """The first letters of a surname, which its spellings share ("Mikh" of Mikhaylov)."""
    letters = re.sub(r"\W", "", strip_accents(surname).casefold())
    return letters[:4] if len(letters) > 4 else letters


@lru_cache(maxsize=64)
def _folded(text: str) -> str:
    """The text in lower-case ASCII, for a quick look (all in C: texts are long)."""
    decomposed = unicodedata.normalize("NFKD", _clipped(text))
    return decomposed.encode("ascii", "ignore").decode("ascii").casefold()


def _clipped(text: str) -> str:
    if len(text) > _READ_CHARS:
        return text[: _READ_CHARS // 2] + " . " + text[-_READ_CHARS // 2 :]
    return text


@lru_cache(maxsize=64)
def _words(text: str) -> tuple[str, ...]:
    """The words of text; a name never runs across punctuation, so "" stands between
    two words with more than spaces between them ("(Laughter.) Durbin", "Thanks, Jeff"),
    nor past a possessive ("Prime Minister's Questions")."""
    text = _clipped(text)
    words: list[str] = []
    end = 0
    for match in _WORD.finditer(text):
        if words and words[-1] and text[end : match.start()].strip():
            words.append("")
        word = _POSSESSIVE.sub("", match.group())
        words.append(word)
        if word != match.group():
            words.append("")
        end = match.end()
    return tuple(words)


def _name_word(word: str) -> bool:
    """A capitalised word that can be part of a personal name."""
    if _INITIAL.fullmatch(word):
        return True
    if not word or _CONTRACTION.search(word):
        return False  # "I’m", "We’ll"
    bare = word.casefold()
    if not word[:1].isupper() or (word.isupper() and len(word) > 1):
        return False  # lower case, or an abbreviation ("NSC", "APNSA")
    if any(part in OFFICE_WORDS or part in _ADDRESS for part in bare.split("-")):
        return False  # "President-Elect", "Her Excellency"
    return not (
        bare in OFFICE_WORDS
        or bare in HONORIFICS
        or bare in CONNECTORS
        or bare in SENTENCE_STARTS
        or bare in NAME_BLOCKERS
        or bare in ORGANISATION_WORDS
        or bare in _MONTHS
    )


def surname_mentions(text: str, surname: str) -> list[Mention]:
    """Every name in text that ends with surname (compared by name_key)."""
    target = name_key(surname)
    size = len(target.split())
    if not target or size > _SURNAME_WORDS or _stem(surname) not in _folded(text):
        return []  # most texts do not name the person at all: no need to read their words
    words = _words(text)
    last = target.split()[-1]
    found: list[Mention] = []
    for end in range(len(words)):
        # Most words are not the surname: one cached key of the word rules them out.
        if not name_key(words[end]).endswith(last):
            continue
        for length in range(1, _SURNAME_WORDS + 1):
            start = end - length + 1
            window = words[max(start, 0) : end + 1]
            if start < 0 or "" in window or name_key(" ".join(window)) != target:
                continue
            found.append(_mention(words, start, end + 1))
            break
    return found


def _mention(words: tuple[str, ...], start: int, end: int) -> Mention:
    given: list[str] = []
    position = start
    while position > 0 and len(given) < _GIVEN_WORDS + 1:
        word = words[position - 1]
        if word.casefold() in NAME_PARTICLES and given:
            break
        if not _name_word(word):
            break
        given.insert(0, word)
        position -= 1
    # After "of" or "for" the capitalised words name an organisation up to the given name:
    # "President of Russia Vladimir Putin", "Coordinator for Strategic Communications John
    # Kirby"; and three such words before a surname are no given names.
    after_connector = position > 0 and words[position - 1].casefold() in CONNECTORS
    plain = [index for index, word in enumerate(given) if not _INITIAL.fullmatch(word)]
    if plain and (after_connector or len(plain) > _GIVEN_WORDS):
        position += plain[-1]
        given = given[plain[-1] :]
    before = tuple(word.casefold() for word in words[max(0, position - 4) : position])
    return Mention(tuple(given), " ".join(words[start:end]), before)


def office_mentions(text: str, office: list[str]) -> list[Mention]:
    """Names printed right after the office's words: "President Biden", "First Lady Jill
    Biden" for ["first", "lady"]; not "Vice President Harris" for ["president"]."""
    if not office:
        return []
    words = _words(text)
    folded = [word.casefold() for word in words]
    size = len(office)
    found: list[Mention] = []
    for start in range(len(words) - size):
        if folded[start : start + size] != office:
            continue
        previous = folded[start - 1] if start else ""
        if previous in OFFICE_WORDS:
            continue  # "Vice President", "Deputy Press Secretary": another office
        name = _name_after(words, start + size)
        if name is not None:
            found.append(name)
    return found


def _name_after(words: tuple[str, ...], start: int) -> Mention | None:
    """The name starting at words[start]: given names (if any) and a surname."""
    run: list[str] = []
    position = start
    while position < len(words) and len(run) < _GIVEN_WORDS + 3:
        word = words[position]
        if not (_name_word(word) or (run and word.casefold() in NAME_PARTICLES)):
            break
        if run and _GERUND.search(word):
            break  # a title-cased heading goes on: "President Biden Announcing ..."
        run.append(word)
        position += 1
    while run and run[-1].casefold() in NAME_PARTICLES:
        run.pop()
    if not run or _INITIAL.fullmatch(run[-1]):
        return None
    if sum(1 for word in run if not _INITIAL.fullmatch(word)) > _GIVEN_WORDS:
        # A title-cased heading runs on after the name ("President Trump Aboard Air Force
        # One"): only the word right after the office is sure to be a name. Initials do
        # not count ("President Donald J. Trump").
        run = run[:1]
    before = tuple(word.casefold() for word in words[max(0, start - 4) : start])
    return Mention(tuple(run[:-1]), run[-1], before)
