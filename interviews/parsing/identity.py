"""Which labels of one transcript name the same person.

All labels of the text are known before any is resolved, so a bare surname or a
misspelling is judged against every person in the text, not only those seen before it.
Labels first group by exact name key; groups then merge by suffix ("Putin" = "Vladimir
Putin"), initials ("T. Colton"), a bare title ("THE PRESIDENT" = "PRESIDENT BIDEN") and
spelling (transliteration variants, a typo of a more frequent label), each only when the
match is unique. Merges by spelling are reported as warnings.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from .identity_rules import (
    bare_title_match,
    initial_match,
    misspelling_match,
    misspelt_side,
    suffix_matches,
)
from .labels import clean_label
from .model import Label, OutletRef, ParseWarning, Speaker
from .names import name_tokens, plain_words, title_case
from .openings import hearing_name, is_hearing_name
from .people import Context, label_shape, resolve
from .text import name_key, slugify
from .uppercase import is_upper_label
from .vocabulary import HONORIFICS


@dataclass(eq=False)  # groups are compared by identity
class Group:
    """Labels with one exact identity key, in order of appearance."""

    key: str
    name: str
    labels: list[Label] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    anonymous: bool = False
    parent: Group | None = None
    misspelling: bool = False
    merged_turns: int = 0

    @property
    def tokens(self) -> list[str]:
        return name_tokens(self.name)

    @property
    def words(self) -> list[str]:
        return plain_words(self.name)

    @property
    def turns(self) -> int:
        return len(self.labels)

    def turns_total(self) -> int:
        """Turns of this group and of the groups merged into it."""
        return len(self.labels) + self.merged_turns

    def root(self) -> Group:
        group = self
        while group.parent is not None:
            group = group.parent
        return group


def resolve_speakers(
    labels: list[tuple[Label, int]],
    title: str = "",
    context: Context | None = None,
    texts: list[tuple[str, str]] | None = None,
) -> tuple[list[str], tuple[Speaker, ...], list[ParseWarning]]:
    """Speaker keys for the labels (same order), the speakers, and warnings.

    context and texts (for each label, the text before its turn and the turn's own) let
    role, title and surname labels be resolved to the people behind them (parsing.people).
    """
    context = context or Context(title=title)
    groups: dict[str, Group] = {}
    order: list[Group] = []
    introductions: dict[int, list[str]] = {}
    for index, (label, line) in enumerate(labels):
        key = _exact_key(label)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(key, label.name, anonymous=label.anonymous)
            order.append(group)
            if texts is not None:
                introductions[id(group)] = list(texts[index])
        group.labels.append(label)
        group.lines.append(line)
    warnings = _merge(order, context.title or title)
    speakers, keys_by_root = _speakers(order, context, introductions)
    keys = [keys_by_root[id(groups[_exact_key(label)].root())] for label, _ in labels]
    return keys, speakers, warnings


def _exact_key(label: Label) -> str:
    if label.anonymous:
        return f"anonymous:{label.name.casefold()}"
    key = name_key(label.name) or label.name.casefold()
    # "THE PRESIDENT" and "PRESIDENT" name the same office.
    return key[len("the ") :] if key.startswith("the ") and " " in key else key


def _merge(order: list[Group], title: str) -> list[ParseWarning]:
    warnings: list[ParseWarning] = []
    named = [group for group in order if not group.anonymous]
    # Longer names first, so that a short label finds the person its long forms make up.
    for group in sorted(named, key=lambda g: -len(g.tokens)):
        candidates = suffix_matches(group, named)
        roots = _distinct_roots(candidates)
        if len(roots) == 1:
            _attach(group, roots[0])
        elif len(roots) > 1 and len(group.tokens) == 1:
            names = " or ".join(f'"{root.name}"' for root in roots[:3])
            warnings.append(
                ParseWarning(group.lines[0], f'"{group.name}" could be {names}; kept apart')
            )
    for group in named:
        if group.parent is None:
            match = initial_match(group, named) or bare_title_match(group, named, title)
            if match is not None and match.root() is not group:
                _attach(group, match.root())
    # The rarer of two spellings is the misspelling; of two equally rare, the later one.
    for group in sorted(named, key=lambda g: (g.turns_total(), -g.lines[0])):
        if group.parent is not None or not group.tokens:
            continue
        found = misspelling_match(group, [g for g in named if g.root() is not group])
        if found is None:
            continue
        match, variant = found
        misspelt, correct = misspelt_side(group, match)
        misspelt.misspelling = not variant
        _attach(group, match.root())
        what = "another spelling" if variant else "a misspelling"
        warnings.append(
            ParseWarning(
                misspelt.lines[0], f'"{misspelt.name}" taken as {what} of "{correct.name}"'
            )
        )
    return warnings


def _distinct_roots(groups: list[Group]) -> list[Group]:
    roots: list[Group] = []
    for group in groups:
        root = group.root()
        if root not in roots:
            roots.append(root)
    return roots


def _attach(group: Group, root: Group) -> None:
    child = group.root()
    if child is not root:
        child.parent = root
        root.merged_turns += child.turns_total()


def _speakers(
    order: list[Group], context: Context, introductions: dict[int, list[str]]
) -> tuple[tuple[Speaker, ...], dict[int, str]]:
    members: dict[int, list[Group]] = {}
    roots: list[Group] = []
    for group in order:
        root = group.root()
        if id(root) not in members:
            members[id(root)] = []
            roots.append(root)
        members[id(root)].append(group)
    # A person's turns in order of appearance decide the first label, role and outlets.
    roots.sort(key=lambda root: min(min(g.lines) for g in members[id(root)]))
    taken: set[str] = set()
    speakers: list[Speaker] = []
    keys: dict[int, str] = {}
    by_person: dict[str, int] = {}  # name key of a resolved person -> index in speakers
    for root in roots:
        groups = members[id(root)]
        speaker = _speaker(root, groups, taken)
        if not speaker.anonymous:
            first = min(groups, key=lambda group: min(group.lines))
            speaker = _resolved(speaker, groups, context, introductions.get(id(first), []))
        person = name_key(speaker.name)
        if not speaker.anonymous and not speaker.per_event and person in by_person:
            # Labels the rules above kept apart that name one person: "THE PRESIDENT" and
            # "PRESIDENT BIDEN" in a text with two presidents, both resolved to Joe Biden.
            index = by_person[person]
            speakers[index] = _joined(speakers[index], speaker)
            keys[id(root)] = speakers[index].key
            continue
        if not speaker.anonymous and not speaker.per_event:
            by_person[person] = len(speakers)
        taken.add(speaker.key)
        keys[id(root)] = speaker.key
        speakers.append(speaker)
    return tuple(speakers), keys


def _resolved(
    speaker: Speaker, groups: list[Group], context: Context, introductions: list[str]
) -> Speaker:
    """The speaker under the name of the person its labels stand for (parsing.people)."""
    person = resolve(speaker.name, introductions, context)
    shape = label_shape(speaker.name)[0]
    if shape == "full" and person.name == speaker.name:
        return speaker  # a full name as printed: nothing to resolve, nothing to add
    name = person.name
    if shape == "surname" and not person.resolved:
        # Nobody named them: "Ms. Smith" and "Mr. Smith" of other briefings are two people.
        counts = Counter(label for group in groups for label in group.labels)
        forms = Counter()
        for label, count in counts.items():
            form = _printed_form(label)
            if form.split()[0].casefold().strip(".") in HONORIFICS:
                forms[form] += count
        if forms:
            name = forms.most_common(1)[0][0]
    aliases = list(speaker.aliases)
    if not person.per_event:
        # The labels as printed find the person too: "The President", "Ms. Psaki".
        printed = dict.fromkeys(label for group in groups for label in group.labels)
        for form in [speaker.name, *(_printed_form(label) for label in printed)]:
            if name_key(form) != name_key(name) and len(form.split()) > 1 and form not in aliases:
                aliases.append(form)
    return replace(
        speaker,
        name=name,
        role=speaker.role or person.role,
        aliases=tuple(aliases),
        per_event=person.per_event,
    )


def _printed_form(label: Label) -> str:
    """'MS. PSAKI' -> 'Ms. Psaki', 'THE PRESIDENT' -> 'The President'."""
    core = clean_label(label.printed)
    if not is_upper_label(core):
        return hearing_name(core) if is_hearing_name(core) else core
    words = title_case(core).split()
    if words and words[0].casefold().strip(".") in HONORIFICS:
        words[0] = words[0].capitalize()
    return " ".join(words)


def _joined(kept: Speaker, other: Speaker) -> Speaker:
    aliases = list(kept.aliases)
    for alias in [other.name, *other.aliases]:
        if alias not in aliases and name_key(alias) != name_key(kept.name):
            aliases.append(alias)
    outlets = list(kept.outlets) + [o for o in other.outlets if o not in kept.outlets]
    return replace(
        kept, role=kept.role or other.role, aliases=tuple(aliases), outlets=tuple(outlets)
    )


def _speaker(root: Group, groups: list[Group], taken: set[str]) -> Speaker:
    labelled = sorted(
        (
            (line, label, group)
            for group in groups
            for line, label in zip(group.lines, group.labels, strict=True)
        ),
        key=lambda item: item[0],
    )
    first = labelled[0][1]
    if root.anonymous:
        return Speaker(key=root.key, name=root.name, label=first.printed, anonymous=True)
    # Each distinct printed name once, in order of appearance.
    names = list(
        {(label.name, id(group)): (label.name, group) for _, label, group in labelled}.values()
    )
    name = display_name(names)
    aliases: list[str] = []
    for alias, _group in names:
        extended = name_key(alias) != name_key(name) and name_key(alias).endswith(
            f" {name_key(name)}"
        )
        if len(alias.split()) > 1 and alias != name and alias not in aliases and not extended:
            aliases.append(alias)
    role = next((label.role for _, label, _ in labelled if label.role), "")
    outlets: list[OutletRef] = []
    for label in dict.fromkeys(label for _, label, _ in labelled):
        for outlet in label.outlets:
            if outlet.name not in {known.name for known in outlets}:
                outlets.append(outlet)
    return Speaker(
        key=_new_key(name, taken),
        name=name,
        label=first.printed,
        role=role,
        outlets=tuple(outlets),
        aliases=tuple(aliases),
    )


def display_name(names: list[tuple[str, Group]]) -> str:
    """The fullest printed name: not a misspelling, not a name with a title glued in front."""
    candidates = [name for name, group in names if not group.misspelling] or [
        name for name, _ in names
    ]
    keys = {name_key(name) for name in candidates}
    plain = [
        name
        for name in candidates
        if not re.match(r"(?i)the\s", name)
        and not any(
            other != name_key(name) and " " in other and name_key(name).endswith(f" {other}")
            for other in keys
        )
    ] or candidates
    # An initial or abbreviation is no given name: "S. PSAKI" and "QMS. PSAKI" are slips
    # for "MS. PSAKI", "T. Colton" short for "Timothy Colton"; the name printed without
    # one names the person.
    plain = [name for name in plain if not re.match(r"\w+\.\s*\w", name)] or plain
    return max(plain, key=lambda name: len(name.split()))


def _new_key(name: str, taken: set[str]) -> str:
    base = slugify(name) or "speaker"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key
