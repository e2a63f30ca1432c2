"""Shared by the page tests: one live served instance per test module, an organisation, a published achievement
with levels, and awards (the verifier fetches the issuer's did.json and status list from the live server)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import LiveService, live_service

BADGE = {"name": "Cuisine du monde", "description": "Partager une recette avec le quartier.",
         "criteria": {"narrative": "A animé un atelier cuisine.\nA partagé une recette de son pays."},
         "levels": [{"name": "Je soutiens"}, {"name": "J'explore"}, {"name": "J'agis"}]}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveService]:
    with live_service(tmp_path_factory.mktemp("pages-live")) as service:
        yield service


@pytest.fixture(scope="module")
def auth(live: LiveService) -> dict[str, str]:
    return {"Authorization": f"Bearer {live.org('puchot')}"}


@pytest.fixture(scope="module")
def achievement(live: LiveService, auth: dict[str, str]) -> dict[str, Any]:
    created = live.http.post("/api/v1/achievements", json=BADGE, headers=auth)
    assert created.status_code == 201, created.text
    published = live.http.post(f"/api/v1/achievements/{created.json()['id']}/publish", headers=auth)
    assert published.status_code == 200, published.text
    return published.json()  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def make_award(live: LiveService, auth: dict[str, str], achievement: dict[str, Any]
               ) -> Callable[..., dict[str, Any]]:
    def make(*, public: bool = True, **body: Any) -> dict[str, Any]:
        """An award of ``body``; ``public`` (the default): its recipient agreed that its page be public, as the
        pages' tests read it at its address."""
        body.setdefault("recipient", {"email": "Sylvie@Example.fr"})
        if public:
            body["recipient"] = {**body["recipient"], "public": True}
        response = live.http.post(f"/api/v1/achievements/{achievement['id']}/awards", json=body, headers=auth)
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    return make


@pytest.fixture(scope="module")
def award(make_award: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return make_award(level="J'agis")


def fetch(live: LiveService, url: str, **params: str) -> bytes:
    response = live.http.get(url, params=params, headers={"Accept": "application/ld+json"})
    assert response.status_code == 200, response.text
    return response.content


def tampered_json(live: LiveService, award: dict[str, Any]) -> bytes:
    """The award's credential with one changed letter in the badge name: the signature no longer holds."""
    import json

    credential = json.loads(fetch(live, award["links"]["credential"]))
    credential["credentialSubject"]["achievement"]["name"] = "Cuisine du mondE"
    return json.dumps(credential, ensure_ascii=False).encode()


def unconfirmed_jwt() -> bytes:
    """A genuine OB 3.0 VC-JWT whose key is only embedded in its own ``jwk`` header (allowed by OB 3.0 §8.2): its
    signature holds, but no document of its issuer (a ``urn:uuid``, so nothing is fetched) lists the key."""
    import base64
    import json

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from jwcrypto import jwk, jws

    key = Ed25519PrivateKey.generate()
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    public = {"kty": "OKP", "crv": "Ed25519", "x": base64.urlsafe_b64encode(raw).rstrip(b"=").decode()}
    issuer = "urn:uuid:0d5a6c1e-3f7b-4b59-9d0e-6a1f2b3c4d5e"
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:1d5a6c1e-3f7b-4b59-9d0e-6a1f2b3c4d5e", "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Réparer ensemble", "validFrom": "2025-01-01T00:00:00Z",
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Repair Café de la Croix-Rousse"},
        "credentialSubject": {"id": "did:example:camille", "type": ["AchievementSubject"],
                              "achievement": {"id": "urn:uuid:2d5a6c1e-3f7b-4b59-9d0e-6a1f2b3c4d5e",
                                              "type": ["Achievement"], "name": "Réparer ensemble",
                                              "description": "Réparer un appareil avec ses voisins.",
                                              "criteria": {"narrative": "Trois réparations au café."}}}}
    token = jws.JWS(json.dumps({**credential, "iss": issuer, "jti": credential["id"]}).encode())
    token.add_signature(jwk.JWK.from_pyca(key), alg="EdDSA", protected=json.dumps({"alg": "EdDSA", "jwk": public}))
    return str(token.serialize(compact=True)).encode()


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path
