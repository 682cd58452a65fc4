"""Score the transcript parser on the gold corpus: parse, write predictions, run the scorer.

A benchmark, not a test: it measures and prints, it asserts nothing.

    .venv/bin/python bench/score_parser.py                  # dev set, per-document table
    .venv/bin/python bench/score_parser.py --quiet          # totals only
    .venv/bin/python bench/score_parser.py --gold DIR --out DIR --json scores.json
    .venv/bin/python bench/score_parser.py --variant dashes # the dev set printed another way
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from interviews.parsing import (  # noqa: E402
    NARRATIVE,
    ParsedTranscript,
    TranscriptError,
    parse_transcript,
)

DEFAULT_GOLD = ROOT.parent / "shared" / "corpus" / "dev"
DEFAULT_OUT = ROOT / "bench" / "out" / "predictions"
DEFAULT_SCORER = ROOT.parent / "shared" / "tools" / "score_transcripts.py"


def prediction(parsed: ParsedTranscript) -> dict:
    """The scorer's format: turns in order and the speakers, anonymous classes flagged."""
    turns = []
    for turn in parsed.turns:
        kind = "narrative" if turn.kind == NARRATIVE or turn.speaker is None else "speech"
        entry = {"speaker": turn.speaker if kind == "speech" else None, "kind": kind}
        entry["text"] = turn.text
        turns.append(entry)
    speakers = {
        speaker.key: {"name": speaker.name, "anonymous": speaker.anonymous}
        for speaker in parsed.speakers
    }
    return {"turns": turns, "speakers": speakers}


def write_predictions(gold: Path, out: Path) -> tuple[int, list[str], int, float]:
    """Parse every <id>.txt of gold into out/<id>.json; returns counts, failures and time."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.json"):
        stale.unlink()
    failures: list[str] = []
    warnings = 0
    sources = sorted(gold.glob("*.txt"))
    started = time.perf_counter()
    for source in sources:
        try:
            parsed = parse_transcript(source.read_bytes(), source.name)
        except TranscriptError as error:
            failures.append(f"{source.stem}: {error}")
            continue
        warnings += len(parsed.warnings)
        target = out / f"{source.stem}.json"
        target.write_text(json.dumps(prediction(parsed), ensure_ascii=False), encoding="utf-8")
    return len(sources), failures, warnings, time.perf_counter() - started


# Format variants: the same paragraphs (so the same gold) printed the way other sources do.
# Each gets the paragraphs of the .txt and the gold paragraphs, and returns the new text or
# None to leave the document out. "-wrapped" documents are left out (they repeat others).
Variant = Callable[[list[str], list[dict]], str | None]


def _single_newlines(paragraphs: list[str], gold: list[dict]) -> str:
    return "\n\n".join(paragraphs[:2]) + "\n\n" + "\n".join(paragraphs[2:]) + "\n"


def _hard_wrapped(paragraphs: list[str], gold: list[dict]) -> str:
    wrap = textwrap.TextWrapper(72, break_on_hyphens=False, break_long_words=False)
    return "\n\n".join(wrap.fill(paragraph) for paragraph in paragraphs) + "\n"


def _relabelled(form: Callable[[str, str], str]) -> Variant:
    def variant(paragraphs: list[str], gold: list[dict]) -> str:
        out = []
        for text, paragraph in zip(paragraphs, gold, strict=True):
            body = text[paragraph["body_start"] :]
            labelled = paragraph["starts_turn"] and paragraph["label"] != "Q" and body.strip()
            out.append(form(paragraph["label"], body) if labelled else text)
        return "\n\n".join(out) + "\n"

    return variant


def _dashes(paragraphs: list[str], gold: list[dict]) -> str | None:
    """Two-person documents: after the first two turns, every label becomes a dash."""
    if len({p["speaker"] for p in gold if p["starts_turn"]}) != 2:
        return None
    out, turns = [], 0
    for text, paragraph in zip(paragraphs, gold, strict=True):
        turns += paragraph["starts_turn"]
        dashed = paragraph["starts_turn"] and turns > 2
        out.append("– " + text[paragraph["body_start"] :] if dashed else text)
    return "\n\n".join(out) + "\n"


VARIANTS: dict[str, Variant] = {
    "single-newlines": _single_newlines,
    "hard-wrapped": _hard_wrapped,
    "bold-labels": _relabelled(lambda label, body: f"**{label}:** {body}"),
    "own-line-labels": _relabelled(lambda label, body: f"{label}:\n\n{body}"),
    "dashes": _dashes,
}


def write_variant(gold: Path, name: str, target: Path) -> None:
    for gold_file in sorted(gold.glob("*.gold.json")):
        stem = gold_file.name.removesuffix(".gold.json")
        if stem.endswith("-wrapped"):
            continue
        paragraphs = (gold / f"{stem}.txt").read_text(encoding="utf-8").rstrip("\n").split("\n\n")
        document = json.loads(gold_file.read_text(encoding="utf-8"))
        text = VARIANTS[name](paragraphs, document["paragraphs"])
        if text is not None:
            (target / f"{stem}.txt").write_text(text, encoding="utf-8")
            shutil.copy(gold_file, target / gold_file.name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--gold",
        type=Path,
        default=DEFAULT_GOLD,
        help="Folder of <id>.txt and <id>.gold.json files (default: ../shared/corpus/dev).",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="Folder for the predictions, one <id>.json each; its old *.json files are removed "
        "(default: bench/out/predictions).",
    )
    parser.add_argument(
        "--scorer",
        type=Path,
        default=DEFAULT_SCORER,
        help="The scorer (default: ../shared/tools/score_transcripts.py).",
    )
    parser.add_argument("--quiet", action="store_true", help="Print the totals only.")
    parser.add_argument(
        "--json",
        type=Path,
        help="Where the scorer writes per-document results (default: <out>/../parser-scores.json).",
    )
    parser.add_argument(
        "--variant",
        choices=sorted(VARIANTS),
        help="Score the gold texts rewritten in another format (same gold) instead.",
    )
    args = parser.parse_args(argv)

    if not args.gold.is_dir() or not any(args.gold.glob("*.gold.json")):
        print(f"score_parser: the gold corpus is absent ({args.gold})", file=sys.stderr)
        return 2
    if not args.scorer.is_file():
        print(f"score_parser: the scorer is absent ({args.scorer})", file=sys.stderr)
        return 2
    if args.variant:
        with tempfile.TemporaryDirectory(prefix=f"{args.variant}-") as folder:
            write_variant(args.gold, args.variant, Path(folder))
            return score(args, Path(folder))
    return score(args, args.gold)


def score(args: argparse.Namespace, gold: Path) -> int:
    count, failures, warnings, seconds = write_predictions(gold, args.out)
    results = args.json or args.out.parent / "parser-scores.json"
    command = [sys.executable, str(args.scorer), "--gold", str(gold), "--predicted", str(args.out)]
    command += ["--json", str(results)] + (["--quiet"] if args.quiet else [])
    completed = subprocess.run(command, check=False)
    if completed.returncode != 0:
        return completed.returncode
    documents = json.loads(results.read_text(encoding="utf-8")).get("documents", [])
    exact = sum(1 for document in documents if document.get("speaker_error") == 0)
    print(f"speaker-count err  0 on {exact}/{len(documents)} documents")
    print(f"parsed {count} texts in {seconds:.2f} s, {warnings} warnings, {len(failures)} failed")
    for failure in failures:
        print(f"  FAILED {failure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
