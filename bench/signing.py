"""Data Integrity signing of many credentials of one achievement: general (pyld normalize) vs shape templates.

Both paths run side by side in this process on the same credentials; the script checks the outputs are
byte-identical and prints the per-credential times and their ratio. Run: ``make bench`` or
``python -m bench.signing [N]``.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyld import jsonld

from app.signing.data_integrity import create_proof
from app.signing.fast_canon import ShapeCanonicalizer
from app.signing.loader import make_loader
from bench.fixtures import credentials


def main(count: int = 400) -> None:
    loader = make_loader()
    key = Ed25519PrivateKey.generate()
    vm = "did:web:badges.example.org:orgs:puchot#ed-bench"
    created = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    docs = credentials(count)
    fast = ShapeCanonicalizer(loader)

    def run(canonicalizer: object) -> tuple[list[dict], float]:
        out = []
        start = time.perf_counter()
        for i, doc in enumerate(docs):
            out.append(create_proof(doc, private_key=key, verification_method=vm,
                                    created=created + timedelta(seconds=i // 50), loader=loader,
                                    canonicalizer=canonicalizer))  # type: ignore[arg-type]
        return out, (time.perf_counter() - start) / len(docs)

    def pyld_normalize(doc: dict) -> str:
        options = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader, "base": None}
        return jsonld.normalize(doc, options)  # type: ignore[no-any-return]

    run(pyld_normalize)  # warm pyld's context caches, like a running service
    times: dict[str, list[float]] = {"pyld": [], "general": [], "fast": []}
    for _ in range(3):
        reference, times_pyld = run(pyld_normalize)
        general, times_general = run(None)
        fast_out, times_fast = run(fast.canonicalize)
        if not reference == general == fast_out:
            raise SystemExit("MISMATCH: the paths do not produce identical signed credentials")
        times["pyld"].append(times_pyld)
        times["general"].append(times_general)
        times["fast"].append(times_fast)
    ms = {k: statistics.median(v) * 1000 for k, v in times.items()}
    print(f"credentials per run: {count}, 3 runs, medians; outputs byte-identical: yes; fast-path hits {fast.stats}")
    print(f"baseline, pyld normalize for each credential: {ms['pyld']:.3f} ms per credential")
    print(f"general path (pyld + undefined-term checks):  {ms['general']:.3f} ms per credential")
    print(f"shape-template path:                          {ms['fast']:.3f} ms per credential")
    print(f"SIGNING RATIO vs pyld normalize: {ms['pyld'] / ms['fast']:.1f}x (target >= 20x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
