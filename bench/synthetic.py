"""The benchmarks' one generator of synthetic data, loaded by the project's own loader.

Deterministic (random.Random(42)): events of 10 to 200 turns whose text is real
paragraphs recombined (../shared/corpus, or the seed without it), one very busy speaker
(the "president" of most events, answering questions), the others with Zipf-like turn
counts, roles and outlets on their appearances, answers linked to their questions. It
writes natural-key fixture files, which the benches load with the import
(`load_fixtures` or `fixture_load`): no bench knows the tables' columns, and loading
them measures the loader too.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import re
import shutil
import sys
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import ROOT, say

sys.path.insert(0, str(ROOT))  # interviews.parsing: pure Python, no Django

CORPUS = ROOT.parent / "shared" / "corpus"
SEED_TRANSCRIPT = ROOT / "fixtures" / "transcripts" / "2022-02-23-tass-russian-media-heads.txt"
BUSIEST_MIN = 50_000  # turns the busiest speaker gets at least (deep pages need them)
BATCH = 25_000  # turns per fixture file

FIRST_NAMES = (
    "Alexander Anna Boris Daria Dmitry Elena Fyodor Galina Igor Irina Kirill Ksenia Leonid "
    "Lyudmila Maxim Maria Nikolai Natalia Oleg Olga Pavel Polina Roman Svetlana Sergei Tatiana "
    "Vadim Vera Yuri Yulia James Jennifer Michael Karen Robert Linda David Susan Thomas Sarah "
    "Daniel Laura Andrew Emily Kevin Rachel Brian Megan Peter Hannah"
).split()
LAST_NAMES = (
    "Antonov Belov Volkov Gromov Danilov Egorov Zaitsev Ivanov Kozlov Lebedev Morozov Novikov "
    "Orlov Popov Romanov Sokolov Titov Ushakov Fedorov Kharitonov Tsvetkov Chernov Sharov "
    "Shchukin Yakovlev Anderson Baker Carter Dawson Ellis Foster Garcia Harris Irving Jensen "
    "Keller Lawson Mitchell Nolan Owens Parker Quinn Reynolds Sullivan Turner Underwood Vaughn "
    "Walsh Young Zimmerman"
).split()
ROLES = ("Correspondent", "Editor-in-Chief", "Minister", "Governor", "Anchor", "Ambassador", "")
OUTLET_PLACES = ("Northern", "Baltic", "Capital", "Evening", "Pacific", "Caspian", "Volga", "Urals")
OUTLET_MEDIA = (
    ("Herald", "newspaper"),
    ("Courier", "newspaper"),
    ("Radio", "radio"),
    ("Television", "tv"),
    ("News Agency", "news_agency"),
    ("Review", "magazine"),
)
LOCATIONS = ("Moscow", "St Petersburg", "Sochi", "Washington", "Kazan", "Vladivostok", "")
_LABEL = re.compile(r"^([^:]{1,80}):\s+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0\u2007\u202f]*\n")


def _clean(paragraph: str) -> str:
    text = " ".join(paragraph.replace("\\", "").split())
    label = _LABEL.match(text)
    if label and len(label.group(1).split()) <= 8 and label.group(1)[:1].isupper():
        text = text[label.end() :]
    elif text.startswith("Q "):
        text = text[2:]
    return text


def _document(text: str, min_chars: int) -> tuple[str, list[str]]:
    """A transcript's title and its usable paragraphs (labels stripped, short ones dropped)."""
    blocks = _PARAGRAPH_BREAK.split(text.strip())
    paragraphs = [_clean(block) for block in blocks[2:]]
    keep = [p for p in paragraphs if len(p) >= min_chars and not p.startswith(("(", "<", "*"))]
    return " ".join(blocks[0].split())[:300], keep


def corpus_paragraphs(rng: random.Random) -> tuple[list[str], list[str], str]:
    """Paragraphs and titles of real transcripts, shuffled; and where they came from."""
    documents: list[tuple[str, list[str]]] = []
    sources: list[str] = []
    dev = sorted((CORPUS / "dev").glob("*.txt"))
    documents += [_document(path.read_text("utf-8", errors="replace"), 80) for path in dev]
    if dev:
        sources.append(f"{len(dev)} dev files")
    for archive in sorted((CORPUS / "bulk").glob("*.tar.gz")):
        with tarfile.open(archive) as tar:
            members = sorted(
                (m for m in tar if m.isfile() and m.name.endswith(".txt")), key=lambda m: m.name
            )
            for member in members:
                handle = tar.extractfile(member)
                if handle is not None:
                    documents.append(_document(handle.read().decode("utf-8", "replace"), 80))
        sources.append(f"{archive.name} ({len(members)} files)")
    paragraphs = list(dict.fromkeys(p for _, found in documents for p in found))
    titles = list(dict.fromkeys(title for title, _ in documents if title))
    if not paragraphs:
        say(f"corpus not found at {CORPUS}: using the seed transcript's paragraphs instead")
        title, paragraphs = _document(SEED_TRANSCRIPT.read_text("utf-8"), 40)
        titles, sources = [title], [SEED_TRANSCRIPT.name]
    rng.shuffle(paragraphs)
    return paragraphs, titles, ", ".join(sources)


def zipf_counts(total: int, ranks: int) -> list[int]:
    """`total` split over `ranks` in proportion to 1/rank (largest remainders)."""
    weights = [1 / rank for rank in range(1, ranks + 1)]
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(ranks), key=lambda i: counts[i] - exact[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def person_names(count: int, rng: random.Random) -> list[str]:
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(names)
    initials = "ABCDEFGHIJKLMNOPRSTVW"
    more = itertools.chain(
        (f"{f} {i}. {last}" for i in initials for f in FIRST_NAMES for last in LAST_NAMES),
        # Past a million turns or so, two initials (the names before them stay the same).
        (
            f"{f} {i}. {j}. {last}"
            for i in initials
            for j in initials
            for f in FIRST_NAMES
            for last in LAST_NAMES
        ),
    )
    while len(names) < count:
        names.append(next(more))
    return names[:count]


NARRATIVE, BUSIEST, OTHER = -1, 0, 1  # slot kinds before speakers are assigned


def plan_slots(
    synthetic: int, rng: random.Random, busiest_min: int = BUSIEST_MIN
) -> list[list[int]]:
    """Events of 10 to 200 turns (mostly short), each turn NARRATIVE, BUSIEST or OTHER."""
    sizes: list[int] = []
    while sum(sizes) < synthetic:
        size = min(10 + int(190 * rng.random() ** 1.6), synthetic - sum(sizes))
        if size < 10 and sizes:
            sizes[-1] += size
        else:
            sizes.append(size)
    # The busiest speaker is the "president" of 90% of events and speaks about half the time.
    share = min(0.9, max(0.5, 1.05 * busiest_min / (0.9 * 0.95 * synthetic)))
    slots: list[list[int]] = []
    for size in sizes:
        present = rng.random() < 0.9
        event: list[int] = []
        for seq in range(size):
            if rng.random() < 0.04 or (seq == 0 and rng.random() < 0.5):
                event.append(NARRATIVE)
            else:
                event.append(BUSIEST if present and rng.random() < share else OTHER)
        slots.append(event)
    busiest = sum(s.count(BUSIEST) for s in slots)
    movable = [(e, i) for e, s in enumerate(slots) for i, k in enumerate(s) if k == OTHER]
    # Only with a small --turns: give the busiest more turns, up to 60% of the speech.
    wanted = min(busiest_min, int(0.6 * (busiest + len(movable)))) - busiest
    for e, i in rng.sample(movable, max(0, wanted)):
        slots[e][i] = BUSIEST
    return slots


def deal_speakers(slots: list[list[int]], rng: random.Random) -> list[list[int | None]]:
    """Person numbers per turn: 0 the busiest, 1.. the others with Zipf-like turn counts."""
    others = sum(s.count(OTHER) for s in slots)
    runs: list[tuple[int, int]] = []  # (person, length): a person speaks in runs of 1-8 turns
    for person, count in enumerate(zipf_counts(others, max(20, others // 18)), start=1):
        while count > 0:
            length = min(count, rng.randint(1, 8))
            runs.append((person, length))
            count -= length
    rng.shuffle(runs)
    stream = iter([person for person, length in runs for _ in range(length)])
    return [
        [None if k == NARRATIVE else 0 if k == BUSIEST else next(stream) for k in event]
        for event in slots
    ]


@dataclass
class Synthetic:
    files: list[Path] = field(default_factory=list)
    turns: int = 0
    events: int = 0
    participants: int = 0
    seconds: float = 0.0
    paragraphs: int = 0  # real paragraphs the texts are made of
    corpus: str = ""  # where they came from


def synthetic_fixtures(
    wanted: int, taken_slugs: set[str], target: Path, busiest_min: int = BUSIEST_MIN
) -> Synthetic:
    """Fixture files (in target, emptied first) of synthetic events adding `wanted` turns;
    participants' slugs avoid taken_slugs (and are added to it)."""
    from interviews.parsing import name_key, slugify

    started = time.perf_counter()
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    made = Synthetic()
    if wanted <= 0:
        return made
    rng = random.Random(42)
    paragraphs, titles, made.corpus = corpus_paragraphs(rng)
    made.paragraphs = len(paragraphs)
    slots = plan_slots(wanted, rng, busiest_min)
    speakers = deal_speakers(slots, rng)
    outlets = [
        (slugify(f"bench {place} {medium}"), f"{place} {medium}", kind)
        for place in OUTLET_PLACES
        for medium, kind in OUTLET_MEDIA
    ]
    people = []
    for n, name in enumerate(person_names(max(x or 0 for s in speakers for x in s) + 1, rng)):
        slug = base = slugify(name)
        suffix = 1
        while slug in taken_slugs:
            suffix += 1
            slug = f"{base}-{suffix}"
        taken_slugs.add(slug)
        role = "President" if n == 0 else rng.choice(ROLES)
        outlet = rng.choice(outlets)[0] if n and rng.random() < 0.4 else None
        people.append((slug, name, role, outlet))
    first_day, days = dt.date(2010, 1, 1), (dt.date(2024, 12, 31) - dt.date(2010, 1, 1)).days
    records: list[dict] = [
        {"model": "interviews.outlet", "fields": {"slug": s, "name": n, "kind": k}}
        for s, n, k in outlets
    ] + [
        {
            "model": "interviews.participant",
            "fields": {"slug": s, "name": n, "name_key": name_key(n), "is_anonymous": False},
        }
        for s, n, _, _ in people
    ]
    used = in_file = 0
    for number, event_speakers in enumerate(speakers):
        date = first_day + dt.timedelta(days=rng.randrange(days + 1))
        slug = f"{date}-bench-event-{number:05d}"
        records.append(
            _record(
                "event",
                slug=slug,
                title=titles[number % len(titles)],
                date=date.isoformat(),
                time=None,
                location=LOCATIONS[number % len(LOCATIONS)],
                summary="",
                source_name=f"bench-{number:05d}.txt",
                source_sha256="",
            )
        )
        for person in dict.fromkeys(p for p in event_speakers if p is not None):
            pslug, name, role, outlet = people[person]
            records.append(
                _record(
                    "appearance",
                    event=[slug],
                    participant=[pslug],
                    role=role,
                    label=f"{role} {name}".strip(),
                    outlets=[[outlet]] if outlet else [],
                )
            )
        line, question, seen = 5, None, set()
        for sequence, person in enumerate(event_speakers, start=1):
            parts = 1 if rng.random() < 0.8 else rng.choice((2, 2, 3))
            text = "\n\n".join(paragraphs[(used + i) % len(paragraphs)] for i in range(parts))
            used += parts
            speaker, shown, kind, reply = None, "", "narrative", None
            if person is not None:
                pslug, name, role, _ = people[person]
                if person == 0:
                    kind = "answer" if question else "speech"
                    reply = [slug, question] if question else None
                else:
                    kind = "question" if rng.random() < 0.3 else "speech"
                speaker = [pslug]
                shown = name if person in seen else f"{role} {name}".strip()
                seen.add(person)
            question = sequence if kind == "question" else None
            end = line + 2 * (parts - 1)
            records.append(
                _record(
                    "turn",
                    event=[slug],
                    sequence=sequence,
                    speaker=speaker,
                    speaker_label=shown,
                    kind=kind,
                    text=text,
                    attribution="",
                    line_start=line,
                    line_end=end,
                    in_reply_to=reply,
                )
            )
            line = end + 2
        made.turns += len(event_speakers)
        in_file += len(event_speakers)
        if in_file >= BATCH or number == len(speakers) - 1:
            path = target / f"synthetic-{len(made.files):03d}.json"
            path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
            made.files.append(path)
            records, in_file = [], 0
    made.events, made.participants = len(speakers), len(people)
    made.seconds = time.perf_counter() - started
    return made


def _record(model: str, **fields: Any) -> dict:
    return {"model": f"interviews.{model}", "fields": fields}
