"""Media outlets named in a label: 'Editor-in-Chief of RT TV channel and ... "Rossiya Segodnya"'."""

from __future__ import annotations

import re

from .model import MAGAZINE, NEWS_AGENCY, NEWSPAPER, ONLINE, OTHER, RADIO, TV, OutletRef

QUOTED = re.compile(r"[\"“«„]([^\"”»“]+)[\"”»“]")
# Descriptors around an outlet's name, with the kind they reveal; longest first.
_DESCRIPTORS = [
    ("international information agency", NEWS_AGENCY),
    ("international news agency", NEWS_AGENCY),
    ("information agency", NEWS_AGENCY),
    ("news agency", NEWS_AGENCY),
    ("agency", NEWS_AGENCY),
    ("tv channel", TV),
    ("television channel", TV),
    ("tv company", TV),
    ("tv", TV),
    ("radio station", RADIO),
    ("radio", RADIO),
    ("newspaper", NEWSPAPER),
    ("daily", NEWSPAPER),
    ("magazine", MAGAZINE),
    ("website", ONLINE),
    ("news portal", ONLINE),
    ("portal", ONLINE),
]
_DESCRIPTOR_PATTERNS = [
    (re.compile(rf"(^{words}\s+|\s+{words}$)", re.I), words) for words, _ in _DESCRIPTORS
]
_KIND_WORDS = [
    (re.compile(r"\b(agency|news)\b", re.I), NEWS_AGENCY),
    (re.compile(r"\b(television|tv|channel|broadcasting)\b", re.I), TV),
    (re.compile(r"\b(radio)\b", re.I), RADIO),
    (re.compile(r"\b(newspaper|gazeta|gazette|times|post|tribune|herald)\b", re.I), NEWSPAPER),
    (re.compile(r"\b(magazine|journal|weekly)\b", re.I), MAGAZINE),
]
# "and" separates two outlets before "the" or a quote, or after a word that closes an outlet's
# description; "All-Russia State Television and Radio Broadcasting Company" stays one outlet.
_CLOSING_WORDS = ("channel", "agency", "newspaper", "magazine", "website", "portal", "station")
_OUTLET_SEPARATOR = re.compile(
    r"\s+and\s+(?=the\s|[\"“«])|"
    + "|".join(rf"(?<={word})\s+and\s+" for word in _CLOSING_WORDS)
    + r"|,\s*"
)


def looks_like_media(organisation: str) -> bool:
    return any(pattern.search(organisation) for pattern, _ in _KIND_WORDS)


def outlets(text: str) -> tuple[OutletRef, ...]:
    """'RT TV channel and the news agency "Rossiya Segodnya"' -> RT, Rossiya Segodnya."""
    found: list[OutletRef] = []
    for part in _OUTLET_SEPARATOR.split(text):
        outlet = _outlet(part.strip())
        if outlet and outlet.name not in {existing.name for existing in found}:
            found.append(outlet)
    return tuple(found)


def _outlet(part: str) -> OutletRef | None:
    quoted = QUOTED.search(part)
    if quoted:
        name = quoted.group(1).strip()
        descriptor = (part[: quoted.start()] + " " + part[quoted.end() :]).strip()
        return OutletRef(name, outlet_kind(name, descriptor))
    name = re.sub(r"^(the|a|an)\s+", "", part, flags=re.I).strip(" .")
    descriptor = ""
    changed = True
    while changed:
        changed = False
        for pattern, words in _DESCRIPTOR_PATTERNS:
            if pattern.search(name) and pattern.sub("", name).strip():
                descriptor += " " + words
                name = pattern.sub("", name).strip()
                changed = True
    if not name:
        return None
    return OutletRef(name, outlet_kind(name, descriptor))


def outlet_kind(name: str, descriptor: str) -> str:
    descriptor = descriptor.casefold()
    for words, kind in _DESCRIPTORS:
        if re.search(rf"\b{words}\b", descriptor):
            return kind
    for pattern, kind in _KIND_WORDS:
        if pattern.search(name):
            return kind
    return OTHER
