"""Issue 18, fuzzing: each target of ``fuzz/targets.py`` (the PNG and SVG unbakers, the compact JWS parser, the
verifier's intake of a file, the CSV reader) run by atheris (coverage-guided, libFuzzer) from its seed corpus, a few
thousand executions each: no undeclared exception, each input under 2 s, the process under 256 MiB. ``make soak``
runs a million each."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fuzz.seeds import write_seeds
from fuzz.targets import TARGETS

ROOT = Path(__file__).resolve().parents[1]
RUNS = {"verify_intake": 20_000}
DEFAULT_RUNS = 100_000


def _without_coverage() -> dict[str, str]:
    """The environment, without pytest-cov's variables: a fuzzed process measured by coverage grows without end."""
    return {name: value for name, value in os.environ.items() if not name.startswith(("COV_CORE", "COVERAGE"))}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_seeds(tmp_path_factory.mktemp("fuzz-seeds"))


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_a_short_fuzzing_run_finds_no_undeclared_exception(name: str, seeds: dict[str, Path], tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds[name], corpus)  # libFuzzer adds what it finds to the corpus: a copy of ours
    runs = RUNS.get(name, DEFAULT_RUNS)
    # through a shell that forks it: a process keeps the peak memory of the one that exec'd it (getrusage), and
    # libFuzzer's -rss_limit_mb would count this test worker's own peak; forked by a small shell, it starts afresh
    done = subprocess.run(["sh", "-c", '"$0" "$@"; exit $?', sys.executable, "-m", "fuzz.run", name, str(corpus),
                           f"-runs={runs}", "-timeout=2", "-rss_limit_mb=256", "-max_len=65536", "-seed=1",
                           f"-artifact_prefix={tmp_path}/"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT, env=_without_coverage())
    assert done.returncode == 0, f"{name}: libFuzzer stopped on a finding\n{done.stderr[-6000:]}"
    assert re.search(rf"Done {runs} runs", done.stderr), done.stderr[-2000:]
    assert not list(tmp_path.glob("crash-*")) and not list(tmp_path.glob("timeout-*"))
