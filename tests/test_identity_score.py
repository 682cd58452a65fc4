"""The identity score on the dev corpus, pinned (bench/score_identity.py measures it).

Needs the gold corpus at ../shared/corpus/dev (CI has it); without it the test is skipped
and says so.
"""

import importlib.util
import sys

import pytest
from django.core.management import call_command

from .conftest import ROOT

GOLD = ROOT.parent / "shared" / "corpus" / "dev"


def _scorer():
    spec = importlib.util.spec_from_file_location(
        "score_identity", ROOT / "bench" / "score_identity.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
@pytest.mark.skipif(not GOLD.is_dir(), reason=f"the gold dev corpus is not at {GOLD}")
def test_every_participant_is_one_person_and_every_person_one_participant():
    scorer = _scorer()
    call_command("load_fixtures", ROOT / "fixtures" / "offices.json", verbosity=0)
    report = scorer.score(GOLD)
    assert report.failures == []
    assert report.documents == 75
    assert report.by_source["whitehouse"].f1 >= 0.99
    assert report.by_source["kremlin"].f1 >= 0.99
    assert report.overall.turns > 2700
    assert report.two_people == []
    assert report.split == []
    assert len(report.lookup) >= 25
    assert min(report.lookup.values()) >= 0.95


def test_bcubed_counts_a_merge_and_a_split():
    scorer = _scorer()
    perfect = scorer.bcubed([("a", "1"), ("a", "1"), ("b", "2")])
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    merged = scorer.bcubed([("a", "1"), ("a", "1"), ("b", "1")])
    assert merged.recall == 1.0 and merged.precision == pytest.approx((2 / 3 * 2 + 1 / 3) / 3)
    split = scorer.bcubed([("a", "1"), ("a", "2")])
    assert split.precision == 1.0 and split.recall == 0.5
