"""The shape-template canonicaliser is byte-identical to the general one (property-based)."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.badges.issuer import IssuerInfo, ob3_profile
from app.badges.ob3 import AchievementDoc, AwardDoc, Level, build_credential
from app.signing.canon import canonicalize
from app.signing.data_integrity import create_proof
from app.signing.fast_canon import ShapeCanonicalizer
from app.signing.loader import make_loader
from app.urls import PublicUrls

URLS = PublicUrls("https://badges.example.org")
LOADER = make_loader()
FAST = ShapeCanonicalizer(LOADER)  # shared on purpose: later examples reuse shapes compiled by earlier ones
KEY = Ed25519PrivateKey.generate()

# Text as the API accepts it: any Unicode except surrogates and control characters other than newline.
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n"), min_size=1,
               max_size=60)
WORDS = st.sampled_from(["Sylvie", "Nathan", "Hélène", "Œuvre", "l'atelier", "« radio »", 'dit "oui"', "a\\b",
                         "ligne\nsuivante", "🎨", "日本", "x" * 5])
NAME = st.one_of(TEXT, WORDS)
SLUG = st.text(string.ascii_lowercase + string.digits + "-", min_size=1, max_size=20)
URL = st.builds(lambda a, b: f"https://{a}.example/{b}", st.text(string.ascii_lowercase, min_size=1, max_size=8),
                st.text(string.ascii_letters + string.digits + "-._~/%", max_size=30))
MOMENT = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC))
EVIDENCE = st.fixed_dictionaries({}, optional={"id": URL, "name": NAME, "narrative": NAME, "description": NAME}
                                 ).filter(bool)


@st.composite
def achievements(draw: st.DrawFn) -> AchievementDoc:
    levels = draw(st.lists(st.tuples(NAME, st.none() | NAME), max_size=4))
    return AchievementDoc(
        id=URLS.achievement(draw(SLUG)), name=draw(NAME), description=draw(NAME),
        criteria_narrative=draw(st.none() | NAME), criteria_url=draw(st.none() | URL),
        achievement_type=draw(st.sampled_from(["Badge", "Competency", "ext:SavoirEtre"])),
        image=draw(st.none() | URL), tags=tuple(draw(st.lists(NAME, max_size=3))),
        alignments=tuple(draw(st.lists(st.fixed_dictionaries({"targetName": NAME, "targetUrl": URL},
                                                              optional={"targetCode": NAME}), max_size=2))),
        levels=tuple(Level(f"level-{i}", n, d) for i, (n, d) in enumerate(levels, start=1)),
    ) if draw(st.booleans()) or not levels else AchievementDoc(id=URLS.achievement("x"), name="x", description="y",
                                                                 criteria_narrative="z")


@st.composite
def credentials(draw: st.DrawFn) -> dict[str, Any]:
    achievement = draw(achievements())
    start = draw(MOMENT)
    identifiers = []
    if draw(st.booleans()):
        identifiers.append({"type": "IdentityObject", "identityHash": "sha256$" + draw(st.text("0123456789abcdef",
                            min_size=64, max_size=64)), "identityType": draw(st.sampled_from(
                                ["emailAddress", "ext:telephone", "ext:url"])), "hashed": True,
                            "salt": draw(st.text("0123456789abcdef", min_size=32, max_size=32))})
    if draw(st.booleans()):
        identifiers.append({"type": "IdentityObject", "identityHash": draw(NAME), "identityType": "name",
                            "hashed": False})
    subject = draw(st.one_of(st.uuids().map(lambda u: f"urn:uuid:{u}"),
                             st.just("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")))
    index = draw(st.integers(0, 131_071))
    award = AwardDoc(
        credential_id=URLS.credential(draw(SLUG)), subject_id=subject, valid_from=start,
        identifiers=tuple(identifiers),
        valid_until=draw(st.none() | st.just(start + timedelta(days=draw(st.integers(1, 4000))))),
        narrative=draw(st.none() | NAME), evidence=tuple(draw(st.lists(EVIDENCE, max_size=3))),
        level_key=draw(st.none() | st.sampled_from([lvl.key for lvl in achievement.levels] or [None])),
        credential_status=draw(st.none() | st.just({
            "id": f"{URLS.status_list('l1')}#{index}", "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": str(index),
            "statusListCredential": URLS.status_list("l1")})),
    )
    issuer = ob3_profile(IssuerInfo(draw(SLUG), draw(NAME), draw(URL), "contact@example.org",
                                    draw(st.none() | NAME)), URLS)
    return build_credential(issuer, achievement, award)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(credentials())
def test_fast_canonical_nquads_equal_the_general_path(credential: dict[str, Any]) -> None:
    assert FAST.canonicalize(credential) == canonicalize(credential, LOADER)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(credentials(), MOMENT)
def test_fast_signed_credential_equals_the_general_path(credential: dict[str, Any], created: datetime) -> None:
    vm = "did:web:badges.example.org:orgs:puchot#ed-key"
    general = create_proof(credential, private_key=KEY, verification_method=vm, created=created, loader=LOADER)
    fast = create_proof(credential, private_key=KEY, verification_method=vm, created=created, loader=LOADER,
                        canonicalizer=FAST.canonicalize)
    assert fast == general


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(credentials(), URL)
def test_equal_values_that_merge_nodes_still_match(credential: dict[str, Any], url: str) -> None:
    """Two evidence items with one URL, or evidence pointing at the credential itself, merge JSON-LD nodes."""
    twin = {"type": ["Evidence"], "id": url, "name": "Photo"}
    merged = {**credential, "evidence": [twin, dict(twin), {"type": ["Evidence"], "id": credential["id"]}]}
    assert FAST.canonicalize(merged) == canonicalize(merged, LOADER)


def test_the_fast_path_is_actually_used() -> None:
    local = ShapeCanonicalizer(LOADER)
    from bench.fixtures import credentials as realistic

    for credential in realistic(60):
        assert local.canonicalize(credential) == canonicalize(credential, LOADER)
    assert local.stats["fast"] == 60 and local.stats["slow"] == 0


def test_property_tests_exercised_the_fast_path() -> None:
    """Guard against a vacuous equivalence: most generated credentials must have gone through the templates."""
    if FAST.stats["fast"] + FAST.stats["slow"] < 100:
        import pytest

        pytest.skip("run together with the property tests above")
    assert FAST.stats["fast"] > FAST.stats["slow"]
