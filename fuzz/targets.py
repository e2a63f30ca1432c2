"""The fuzz targets: what each reads, and the exceptions it declares. Anything else it raises is a finding.

Each target is a function of one input (bytes) that must return, or raise only its declared exceptions, for every
input: no crash, no other exception (atheris reports it with the input), each input within the per-input time
and the process within its memory limit (libFuzzer's ``-timeout`` and ``-rss_limit_mb``).
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = ["TARGETS", "Target"]


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    #: reads one input
    read: Callable[[bytes], object]
    #: what it may raise
    declared: tuple[type[BaseException], ...]


def _png(data: bytes) -> object:
    from app.badges.baking_png import unbake_png

    return unbake_png(data)


def _svg(data: bytes) -> object:
    from app.badges.baking_svg import unbake_svg

    return unbake_svg(data)


def _jws(data: bytes) -> object:
    from app.signing.jose_verify import parse_compact

    return parse_compact(data)


def _no_network(host: str, port: int) -> list[str]:
    raise socket.gaierror(socket.EAI_NONAME, "the fuzzer resolves no name")


_NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def _intake(data: bytes) -> object:
    """The verifier given a file (JSON-LD credential, OB 2.0 assertion, compact JWS, baked PNG or SVG), offline:
    every fetch fails as an unknown host would."""
    from app.verify.fetch import FetchPolicy, SafeFetcher
    from app.verify.service import verify

    policy = FetchPolicy(timeout=1.0)
    with SafeFetcher(policy, resolver=_no_network) as fetcher:
        return verify(data=data, policy=policy, now=_NOW, fetcher=fetcher)


def _csv(data: bytes) -> object:
    from app.services.bulk import parse_csv

    return parse_csv(data)


def _declared(*names: str) -> tuple[type[BaseException], ...]:
    from app.badges.baking_errors import BakingError
    from app.badges.image_rejected import ImageRejected
    from app.errors import InvalidInput
    from app.signing.errors import MalformedTokenError, UnsupportedAlgorithmError
    from app.verify.errors import UnusableInput

    known: dict[str, type[BaseException]] = {
        "BakingError": BakingError, "ImageRejected": ImageRejected, "InvalidInput": InvalidInput,
        "MalformedTokenError": MalformedTokenError, "UnsupportedAlgorithmError": UnsupportedAlgorithmError,
        "UnusableInput": UnusableInput}
    return tuple(known[name] for name in names)


def _targets() -> dict[str, Target]:
    return {target.name: target for target in (
        Target("png_unbake", _png, _declared("ImageRejected", "BakingError")),
        Target("svg_unbake", _svg, _declared("ImageRejected", "BakingError")),
        Target("compact_jws", _jws, _declared("MalformedTokenError", "UnsupportedAlgorithmError")),
        Target("verify_intake", _intake, _declared("UnusableInput", "ImageRejected", "BakingError")),
        Target("csv_rows", _csv, _declared("InvalidInput")),
    )}


TARGETS = _targets()
