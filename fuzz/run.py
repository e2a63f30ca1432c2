"""``python -m fuzz.run TARGET [CORPUS_DIR…] [libFuzzer options]``: fuzz one target of :mod:`fuzz.targets` with
atheris, our own modules instrumented (coverage-guided), until libFuzzer's ``-runs`` or ``-max_total_time``.

An undeclared exception stops the run with the input that raised it (libFuzzer writes it as ``crash-…``); so do an
input slower than ``-timeout`` seconds and a process above ``-rss_limit_mb``."""

from __future__ import annotations

import contextlib
import sys

import atheris

with atheris.instrument_imports(include=["app"]):
    from fuzz.targets import TARGETS


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: python -m fuzz.run {{{','.join(TARGETS)}}} [corpus…] [libFuzzer options]")
    target = TARGETS[sys.argv[1]]
    # the target's lazy imports, instrumented before the first input (atheris only instruments at import)
    with atheris.instrument_imports(include=["app"]), contextlib.suppress(target.declared):
        target.read(b"")

    def one_input(data: bytes) -> None:
        with contextlib.suppress(target.declared):
            target.read(data)

    atheris.Setup([sys.argv[0], *sys.argv[2:]], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
