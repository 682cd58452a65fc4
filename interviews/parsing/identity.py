"""Which labels of one transcript name the same person."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Label, OutletRef, ParseWarning, Speaker
from .text import name_key, slugify


@dataclass
class _Person:
    key: str
    name: str
    label: str
    anonymous: bool = False
    role: str = ""
    outlets: list[OutletRef] = field(default_factory=list)
    spellings: list[str] = field(default_factory=list)

    @property
    def tokens(self) -> list[str]:
        return name_key(self.name).split()


class IdentityResolver:
    """Clusters labels into people: exact keys, bare surnames, initials, suffixes, typos."""

    def __init__(self) -> None:
        self._people: list[_Person] = []
        self.warnings: list[ParseWarning] = []

    def known_names(self) -> frozenset[str]:
        """Keys a bare one-word label may match: surnames and names already seen."""
        keys: set[str] = set()
        for person in self._people:
            if not person.anonymous:
                keys.add(name_key(person.name))
                keys.add(person.tokens[-1])
        return frozenset(keys)

    def resolve(self, label: Label, line: int) -> str:
        """The speaker key for a label, creating a person when nobody matches."""
        if label.anonymous:
            key = f"anonymous:{label.name.casefold()}"
            person = next((p for p in self._people if p.key == key), None)
            if person is None:
                person = _Person(key=key, name=label.name, label=label.printed, anonymous=True)
                self._people.append(person)
            return person.key
        person = self._match(label.name, line)
        if person is None:
            person = _Person(key=self._new_key(label.name), name=label.name, label=label.printed)
            self._people.append(person)
        self._absorb(person, label)
        return person.key

    def speakers(self) -> tuple[Speaker, ...]:
        return tuple(
            Speaker(
                key=person.key,
                name=person.name,
                label=person.label,
                role=person.role,
                outlets=tuple(person.outlets),
                aliases=tuple(s for s in person.spellings if s != person.name),
                anonymous=person.anonymous,
            )
            for person in self._people
        )

    def _named(self) -> list[_Person]:
        return [person for person in self._people if not person.anonymous]

    def _match(self, name: str, line: int) -> _Person | None:
        key = name_key(name)
        tokens = key.split()
        people = self._named()
        exact = [p for p in people if name_key(p.name) == key]
        if exact:
            return exact[0]
        if len(tokens) == 1:
            return _unique([p for p in people if p.tokens[-1] == key])
        if len(tokens[0]) == 1:  # "T. Colton" is "Timothy Colton"
            return _unique(
                [
                    p
                    for p in people
                    if p.tokens[-1] == tokens[-1] and p.tokens[0].startswith(tokens[0])
                ]
            )
        suffix = _unique(
            [p for p in people if f" {key}".endswith(f" {name_key(p.name)}")]
            or [p for p in people if f" {name_key(p.name)}".endswith(f" {key}")]
        )
        if suffix:
            return suffix
        typo = _unique([p for p in people if _one_typo_apart(p.tokens, tokens)])
        if typo:
            self.warnings.append(
                ParseWarning(line, f'"{name}" taken as a misspelling of "{typo.name}"')
            )
        return typo

    def _absorb(self, person: _Person, label: Label) -> None:
        # The longest printed form of the name becomes the display name.
        if len(label.name.split()) > len(person.name.split()):
            person.name = label.name
        if len(label.name.split()) > 1 and label.name not in person.spellings:
            person.spellings.append(label.name)
        if not person.role and label.role:
            person.role = label.role
        for outlet in label.outlets:
            if outlet.name not in {known.name for known in person.outlets}:
                person.outlets.append(outlet)

    def _new_key(self, name: str) -> str:
        base = slugify(name) or "speaker"
        taken = {person.key for person in self._people}
        key, number = base, 2
        while key in taken:
            key, number = f"{base}-{number}", number + 1
        return key


def _unique(candidates: list[_Person]) -> _Person | None:
    return candidates[0] if len(candidates) == 1 else None


def _one_typo_apart(known: list[str], new: list[str]) -> bool:
    """Same number of name parts, all equal but one that is one edit away (and long)."""
    if len(known) != len(new) or len(known) < 2:
        return False
    different = [(a, b) for a, b in zip(known, new, strict=True) if a != b]
    return (
        len(different) == 1
        and min(map(len, different[0])) >= 4
        and _edit_distance_one(*different[0])
    )


def _edit_distance_one(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    shorter, longer = sorted((a, b), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))
