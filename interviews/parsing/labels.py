"""Turn openings and the grammar of a speaker label.

A block opens a turn when it starts with "LABEL:" and LABEL reads as a
speaker label: a person's name with an optional title, role and outlets, or a
generic class such as "Journalist". The decision rests on the shape of the
label, not on a list of names, so sentence-like prefixes ("So my question is:",
"The country's President knows about them:") are rejected.
"""

from __future__ import annotations

import re

from .model import (
    MAGAZINE,
    NEWS_AGENCY,
    NEWSPAPER,
    ONLINE,
    OTHER,
    RADIO,
    TV,
    Label,
    OutletRef,
)
from .text import name_key

MAX_LABEL_CHARS = 200
MAX_LABEL_WORDS = 30

# Generic labels: a class of people, never one person across events.
ANONYMOUS_LABELS = frozenset(
    {
        "journalist",
        "question",
        "q",
        "remark",
        "reply",
        "response",
        "answer",
        "a",
        "correspondent",
        "follow-up",
        "audience member",
        "voice from the audience",
        "participant",
        "reporter",
    }
)
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "madam", "mme", "prof"})
# Capitalised words that make up titles and roles, not names.
TITLE_WORDS = frozenset(
    """
    president vice vice-president first lady prime minister director general director-general
    editor editor-in-chief chief deputy head chairman chairwoman chairperson chair secretary
    governor mayor ambassador executive producer presenter host anchor correspondent journalist
    reporter commentator columnist moderator senator spokesman spokeswoman spokesperson press
    adviser advisor assistant aide member professor king queen prince princess sheikh emir
    sultan colonel admiral commander captain founder ceo managing senior principal acting former
    honorary coordinator manager officer leader patriarch metropolitan archbishop bishop
    """.split()
)
# Roles that make the organisation after them a media outlet.
MEDIA_ROLE_WORDS = frozenset(
    """
    editor editor-in-chief producer presenter host anchor correspondent journalist reporter
    commentator columnist
    """.split()
)
CONNECTORS = frozenset({"of", "the", "for", "at", "and", "from", "on", "in", "to"})
NAME_PARTICLES = frozenset(
    {
        "de",
        "da",
        "di",
        "del",
        "van",
        "von",
        "der",
        "den",
        "bin",
        "ibn",
        "al",
        "el",
        "la",
        "le",
        "du",
        "dos",
        "das",
        "oglu",
        "ogly",
        "kyzy",
        "y",
    }
)
# Words that never occur in a role description but do in sentences.
SENTENCE_WORDS = frozenset(
    """
    i we you me my our your us he she it they them this that these those here there is are was
    were be been have has had would will can could should do does did not what which who why how
    if so but think know want
    """.split()
)
# A verb after the name starts narrative attribution: "X said welcoming the participants".
_ATTRIBUTION = re.compile(
    r"[\s,]+((?:said|says|asked|added|noted|replied|remarked|continued|stated|answered|"
    r"responded|explained|began|concluded|emphasised|emphasized|stressed|greeted)\b.*)$"
)
_OPENING = re.compile(rf"^(?P<label>[^:\n]{{1,{MAX_LABEL_CHARS}}}?)\s*:(?=\s|$|[A-Z\"“«])\s*")
_QUOTED = re.compile(r"[\"“«„]([^\"”»“]+)[\"”»“]")
_PARENTHETICAL = re.compile(r"\s*\([^)]*\)\s*$")

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
_KIND_WORDS = [
    (re.compile(r"\b(agency|news)\b", re.I), NEWS_AGENCY),
    (re.compile(r"\b(television|tv|channel|broadcasting)\b", re.I), TV),
    (re.compile(r"\b(radio)\b", re.I), RADIO),
    (re.compile(r"\b(newspaper|gazeta|gazette|times|post|tribune|herald)\b", re.I), NEWSPAPER),
    (re.compile(r"\b(magazine|journal|weekly)\b", re.I), MAGAZINE),
]


def split_opening(text: str) -> tuple[str, str] | None:
    """'Label: body' -> (label, body) when the text starts with a colon-ended prefix."""
    match = _OPENING.match(text)
    if not match:
        return None
    return match.group("label").strip(), text[match.end() :]


def parse_label(printed: str, known_names: frozenset[str] = frozenset()) -> Label | None:
    """Split a label into name, role, outlets and attribution; None if it is no label.

    known_names holds name_key()s of people already seen in the text, so a bare
    surname ("Putin") is accepted once the full name has been printed.
    """
    if len(printed) > MAX_LABEL_CHARS or len(printed.split()) > MAX_LABEL_WORDS:
        return None
    core = _PARENTHETICAL.sub("", printed).strip()
    if not core:
        return None
    if core.casefold() in ANONYMOUS_LABELS:
        return Label(printed=printed, name=core, anonymous=True)
    attribution = ""
    match = _ATTRIBUTION.search(core)
    if match:
        attribution = match.group(1).strip()
        core = core[: match.start()].strip()
    head, _, tail = core.partition(",")
    head, tail = head.strip(), tail.strip()
    if not tail and " from " in head:
        head, _, tail = head.partition(" from ")
        tail = f"from {tail}"
    split = _split_title_and_name(head.split())
    if split is None:
        return None
    prefix, name = split
    if not tail and not prefix and len(name) == 1 and name_key(name[0]) not in known_names:
        return None
    role, outlets = _prefix_role(prefix)
    if tail:
        parsed_tail = _parse_tail(tail)
        if parsed_tail is None:
            return None
        tail_role, tail_outlets = parsed_tail
        role = role or tail_role
        outlets = outlets + tail_outlets
    return Label(
        printed=printed,
        name=" ".join(name),
        role=role,
        outlets=outlets,
        attribution=attribution,
    )


def _is_name_token(token: str) -> bool:
    if token.casefold() in NAME_PARTICLES:
        return True
    if re.fullmatch(r"[A-Z]\.", token):  # an initial
        return True
    word = token.strip("'’")
    return bool(word) and word[0].isupper() and not any(char.isdigit() for char in word)


def _split_title_and_name(tokens: list[str]) -> tuple[list[str], list[str]] | None:
    """['TASS', 'Director', 'General', 'Sergei', 'Mikhailov'] -> (prefix, name)."""
    if not tokens:
        return None
    start = len(tokens)
    while start > 0:
        token = tokens[start - 1]
        bare = token.casefold().strip(".")
        if not _is_name_token(token) or bare in TITLE_WORDS or bare in HONORIFICS:
            break
        # A capitalised word after "of"/"the" belongs to an organisation: "President of Russia".
        if start >= 2 and tokens[start - 2].casefold() in CONNECTORS:
            break
        start -= 1
    prefix, name = tokens[:start], tokens[start:]
    while name and name[0].casefold() in NAME_PARTICLES:  # a name does not start with "al"
        prefix.append(name.pop(0))
    if not name or len([t for t in name if t.casefold() not in NAME_PARTICLES]) > 4:
        return None
    for token in prefix:
        bare = token.casefold().strip(".")
        if bare in SENTENCE_WORDS:
            return None
        if token[:1].islower() and bare not in CONNECTORS:
            return None
    return prefix, name


def _prefix_role(prefix: list[str]) -> tuple[str, tuple[OutletRef, ...]]:
    """'TASS Director General' -> ('Director General', (TASS,)); honorifics are dropped."""
    words = [token for token in prefix if token.casefold().strip(".") not in HONORIFICS]
    role_words = {word.casefold() for word in words}
    if (
        len(words) > 1
        and re.fullmatch(r"[A-Z][A-Z0-9-]+", words[0])
        and role_words & (MEDIA_ROLE_WORDS | {"director", "general", "director-general"})
    ):
        return " ".join(words[1:]), (OutletRef(words[0], _outlet_kind(words[0], "")),)
    return " ".join(words), ()


def _parse_tail(tail: str) -> tuple[str, tuple[OutletRef, ...]] | None:
    """'Editor-in-Chief of "Rossiyskaya Gazeta"' -> ('Editor-in-Chief', (Rossiyskaya Gazeta,))."""
    words = re.findall(r"[\w'’-]+", _QUOTED.sub(" ", tail).casefold())
    if not words or any(word in SENTENCE_WORDS for word in words):
        return None
    if re.search(r"[.?!]\s", tail + " ") and not _QUOTED.search(tail):
        return None
    if tail.startswith("from "):
        return "", _outlets(tail[len("from ") :])
    role, sep, organisation = tail.partition(" of ")
    first = tail.split()[0]
    if not (first[:1].isupper() or first[:1] in '"“«' or first.casefold() in TITLE_WORDS):
        return None
    if not sep:
        return tail, ()
    media_role = bool(set(re.findall(r"[\w-]+", role.casefold())) & MEDIA_ROLE_WORDS)
    if media_role or _QUOTED.search(organisation) or _looks_like_media(organisation):
        return role.strip(), _outlets(organisation)
    return tail, ()


def _looks_like_media(organisation: str) -> bool:
    return any(pattern.search(organisation) for pattern, _ in _KIND_WORDS)


def _outlets(text: str) -> tuple[OutletRef, ...]:
    """'RT TV channel and the International News Agency "Rossiya Segodnya"' -> RT, Rossiya Segodnya.

    "and" separates outlets only before "the" or a quote, or after a descriptor, so that
    "All-Russia State Television and Radio Broadcasting Company" stays one outlet.
    """
    parts = re.split(
        r"\s+and\s+(?=the\s|[\"“«])|(?<=channel)\s+and\s+|(?<=agency)\s+and\s+|,\s*", text
    )
    outlets: list[OutletRef] = []
    for part in parts:
        outlet = _outlet(part.strip())
        if outlet and outlet.name not in {existing.name for existing in outlets}:
            outlets.append(outlet)
    return tuple(outlets)


def _outlet(part: str) -> OutletRef | None:
    quoted = _QUOTED.search(part)
    if quoted:
        name = quoted.group(1).strip()
        descriptor = (part[: quoted.start()] + " " + part[quoted.end() :]).strip()
        return OutletRef(name, _outlet_kind(name, descriptor))
    name = re.sub(r"^(the|a|an)\s+", "", part, flags=re.I).strip(" .")
    descriptor = ""
    changed = True
    while changed:
        changed = False
        for words, _ in _DESCRIPTORS:
            pattern = re.compile(rf"(^{words}\s+|\s+{words}$)", re.I)
            if pattern.search(name) and pattern.sub("", name).strip():
                descriptor += " " + words
                name = pattern.sub("", name).strip()
                changed = True
    if not name:
        return None
    return OutletRef(name, _outlet_kind(name, descriptor))


def _outlet_kind(name: str, descriptor: str) -> str:
    descriptor = descriptor.casefold()
    for words, kind in _DESCRIPTORS:
        if re.search(rf"\b{words}\b", descriptor):
            return kind
    for pattern, kind in _KIND_WORDS:
        if pattern.search(name):
            return kind
    return OTHER
