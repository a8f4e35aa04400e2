"""The suite's one seed source (tests/_seeds.py): fixed by default, replayable, refused when malformed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import _seeds

TESTS = Path(__file__).resolve().parent


def _seed_in_child(value: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != _seeds.ENV}
    if value is not None:
        env[_seeds.ENV] = value
    return subprocess.run([sys.executable, "-c", "import _seeds; print(_seeds.SEED, _seeds.EXPLORING)"],
                          cwd=TESTS, env=env, capture_output=True, text=True, timeout=60)


def test_generators_depend_only_on_the_seed_and_the_label():
    assert _seeds.rng("a", 1).random() == _seeds.rng("a", 1).random()
    assert _seeds.rng("a", 1).random() != _seeds.rng("a", 2).random()


def test_unset_means_the_fixed_seed_and_a_number_replays():
    assert _seed_in_child(None).stdout.split() == [str(_seeds.DEFAULT_SEED), "False"]
    assert _seed_in_child("289424").stdout.split() == ["289424", "True"]


def test_a_malformed_seed_is_refused_with_what_is_accepted():
    result = _seed_in_child("lucky")
    assert result.returncode != 0
    assert "MEGABACKDOOR_SEED='lucky' is not accepted: use a whole number, 'random'" in result.stderr


def test_a_stock_seed_stays_on_a_plain_run():
    assert _seeds.seed(6, "label") == (6 if not _seeds.EXPLORING else _seeds.rng("label", 6).randrange(2**32))
