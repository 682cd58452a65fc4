"""Score speaker identity across transcripts: is each participant one person, and each
person one participant?

Imports the dev corpus (../shared/corpus/dev, "-wrapped" copies left out: they repeat an
event) in order, with the shipped office table, into a scratch PostgreSQL database, then
compares every labelled speech turn's participant with the person bench/identity_gold.tsv
says spoke it (turns of anonymous classes such as "Q" are left out: they are nobody's).

- B-cubed precision / recall / F1 over those turns (Bagga and Baldwin): for each turn, the
  share of its participant's turns that are its person's, and of its person's turns that
  are its participant's; averaged over turns, so a busy speaker weighs more.
- participants holding two people, each with 5 or more turns of it;
- people split over several participants;
- `?speaker=<full name>` (the API's lookup) for each person found in 2+ documents: the
  share of their turns it returns.

A benchmark, not a test (tests/test_identity_score.py pins the numbers):

    .venv/bin/python bench/score_identity.py                 # scratch database, dropped after
    .venv/bin/python bench/score_identity.py --json out.json --show-errors
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT.parent / "shared" / "corpus" / "dev"
GOLD_PEOPLE = ROOT / "bench" / "identity_gold.tsv"
OFFICES = ROOT / "fixtures" / "offices.json"
# A participant holds two people when each has at least this many of its turns.
TWO_PEOPLE_TURNS = 5


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    turns: int


@dataclass
class Report:
    documents: int
    overall: Scores
    by_source: dict[str, Scores]
    two_people: list[tuple[str, list[tuple[str, int]]]]  # participant, [(person, turns)]
    split: list[tuple[str, list[tuple[str, int]]]]  # person, [(participant, turns)]
    lookup: dict[str, float]  # person -> share of their turns ?speaker=<name> returns
    failures: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "documents": self.documents,
            "overall": vars(self.overall),
            "by_source": {source: vars(scores) for source, scores in self.by_source.items()},
            "participants_holding_two_people": self.two_people,
            "people_split": self.split,
            "speaker_lookup": self.lookup,
            "failures": self.failures,
        }


def bcubed(items: list[tuple[str, str]]) -> Scores:
    """B-cubed over (gold person, predicted participant) pairs, one per turn."""
    if not items:
        return Scores(0.0, 0.0, 0.0, 0)
    by_gold = Counter(gold for gold, _ in items)
    by_predicted = Counter(predicted for _, predicted in items)
    both = Counter(items)
    precision = sum(both[item] / by_predicted[item[1]] for item in items) / len(items)
    recall = sum(both[item] / by_gold[item[0]] for item in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, len(items))


def read_people(path: Path = GOLD_PEOPLE) -> dict[tuple[str, str], str]:
    """(document id, gold speaker key) -> person."""
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    return {
        (row["document"], row["speaker"]): row["person"]
        for row in csv.DictReader(rows, delimiter="\t")
    }


def documents(gold: Path) -> list[Path]:
    return [path for path in sorted(gold.glob("*.gold.json")) if "-wrapped" not in path.name]


def score(gold: Path = DEFAULT_GOLD, people_path: Path = GOLD_PEOPLE) -> Report:
    """Import the corpus into the configured (empty, migrated) database and score it.

    Django must be set up; the office table should be loaded (fixtures/offices.json).
    """
    from interviews.api.selectors import participant_ids_named
    from interviews.ingest.imports import transcript_import
    from interviews.models import Participant, Turn
    from interviews.parsing import TranscriptError

    people = read_people(people_path)
    turns_of: list[tuple[str, str, str, int]] = []  # (source, person, doc, line)
    events: dict[str, str] = {}
    failures: list[str] = []
    paths = documents(gold)
    for path in paths:
        document = json.loads(path.read_text(encoding="utf-8"))
        text = path.with_name(path.name.replace(".gold.json", ".txt"))
        try:
            result = transcript_import(data=text.read_bytes(), source_name=text.name)
        except TranscriptError as error:
            failures.append(f"{document['id']}: {error}")
            continue
        events[document["id"]] = result.event_slug
        for paragraph in document["paragraphs"]:
            speaker = paragraph.get("speaker")
            if not paragraph.get("starts_turn") or paragraph.get("score") is False:
                continue
            person = people.get((document["id"], speaker))
            if person is None:
                continue  # an anonymous class
            # Each paragraph is one line, paragraphs one blank line apart.
            turns_of.append((document["source"], person, document["id"], 2 * paragraph["i"] + 1))

    predicted: dict[tuple[str, int], str] = {}
    names = dict(Participant.objects.values_list("pk", "slug"))
    for slug_of_event, rows in _turns_by_event(Turn, events):
        for line_start, line_end, speaker_id, turn_id in rows:
            for line in range(line_start, line_end + 1):
                predicted[(slug_of_event, line)] = (
                    names[speaker_id] if speaker_id else f"narrative #{turn_id}"
                )
    items: list[tuple[str, str, str]] = []  # (source, person, participant)
    for source, person, document, line in turns_of:
        if document not in events:
            continue
        participant = predicted.get((events[document], line), f"not found {document}:{line}")
        items.append((source, person, participant))

    pairs = [(person, participant) for _, person, participant in items]
    by_source = {
        source: bcubed([(p, q) for s, p, q in items if s == source])
        for source in sorted({source for source, _, _ in items})
    }
    holding: dict[str, Counter] = defaultdict(Counter)
    spread: dict[str, Counter] = defaultdict(Counter)
    for person, participant in pairs:
        holding[participant][person] += 1
        spread[person][participant] += 1
    two_people = [
        (participant, counts.most_common())
        for participant, counts in sorted(holding.items())
        if sum(1 for turns in counts.values() if turns >= TWO_PEOPLE_TURNS) >= 2
    ]
    split = [
        (person, counts.most_common())
        for person, counts in sorted(spread.items())
        if len(counts) > 1
    ]
    documents_of: dict[str, set[str]] = defaultdict(set)
    for _, person, document, _ in turns_of:
        documents_of[person].add(document)
    slugs = {slug: pk for pk, slug in names.items()}
    lookup = {}
    for person, docs in sorted(documents_of.items()):
        if len(docs) < 2:
            continue
        found = set(participant_ids_named([person]))
        counts = spread[person]
        hits = sum(turns for slug, turns in counts.items() if slugs.get(slug) in found)
        lookup[person] = hits / sum(counts.values())
    return Report(
        documents=len(events),
        overall=bcubed(pairs),
        by_source=by_source,
        two_people=two_people,
        split=split,
        lookup=lookup,
        failures=failures,
    )


def _turns_by_event(turn_model, events: dict[str, str]):
    slugs = sorted(set(events.values()))
    rows = (
        turn_model.objects.filter(event__slug__in=slugs)
        .values_list("event__slug", "line_start", "line_end", "speaker_id", "pk")
        .order_by("event__slug", "sequence")
    )
    grouped: dict[str, list] = defaultdict(list)
    for slug, *rest in rows:
        grouped[slug].append(rest)
    return grouped.items()


def print_report(report: Report, show_errors: bool = False) -> None:
    def line(label: str, scores: Scores) -> str:
        return (
            f"{label:<12} B-cubed P {scores.precision:.4f}  R {scores.recall:.4f}  "
            f"F1 {scores.f1:.4f}  ({scores.turns} turns)"
        )

    print(f"documents {report.documents} (failed: {len(report.failures)})")
    print(line("all", report.overall))
    for source, scores in report.by_source.items():
        print(line(source, scores))
    print(
        f"participants holding two people (each {TWO_PEOPLE_TURNS}+ turns): "
        f"{len(report.two_people)}"
    )
    print(f"people split over participants: {len(report.split)}")
    low = {person: share for person, share in report.lookup.items() if share < 0.95}
    print(
        f"?speaker=<full name> for the {len(report.lookup)} people of 2+ documents: "
        f"lowest {min(report.lookup.values(), default=1):.2f}, below 0.95: {len(low)}"
    )
    if show_errors:
        for participant, counts in report.two_people:
            print(f"  two people in {participant}: {counts}")
        for person, counts in report.split:
            print(f"  {person} split: {counts}")
        for person, share in low.items():
            print(f"  ?speaker={person}: {share:.2f}")
        for failure in report.failures:
            print(f"  failed: {failure}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="The gold dev corpus.")
    parser.add_argument("--people", type=Path, default=GOLD_PEOPLE, help="Identity gold (TSV).")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="A PostgreSQL server; a scratch database interviews_identity is made there.",
    )
    parser.add_argument("--keep-db", action="store_true", help="Keep the scratch database.")
    parser.add_argument("--json", type=Path, help="Also write the report as JSON here.")
    parser.add_argument("--show-errors", action="store_true", help="List what went wrong.")
    options = parser.parse_args()
    if not options.gold.is_dir():
        sys.exit(f"score_identity: error: no gold corpus at {options.gold} (see bench/README.md)")

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import harness

    url = harness.with_dbname(options.database_url, "interviews_identity")
    harness.create_database(url)
    try:
        harness.manage(url, "migrate", "--noinput")
        harness.manage(url, "load_fixtures", str(OFFICES))
        os.environ.update(harness.django_env(url))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        report = score(options.gold, options.people)
        from django.db import connections

        connections.close_all()
    finally:
        if not options.keep_db:
            harness.drop_database(url)
    print_report(report, options.show_errors)
    if options.json:
        options.json.write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
