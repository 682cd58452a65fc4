"""The rules by which two label groups of one transcript are the same person."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .names import edit_distance, plain_words, spelling_key
from .text import name_key
from .vocabulary import ROLE_LABELS, TITLE_WORDS

if TYPE_CHECKING:
    from .identity import Group

# Offices whose holder's spouse may speak too: "MRS. HIGGINS" is not "PRESIDENT HIGGINS", nor
# "MR. EMHOFF" the "SECOND LADY"; but "MS. FAZILI" is "DEPUTY DIRECTOR FAZILI".
_SPOUSE_OF = {
    "mrs": re.compile(
        r"^(president|vice president|prime minister|governor|senator|mayor|chancellor|king|"
        r"crown prince|prince|emir|first gentleman|second gentleman) "
    ),
    "mr": re.compile(r"^(first lady|second lady|queen|princess|crown princess) "),
}
_SPOUSE_OF["miss"] = _SPOUSE_OF["mrs"]
_SPOUSE_OF["ms"] = _SPOUSE_OF["mr"]
_HONORIFIC = re.compile(r"^\W*(mrs|mr|ms|miss)\b\.?\s", re.IGNORECASE)
# A misspelt single name must be rare beside a frequent correct one.
_RARE_TURNS = 2
_FREQUENT_RATIO = 3


def suffix_matches(group: Group, named: list[Group]) -> list[Group]:
    """Longer names ending with this one: "Putin" -> "Vladimir Putin"."""
    tokens = group.tokens
    if not tokens or is_bare_title(group.words):
        return []
    honorific = _HONORIFIC.match(group.labels[0].printed)
    spouse = _SPOUSE_OF[honorific.group(1).casefold()] if honorific else None
    return [
        other
        for other in named
        if other is not group
        and len(other.tokens) > len(tokens)
        and other.tokens[-len(tokens) :] == tokens
        and not (spouse and spouse.match(" ".join(other.words)))
    ]


def initial_match(group: Group, named: list[Group]) -> Group | None:
    """ "T. Colton" is "Timothy Colton"; "S. PSAKI" is "MS. PSAKI" when nobody else fits."""
    tokens = group.tokens
    if len(tokens) < 2 or len(tokens[0]) != 1 or len(tokens) > 3:
        return None
    initial, surname = tokens[0], tokens[1:]  # "S. O'BRIEN": the surname is two tokens
    candidates = [
        other
        for other in named
        if other is not group
        and other.tokens[-len(surname) :] == surname
        and (len(other.tokens) == len(surname) or other.tokens[0][:1] == initial)
        and len(other.tokens[0]) > 1
    ]
    return _unique(candidates)


def bare_title_match(group: Group, named: list[Group], title: str) -> Group | None:
    """ "THE PRESIDENT" is "PRESIDENT BIDEN" when he is the one President of the text.

    With several (a joint press conference), the President named first in the document's
    title is the host.
    """
    words = group.words
    if not is_bare_title(words):
        return None
    office = words[1:] if words[0] == "the" else words
    candidates = [
        other
        for other in named
        if other is not group
        and any(
            len(words) > len(office)
            and words[: len(office)] == office
            and words[len(office)] not in TITLE_WORDS
            for words in _titled_forms(other)
        )
    ]
    roots = _roots(candidates)
    if len(roots) == 1:
        return roots[0]
    title_key = f" {name_key(title[:1000])} "
    named_in_title = [
        (title_key.find(f" {' '.join(root.tokens)} "), root)
        for root in roots
        if f" {' '.join(root.tokens)} " in title_key
    ]
    return min(named_in_title, key=lambda item: item[0])[1] if named_in_title else None


def _titled_forms(group: Group) -> list[list[str]]:
    """The group's name, and its name after its role ("Chairman Inouye": role and surname)."""
    forms = [group.words]
    for label in group.labels:
        if label.role:
            forms.append(plain_words(f"{label.role} {label.name}"))
    return forms


def misspelling_match(group: Group, others: list[Group]) -> tuple[Group, bool] | None:
    """A label one letter (or a transliteration) away from a unique other person.

    Returns the person and whether the difference is only a transliteration variant.
    """
    tokens = group.tokens
    if " ".join(group.words) in ROLE_LABELS or is_bare_title(group.words):
        return None  # "Operator" is no misspelling of "Moderator"
    candidates: list[Group] = []
    variants: list[Group] = []
    for other in others:
        other_tokens = other.tokens
        if len(other_tokens) != len(tokens) or other.root().turns_total() < group.turns:
            continue
        different = [
            (a, b)
            for a, b in zip(tokens, other_tokens, strict=True)
            if spelling_key(a) != spelling_key(b)
        ]
        if len(different) > 1:
            continue
        if not different:
            variants.append(other)
            continue
        a, b = different[0]
        distance = edit_distance(a, b)
        rare = (
            group.turns <= _RARE_TURNS
            and other.root().turns_total() >= _FREQUENT_RATIO * group.turns
        )
        close = distance <= 1 and min(len(a), len(b)) >= 4
        if (close and (len(tokens) > 1 or rare)) or (distance <= 2 and len(a) >= 7 and rare):
            candidates.append(other)
    variant = _unique(variants)
    if variant is not None and not candidates:
        return variant, True
    typo = _unique(candidates)
    return (typo, False) if typo is not None and not variants else None


def misspelt_side(group: Group, other: Group) -> tuple[Group, Group]:
    """(misspelt, correct): the rarer one, unless only the rarer one spells its words right."""
    if len(group.words) != len(other.words):
        return group, other
    differing = [(a, b) for a, b in zip(group.words, other.words, strict=True) if a != b]
    if differing and all(a in TITLE_WORDS and b not in TITLE_WORDS for a, b in differing):
        return other, group  # "SECREATRY MAYORKAS" is the misspelling, however frequent
    return group, other


def is_bare_title(tokens: list[str]) -> bool:
    """'the president', 'vice president': an office, not a name."""
    office = tokens[1:] if tokens[:1] == ["the"] else tokens
    return bool(office) and all(token in TITLE_WORDS for token in office)


def _roots(groups: list[Group]) -> list[Group]:
    roots: list[Group] = []
    for group in groups:
        if group.root() not in roots:
            roots.append(group.root())
    return roots


def _unique(groups: list[Group]) -> Group | None:
    roots = _roots(groups)
    return roots[0] if len(roots) == 1 else None
