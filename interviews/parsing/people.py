"""Who a role, title or surname label is: "THE PRESIDENT" -> Joe Biden, "MS. PSAKI" -> Jen Psaki.

A label that prints no given name is resolved with the transcript's own evidence first (the
title, the lead, the turn that introduces the speaker, the speaker's own first words), then
with the dated table of office holders (interviews.parsing.offices). What neither settles
stays as printed: a surname ("Psaki") is still one person across transcripts, but a role
("The President", "Moderator") that names nobody is a participant of its event only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .mentions import Mention, office_mentions, surname_mentions
from .model import NARRATIVE
from .names import plain_words, title_case
from .offices import OfficeTerm, holders, holders_named
from .text import name_key
from .vocabulary import HONORIFICS, OFFICE_WORDS, ROLE_LABELS, TITLE_WORDS

_OFFICE_WORDS = OFFICE_WORDS | {"the", "of"}
_HONORIFIC_GENDER = {"mr": "m", "ms": "f", "mrs": "f", "miss": "f"}


@dataclass(frozen=True)
class Context:
    """What a transcript says around its labels, and the office table for its date."""

    title: str = ""
    lead: str = ""
    date: dt.date | None = None
    offices: tuple[OfficeTerm, ...] = ()
    body: str = ""  # every turn's text, to tell which of several office holders is meant


def transcript_context(
    title: str,
    date: dt.date | None,
    turns: list[tuple[str, str]],
    offices: tuple[OfficeTerm, ...],
) -> Context:
    """The context of a transcript's turns, (kind, text) in order: the narrative before the
    first speech is its lead."""
    lead = []
    for kind, text in turns:
        if kind != NARRATIVE:
            break
        lead.append(text)
    return Context(
        title=title,
        lead="\n".join(lead),
        date=date,
        offices=offices,
        body="\n".join(text for _, text in turns) if offices else "",
    )


def introductions(texts: list[str], openers: list[int]) -> list[tuple[str, str]]:
    """For each labelled turn (its index in texts): the text before it and its own."""
    return [(texts[index - 1] if index else "", texts[index]) for index in openers]


@dataclass
class Person:
    """A speaker's name after resolution, and how far it reaches."""

    name: str
    per_event: bool = False  # a role nobody is named for: one participant per event
    role: str = ""
    resolved: bool = False  # the name comes from evidence or the table, not the label


def label_shape(name: str) -> tuple[str, list[str], str]:
    """('role', office words, '') for "The President" / "Moderator"; ('titled', titles,
    surname) for "President Biden"; ('surname', [], surname) for "Psaki"; else ('full',
    the titles printed before the name, the name without them)."""
    printed = name.split()
    while len(printed) > 1 and printed[0].casefold().strip(".") in HONORIFICS:
        printed = printed[1:]  # "Ms. Psaki", "Dr. Anthony Fauci"
    name = " ".join(printed)
    words = plain_words(name)
    if not words:
        return "full", [], name
    office = words[1:] if words[0] == "the" else words
    # No personal name starts with "The": "THE SECOND GENTLEMAN" is an office too.
    if office and (
        words[0] == "the"
        or " ".join(office) in ROLE_LABELS
        or all(word in _OFFICE_WORDS for word in office)
    ):
        return "role", office, ""
    if len(printed) != len(words):
        return ("surname", [], name) if len(printed) == 1 else ("full", [], name)
    titles = 0
    while titles < len(words) and words[titles] in _OFFICE_WORDS:
        titles += 1
    if titles and len(printed) - titles == 1:
        return "titled", words[:titles], printed[-1]
    if titles:  # "ADMINISTRATOR DEANNE CRISWELL": the office, then the name
        return "full", words[:titles], " ".join(printed[titles:])
    if len(printed) == 1:
        return "surname", [], printed[0]
    return "full", [], name


def resolve(name: str, introductions: list[str], context: Context) -> Person:
    """The person a label's name stands for (see the module docstring)."""
    shape, words, surname = label_shape(name)
    if shape == "full":
        role = title_case(" ".join(words)) if words else ""
        return Person(surname, role=role, resolved=surname != name)
    texts = [context.title, context.lead, *introductions]
    if shape == "role":
        return _role(name, words, [context.title, context.lead], introductions, context)
    titles = [word for word in words if word not in {"the", "of"}]
    person = _surname(surname, titles, texts, context)
    if person is None:
        return Person(name)
    return Person(person, resolved=True, role=title_case(" ".join(titles)) if titles else "")


def _role(
    name: str, office: list[str], headings: list[str], introductions: list[str], context: Context
) -> Person:
    """The title and lead name the role's holder reliably; the turns around a speaker may
    name anyone ("I stand here with President Zelenskyy"), so there a name only confirms
    an office holder of the table."""
    role = title_case(" ".join(office))
    strong = [m for text in headings if text for m in office_mentions(text, office)]
    weak = [m for text in introductions if text for m in office_mentions(text, office)]
    terms = holders(context.offices, " ".join(office), context.date)
    if terms:
        named = [term for term in terms if any(_names(m, term.person) for m in strong + weak)]
        if len(named) == 1:
            return Person(named[0].person, role=role, resolved=True)
        if not strong:
            if len(terms) == 1:
                return Person(terms[0].person, role=role, resolved=True)
            spoken = [term for term in terms if _said(term.person, context.body)]
            if len(spoken) == 1:
                return Person(spoken[0].person, role=role, resolved=True)
            return Person(name, per_event=True)
    mentions = strong or weak
    if mentions:
        first = mentions[0]
        person = first.name if first.full else f"{role} {first.surname}"
        return Person(person, role=role, resolved=True)
    return Person(name, per_event=True)


def _surname(surname: str, titles: list[str], texts: list[str], context: Context) -> str | None:
    """The full name of the one person with this surname the evidence and table allow."""
    found: dict[str, Mention] = {}
    for text in texts:
        for mention in surname_mentions(text, surname) if text else []:
            if mention.full and not _other_office(mention, titles):
                found.setdefault(name_key(mention.name), mention)
    evidence = list(found.values())
    terms = holders_named(context.offices, surname, context.date)
    if titles:
        # "PRESIDENT BIDEN" when the table has a President Biden that day: the title
        # confirms the office, whoever else of that name the text mentions (Beau Biden).
        fitting = [term for term in terms if _office_fits(term, titles)]
        if len(fitting) == 1:
            return fitting[0].person
        # "SENATOR JOHNSON" is no Prime Minister Johnson: a title no holder fits rules the
        # table out.
        terms = fitting
        if not fitting:
            # A title kept out of office ("President Obama" in 2022), or not yet in it
            # ("PRESIDENT TRUMP" as President-elect): the one holder it fits at any time.
            ever = {
                name_key(term.person): term.person
                for term in holders_named(context.offices, surname, None, any_time=True)
                if _office_fits(term, titles)
            }
            if len(ever) == 1 and not evidence:
                return next(iter(ever.values()))
    if len(evidence) == 1:
        mention = evidence[0]
        same = [term for term in terms if _same_given(mention, term.person)]
        return same[0].person if len(same) == 1 else mention.name
    if not evidence:
        return terms[0].person if len(terms) == 1 else None
    same = [term for term in terms if any(_same_given(m, term.person) for m in evidence)]
    return same[0].person if len(same) == 1 else None


def _names(mention: Mention, person: str) -> bool:
    """Whether a mention ("President Biden", "Jill Biden") can name this person.

    A title-cased heading may run on after the surname ("Vice President Harris Aboard Air
    Force Two"): the person's surname first in the mention names them too.
    """
    surname = name_key(person).split()[-1:]
    words = name_key(" ".join([*mention.given, mention.surname])).split()
    if not surname or surname[0] not in words:
        return False
    if words[0] == surname[0]:
        return True
    return not mention.full or _same_given(mention, person)


def _same_given(mention: Mention, person: str) -> bool:
    given = [word for word in mention.given if word[:1].isalpha()]
    person_words = person.split()
    if not given or len(person_words) < 2:
        return not given
    return given[0][:1].casefold() == person_words[0][:1].casefold()


def _other_office(mention: Mention, titles: list[str]) -> bool:
    """'SECRETARY BLINKEN' is not the 'Ambassador Blinken' of the text: titles that disagree."""
    printed = [word for word in mention.before if word in TITLE_WORDS and word not in HONORIFICS]
    return bool(titles and printed and not set(titles) & set(printed))


def _office_fits(term: OfficeTerm, titles: list[str]) -> bool:
    words = set(plain_words(" ".join([term.office, *term.labels])))
    return set(titles) <= words


def _said(person: str, body: str) -> bool:
    surname = person.split()[-1].casefold()
    return bool(surname) and surname in body.casefold()


def _surname_key(name: str) -> str:
    shape, _, rest = label_shape(name)
    key = name_key(rest if shape in {"titled", "surname", "full"} else "")
    return key.split()[-1] if key else ""


def _given_key(name: str) -> str:
    """The given name's key ('v' for "V. Putin"), '' when the name prints none."""
    shape, _, rest = label_shape(name)
    if shape != "full":
        return ""
    words = name_key(rest).split()
    return words[0] if len(words) > 1 else ""


def fullness(name: str) -> int:
    """2 for a full name, 1 for an initial and surname ("V. Putin"), 0 for a surname alone
    or with a title ("Psaki", "Secretary Granholm"), -1 for a role ("The President") or
    what names nobody ("?", "THE")."""
    shape, _, rest = label_shape(name)
    if shape == "role" or not name_key(rest) or name_key(rest) == "the":
        return -1
    if shape != "full":
        return 0
    return 2 if len(_given_key(name)) > 1 else 1


def same_person(name: str, other: str) -> bool:
    """Whether two names of participants can name one person across transcripts.

    Equal names do; a surname, title and surname or initial and surname does for the full
    name it shortens ("Psaki", "Ms. Psaki", "J. Psaki" for "Jen Psaki"); two different full
    names ("Sarah Sanders", "Symone Sanders") or roles never do.
    """
    if name_key(name) == name_key(other):
        return fullness(name) >= 0
    if min(fullness(name), fullness(other)) < 0:
        return False
    genders = {_HONORIFIC_GENDER.get(word.casefold().strip(".")) for word in name.split()[:1]}
    genders |= {_HONORIFIC_GENDER.get(word.casefold().strip(".")) for word in other.split()[:1]}
    if {"m", "f"} <= genders:
        return False  # "Mr. Smith" is not "Ms. Smith"
    surname = _surname_key(name)
    if not surname or surname != _surname_key(other):
        return False
    given, other_given = _given_key(name), _given_key(other)
    if len(given) > 1 and len(other_given) > 1:
        return name_key(label_shape(name)[2]) == name_key(label_shape(other)[2])
    return not given or not other_given or given[0] == other_given[0]


def matching_names(name: str, aliases: tuple[str, ...]) -> list[str]:
    """The names that find a speaker's participant in other transcripts: not its roles."""
    return [alias for alias in (name, *aliases) if fullness(alias) >= 0]
