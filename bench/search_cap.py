"""What ranking only the first matches (interviews.api.selectors.RANKED) costs in relevance.

For the most frequent words of a database's turns, pairs of them, and the README's
searches, the first page by relevance with every match ranked is compared with the
first page when only the first N matches are: how many of the first 10 hits are the
same, and whether the first hit is. Run it on a database of the dev corpus:

    createdb interviews_devrel
    DATABASE_URL=postgres://…/interviews_devrel .venv/bin/python manage.py migrate
    DATABASE_URL=… .venv/bin/python manage.py import_transcripts ../shared/corpus/dev/*.txt
    DATABASE_URL=… .venv/bin/python bench/search_cap.py
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

README_SEARCHES = ['"vaccine nationalism"', "vaccine -children", "vaccines"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--caps", default="250,500,1000", help="values of RANKED to compare")
    parser.add_argument("--words", type=int, default=40, help="frequent words to search (40)")
    args = parser.parse_args()

    import django

    django.setup()
    from api_bench import STOPWORDS

    from interviews.api import selectors
    from interviews.models import Turn

    frequency: Counter[str] = Counter()
    for text in Turn.objects.values_list("text", flat=True).iterator():
        words = set(re.findall(r"[a-z]+", text.lower()))
        frequency.update(w for w in words if len(w) >= 5 and w not in STOPWORDS)
    words = [word for word, _ in frequency.most_common(args.words)]
    pairs = [f"{a} {b}" for a, b in itertools.islice(itertools.combinations(words[:8], 2), 12)]
    searches = README_SEARCHES + words + pairs

    def first_page(q: str, cap: int) -> list[int]:
        selectors.RANKED = cap
        query = selectors.TurnQuery.from_filters({"q": q})
        return [row.id for row in query.page(10)]

    exact = {q: first_page(q, 10**9) for q in searches}
    matches = {
        q: selectors.TurnQuery.from_filters({"q": q}).page(10**6).__len__() for q in searches
    }
    print(
        f"{Turn.objects.count():,} turns; {len(searches)} searches "
        f"({len(README_SEARCHES)} from the README, {len(words)} frequent words, "
        f"{len(pairs)} pairs of them)\n"
    )
    print(
        "| ranked at most | searches with more matches | first hit the same "
        "| of the first 10 the same |"
    )
    print("|---:|---:|---:|---:|")
    for cap in [int(value) for value in args.caps.split(",")]:
        pages = {q: first_page(q, cap) for q in searches}
        over = sum(1 for q in searches if matches[q] > cap)
        same_first = sum(1 for q in searches if pages[q][:1] == exact[q][:1])
        overlap = sum(len(set(pages[q]) & set(exact[q])) for q in searches)
        total = sum(len(exact[q]) for q in searches)
        print(
            f"| {cap:,} | {over} of {len(searches)} | {same_first} of {len(searches)} "
            f"| {overlap / total:.0%} |"
        )
    changed = [
        q for q in README_SEARCHES if first_page(q, min(map(int, args.caps.split(",")))) != exact[q]
    ]
    print(f"\nREADME searches whose first page changes at the smallest cap: {changed or 'none'}")


if __name__ == "__main__":
    main()
