"""A starting corpus per target (``python -m fuzz.seeds DIR`` writes DIR/TARGET/…): inputs that reach deep into each
parser, so that the fuzzer mutates from there rather than from nothing: badges baked into a small PNG and SVG (OB
2.0 URL, OB 3.0 JSON, a JWS), compact JWS headers of every kind, the 1EdTech signed credential, an OB 2.0
assertion, a CSV with French headers."""

from __future__ import annotations

import base64
import io
import json
import sys
from pathlib import Path

__all__ = ["write_seeds"]

ROOT = Path(__file__).resolve().parents[1]
CREDENTIAL = ROOT / "tests" / "vectors" / "ob3-impl-guide" / "signed-credential.json"


def _b64(value: object) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _jws(header: dict[str, object], payload: object) -> str:
    return f"{_b64(header)}.{_b64(payload)}.{_b64(b'signature' * 8)}"


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 80, 160)).save(out, format="PNG")
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'


def write_seeds(folder: Path) -> dict[str, Path]:
    """Write the corpus of every target under ``folder``; each target's folder."""
    from app.badges.baking_png import bake_png
    from app.badges.baking_svg import bake_svg

    credential = CREDENTIAL.read_text(encoding="utf-8")
    jws = _jws({"alg": "RS256", "typ": "JWT", "kid": "https://badges.example/orgs/x/keys/k"},
               {"vc": json.loads(credential), "iss": "https://badges.example", "nbf": 1700000000})
    assertion = json.dumps({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
                            "id": "https://badges.example/ob2/a", "badge": "https://badges.example/ob2/b",
                            "recipient": {"type": "email", "hashed": True, "identity": "sha256$00"},
                            "verification": {"type": "hosted"}, "issuedOn": "2026-01-01T00:00:00Z"})
    png = _png()
    corpus: dict[str, list[bytes]] = {
        "png_unbake": [png, bake_png(png, "openbadgecredential", credential),
                       bake_png(png, "openbadges", "https://badges.example/ob2/a")],
        "svg_unbake": [SVG, bake_svg(SVG, ob3=True, credential_json=credential),
                       bake_svg(SVG, ob3=False, jws=jws)],
        "compact_jws": [jws.encode(), _jws({"alg": "none"}, {}).encode(),
                        _jws({"alg": "ES256", "crit": ["b64"], "b64": False}, "x").encode(),
                        _jws({"alg": "EdDSA", "jwk": {"kty": "OKP", "crv": "Ed25519", "x": "AA"}}, {}).encode()],
        "verify_intake": [credential.encode(), assertion.encode(), jws.encode(),
                          bake_png(png, "openbadgecredential", credential)],
        "csv_rows": ["courriel;nom affiché;niveau;récit\nsylvie@exemple.fr;Sylvie;J'agis;Atelier cuisine\n"
                     .encode(), b"\xef\xbb\xbfemail,display_name,public\na@b.fr,A,true\n"],
    }
    made = {}
    for name, inputs in corpus.items():
        target = folder / name
        target.mkdir(parents=True, exist_ok=True)
        for number, data in enumerate(inputs):
            (target / f"seed-{number}").write_bytes(data)
        made[name] = target
    return made


if __name__ == "__main__":
    for name, path in write_seeds(Path(sys.argv[1])).items():
        print(name, path)
