"""The grammar of a personal label: title or role, the name, outlets and attribution text.

"TASS Director General Sergei Mikhailov said welcoming the participants" reads as
prefix "TASS Director General", name "Sergei Mikhailov", attribution "said welcoming ...".
A label is rejected (None) when a part reads as a sentence rather than a description.
"""

from __future__ import annotations

import re

from .model import Label, OutletRef
from .names import split_camel_case, title_case
from .outlets import QUOTED, looks_like_media, outlet_kind, outlets
from .text import name_key
from .vocabulary import (
    CONNECTORS,
    HONORIFICS,
    MEDIA_ROLE_WORDS,
    NAME_BLOCKERS,
    NAME_PARTICLES,
    ORGANISATION_WORDS,
    SENTENCE_STARTS,
    SENTENCE_WORDS,
    TITLE_WORDS,
)

# A verb after the name starts narrative attribution: "X said welcoming the participants".
_ATTRIBUTION = re.compile(
    r"[\s,]+((?:said|says|asked|added|noted|replied|remarked|continued|stated|answered|"
    r"responded|explained|began|concluded|emphasised|emphasized|stressed|greeted)\b.*)$"
)
# "Anna Smith of Reuters", "Mirshahin Aghayev from REAL Television": name first, then the rest.
_NAME_THEN_OUTLET = re.compile(
    r"^(?P<name>(?:[A-Z][\w'’.-]*\s+){1,3}[A-Z][\w'’.-]*)\s+(?:from|of)\s+(?P<rest>\S.*)$"
)
_MAX_NAME_TOKENS = 3
_INITIAL = re.compile(r"[A-Z]\.")
_MAX_ATTRIBUTION_WORDS = 10
_ARTICLES = frozenset({"the", "a", "an"})


def parse_person_label(printed: str, core: str, known_names: frozenset[str]) -> Label | None:
    first = core.split()[0]
    first_word = first.casefold().strip(".,")
    # "As I said", "What I said was", "Or Reuters"; an article may open a description.
    blocked = first_word in NAME_BLOCKERS and first_word not in _ARTICLES
    if not _INITIAL.fullmatch(first) and (first_word in SENTENCE_STARTS or blocked):
        return None
    attribution = ""
    match = _ATTRIBUTION.search(core)
    if match and _reads_as_attribution(match.group(1)):
        attribution = match.group(1).strip()
        core = core[: match.start()].strip()
    head, _, tail = core.partition(",")
    head, tail = head.strip(), tail.strip()
    if not tail:
        leading = _NAME_THEN_OUTLET.match(head)
        if (
            leading
            and _plain_name(leading.group("name"))
            and not _has_title_word(leading.group("rest"))
        ):
            head, tail = leading.group("name"), "from " + leading.group("rest")
    tokens = [piece for token in head.split() for piece in split_camel_case(token)]
    split = _split_title_and_name(tokens)
    if split is None:
        return None
    prefix, name = split
    parsed_tail = parse_tail(tail) if tail else ("", ())
    if parsed_tail is None:
        return None
    tail_role, tail_outlets = parsed_tail
    if len(name) == 1 and name_key(name[0]) not in known_names:
        bare = name[0].casefold()
        if bare in SENTENCE_STARTS or bare in SENTENCE_WORDS:
            return None
        titled = bool(prefix) and _is_title(prefix[-1])
        if not titled and not (tail and _has_title_word(tail.replace(",", " "))):
            return None
    role, prefix_outlets = _prefix_role(prefix)
    return Label(
        printed=printed,
        name=" ".join(_name_case(token) for token in name),
        role=role or tail_role,
        outlets=prefix_outlets + tail_outlets,
        attribution=attribution,
    )


def _is_title(token: str) -> bool:
    bare = token.casefold().strip(".")
    return bare in TITLE_WORDS or bare in HONORIFICS


def _reads_as_attribution(text: str) -> bool:
    """'said welcoming the participants', not 'said last week, I am open to ideas'."""
    words = text.split()
    if len(words) > _MAX_ATTRIBUTION_WORDS or re.search(r"[.?!:;\"“”«»]", text):
        return False
    return not any(word.casefold().strip(",") in SENTENCE_WORDS for word in words[1:])


def _plain_name(text: str) -> bool:
    return not any(
        _is_title(token) or token.casefold() in ORGANISATION_WORDS for token in text.split()
    )


def _has_title_word(text: str) -> bool:
    return any(_is_title(token) for token in text.split())


def _name_case(token: str) -> str:
    # "Vladimir PUTIN" in a mixed-case label: the shouted surname is still a name.
    return title_case(token) if len(token) > 2 and token.isupper() else token


def _is_name_token(token: str) -> bool:
    if token.casefold() in NAME_PARTICLES:
        return True
    particle, hyphen, rest = token.partition("-")
    if hyphen and particle.casefold() in NAME_PARTICLES and rest[:1].isupper():
        return True  # "al-Assad", "el-Sisi"
    if _INITIAL.fullmatch(token):
        return True
    if token[-1:] in ')]"”»':  # the end of a bracket or quote closes an organisation's name
        return False
    word = token.strip("'’\"“«(")
    return bool(word) and word[0].isupper() and not any(char.isdigit() for char in word)


def _split_title_and_name(tokens: list[str]) -> tuple[list[str], list[str]] | None:
    """['TASS', 'Director', 'General', 'Sergei', 'Mikhailov'] -> (prefix, name)."""
    if not tokens:
        return None
    start = len(tokens)
    after_organisation = False
    while start > 0:
        token = tokens[start - 1]
        bare = token.casefold().strip(".")
        if not _is_name_token(token) or _is_title(token) or bare in ORGANISATION_WORDS:
            break
        if bare in NAME_BLOCKERS and not _INITIAL.fullmatch(token):
            break
        # A capitalised word after "of"/"the" belongs to an organisation: "President of Russia".
        if start >= 2 and tokens[start - 2].casefold() in CONNECTORS:
            after_organisation = True
            break
        start -= 1
    prefix, name = tokens[:start], tokens[start:]
    while name and name[0].casefold() in NAME_PARTICLES:  # a name does not start with "al"
        prefix.append(name.pop(0))
    core_tokens = [index for index, t in enumerate(name) if t.casefold() not in NAME_PARTICLES]
    # "of North Ossetia-Alania Vyacheslav Bitarov", "of the United States Donald Trump": an
    # organisation's name runs into the person's, who has two names far more often than three.
    limit = _MAX_NAME_TOKENS - 1 if after_organisation else _MAX_NAME_TOKENS
    particles = [index for index, t in enumerate(name) if t.casefold() in NAME_PARTICLES]
    if particles and particles[0] > 0:
        # "Salman bin Abdulaziz Al Saud": the given name is the word before the first particle.
        cut = particles[0] - 1
        prefix, name = prefix + name[:cut], name[cut:]
    elif len(core_tokens) > limit:
        # A long capitalised run holds an organisation before the name: keep the last two words.
        cut = core_tokens[-2]
        prefix, name = prefix + name[:cut], name[cut:]
    if not name or not _prefix_reads_as_description(prefix):
        return None
    return prefix, name


def _prefix_reads_as_description(prefix: list[str]) -> bool:
    if prefix and prefix[0].casefold().strip(".,") in SENTENCE_STARTS:
        return False
    if (
        prefix
        and prefix[0].casefold() in _ARTICLES
        and not any(
            _is_title(token) or (token[:1].islower() and token.casefold() not in CONNECTORS)
            for token in prefix[1:]
        )
    ):
        return False  # "The Affordable Care Act", "The Washington Post": a thing, not a role
    for token in prefix:
        bare = token.casefold().strip('.,()[]"“”«»')
        # A capitalised word inside a description is part of a name: "of A Just Russia party".
        sentence_word = bare in SENTENCE_WORDS and (token[:1].islower() or bare.startswith("i"))
        # A verb in the past tense tells a story: "the Democrats in Congress passed the".
        past_tense = token[:1].islower() and len(bare) > 4 and bare.endswith("ed")
        if sentence_word or past_tense or token[-1:] in "?!;:":
            return False
        # A full stop ends a sentence unless it closes an honorific, initial or abbreviation.
        if token.endswith(".") and not (bare in HONORIFICS or len(bare) <= 3 or token.isupper()):
            return False
    return True


def _prefix_role(prefix: list[str]) -> tuple[str, tuple[OutletRef, ...]]:
    """'TASS Director General' -> ('Director General', (TASS,)); honorifics are dropped."""
    words = [token for token in prefix if token.casefold().strip(".") not in HONORIFICS]
    role_words = {word.casefold() for word in words}
    if (
        len(words) > 1
        and re.fullmatch(r"[A-Z][A-Z0-9-]+", words[0])
        and role_words & (MEDIA_ROLE_WORDS | {"director", "general", "director-general"})
    ):
        return " ".join(words[1:]), (OutletRef(words[0], outlet_kind(words[0], "")),)
    media_role = _media_role_after_outlet(words)
    if media_role:
        return media_role
    return " ".join(words), ()


def _media_role_after_outlet(words: list[str]) -> tuple[str, tuple[OutletRef, ...]] | None:
    """'BBC correspondent' or 'Fox News anchor' -> the role and the outlet before it."""
    end = len(words)
    while end > 0 and words[end - 1].casefold() in MEDIA_ROLE_WORDS:
        end -= 1
    organisation = words[:end]
    if end == len(words) or not organisation:
        return None
    if not all(word[:1].isupper() and not _is_title(word) for word in organisation):
        return None
    outlet = " ".join(organisation)
    return " ".join(words[end:]), (OutletRef(outlet, outlet_kind(outlet, "")),)


def _lists_people(tail: str) -> bool:
    """A salutation, not a description: several parts that each open with a title and a name."""
    parts = [part.split() for part in re.split(r",|\band\b", tail)]
    titled = [
        part
        for part in parts
        if len(part) > 1 and _is_title(part[0]) and part[1][:1].isupper() and not _is_title(part[1])
    ]
    return len(titled) >= 2


def parse_tail(tail: str) -> tuple[str, tuple[OutletRef, ...]] | None:
    """'Editor-in-Chief of "Rossiyskaya Gazeta"' -> ('Editor-in-Chief', (Rossiyskaya Gazeta,))."""
    words = re.findall(r"[\w'’-]+", QUOTED.sub(" ", tail).casefold())
    if not words or any(word in SENTENCE_WORDS for word in words):
        return None
    # A full stop ends a sentence, not an abbreviation's letter ("U.S. Surgeon General").
    if re.search(r"(?<!\b[A-Z])[.?!]\s", tail + " ") and not QUOTED.search(tail):
        return None
    if re.search(r"(^|[\s,])\d+([\s,]|$)", tail) or _lists_people(tail):
        return None  # "Fort Hood, Texas, 2009"; "Senator Carper, Senator Coons, ..."
    if tail.startswith("from "):
        return "", outlets(tail[len("from ") :])
    role, sep, organisation = tail.partition(" of ")
    if not sep:
        tokens = tail.replace(",", " ").split()
        media_role = _media_role_after_outlet(tokens)
        if media_role:
            return media_role
        if all(token[:1].isupper() and not _is_title(token) for token in tokens):
            return "", outlets(tail)  # "Steve Rosenberg, BBC"
        return tail, ()
    media_role = bool(set(re.findall(r"[\w-]+", role.casefold())) & MEDIA_ROLE_WORDS)
    if media_role or QUOTED.search(organisation) or looks_like_media(organisation):
        return role.strip(), outlets(organisation)
    return tail, ()
