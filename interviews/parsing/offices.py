"""The dated table of office holders, as the parser reads it (pure data, no Django).

"THE PRESIDENT" on 14 July 2021 is whoever held the office a transcript's label stands for
on that day. The table ships as a fixture (fixtures/offices.json), lives in the database,
and editors extend it in the admin; the importer hands it to the parser as OfficeTerms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .text import name_key


@dataclass(frozen=True)
class OfficeTerm:
    """One person in one office from start (inclusive) to end (exclusive; None: still)."""

    office: str
    labels: tuple[str, ...]  # the role labels that stand for the office: "The President"
    person: str
    start: dt.date | None = None
    end: dt.date | None = None

    def held_on(self, date: dt.date | None) -> bool:
        if date is None:
            return False
        return (self.start is None or self.start <= date) and (self.end is None or date < self.end)

    @property
    def label_keys(self) -> frozenset[str]:
        return frozenset(office_key(label) for label in (*self.labels, self.office))


def office_key(label: str) -> str:
    """'THE PRESIDENT', 'President' -> 'president': an office's words without 'the'."""
    key = name_key(label)
    return key[len("the ") :] if key.startswith("the ") else key


def holders(terms: Iterable[OfficeTerm], label: str, date: dt.date | None) -> list[OfficeTerm]:
    """The terms of the offices the role label stands for, held on date, one per person."""
    key = office_key(label)
    found: dict[str, OfficeTerm] = {}
    for term in terms:
        if key in term.label_keys and term.held_on(date):
            found.setdefault(name_key(term.person), term)
    return list(found.values())


def holders_named(
    terms: Iterable[OfficeTerm], surname: str, date: dt.date | None, any_time: bool = False
) -> list[OfficeTerm]:
    """The terms held on date (or at any time) by people with this surname ("Psaki")."""
    key = name_key(surname)
    found: dict[str, OfficeTerm] = {}
    for term in terms:
        person = name_key(term.person)
        held = any_time or term.held_on(date)
        if held and (person == key or person.endswith(f" {key}")):
            found.setdefault(person, term)
    return list(found.values())
