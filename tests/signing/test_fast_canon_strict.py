"""The verifier's shape canonicaliser (strict, any origin) answers exactly what the general strict path answers:
the same N-Quads, or the same refusal, on third-party documents (the W3C and 1EdTech vectors) whose values are
replaced by hostile or ordinary ones."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.signing.canon import canonicalize
from app.signing.errors import SigningError
from app.signing.fast_canon import ShapeCanonicalizer
from app.signing.loader import make_loader
from tests.conftest import vector_credentials

LOADER = make_loader(allow_examples=True)


def _third_party_documents() -> list[dict[str, Any]]:
    """Every vector credential (proofs removed) that the general strict path canonicalises."""
    found = []
    for credential in vector_credentials():
        document = {k: v for k, v in credential.items() if k != "proof"}
        try:
            canonicalize(document, LOADER, strict=True)
        except SigningError:
            continue
        found.append(document)
    return found


DOCUMENTS = _third_party_documents()
FAST = ShapeCanonicalizer(LOADER, strict=True)  # shared: later examples take the templates of earlier ones


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in _leaves(value, (*path, key))]
    if isinstance(node, list):
        return [p for i, value in enumerate(node) for p in _leaves(value, (*path, i))]
    return [path] if isinstance(node, str) else []


def _replaced(document: Any, path: tuple[Any, ...], value: str) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(document, dict):
        return {**document, head: _replaced(document[head], rest, value)}
    return [_replaced(item, rest, value) if i == head else item for i, item in enumerate(document)]


def _outcome(canon: Any, document: dict[str, Any]) -> tuple[str, str]:
    try:
        return "nquads", canon(document)
    except SigningError as exc:
        return type(exc).__name__, exc.message_en


VALUES = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(max_codepoint=0x9F), max_size=12),  # control characters, DEL, C1
    st.sampled_from(["https://example.org/a", "https://example.org/a#b", "urn:uuid:1", "did:example:123",
                     "did:example:123#key-1", "_:b0", "#fragment", "relative/path", "@id", "@type", "@none",
                     "@vocab", "Achievement", "OpenBadgeCredential", "en", "fr-FR", "not a tag", "ltr",
                     "2024-01-01T00:00:00Z", "http://a b", "https://x.example/\x7f", "https://x.example/{}",
                     "urn:x-savoirs-placeholder:0", "ext:Custom", "xsd:string", ""]),
)


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    document = draw(st.sampled_from(DOCUMENTS))
    leaves = _leaves(document)
    for path in draw(st.lists(st.sampled_from(leaves), max_size=4, unique=True)):
        document = _replaced(document, path, draw(VALUES))
    if draw(st.booleans()) and len(leaves) > 1:  # one value copied onto another: nodes or triples that merge
        source, target = draw(st.lists(st.sampled_from(leaves), min_size=2, max_size=2, unique=True))
        value: Any = document
        for step in source:
            value = value[step] if isinstance(value, (dict, list)) else None
        if isinstance(value, str):
            document = _replaced(document, target, value)
    return document


def test_the_vectors_offer_several_third_party_shapes() -> None:
    assert len(DOCUMENTS) >= 10


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_strict_fast_path_answers_what_the_general_path_answers(document: dict[str, Any]) -> None:
    general = _outcome(lambda d: canonicalize(d, LOADER, strict=True), document)
    assert _outcome(FAST.canonicalize, document) == general


def test_the_property_test_went_through_the_templates() -> None:
    """Guard against a vacuous equivalence: many mutated documents must have been answered from templates."""
    if FAST.stats["fast"] + FAST.stats["slow"] < 200:
        pytest.skip("run together with the property test above")
    assert FAST.stats["fast"] >= 50


def test_every_vector_shape_is_answered_from_a_template_once_seen() -> None:
    local = ShapeCanonicalizer(LOADER, strict=True)
    for document in DOCUMENTS:
        assert local.canonicalize(document) == canonicalize(document, LOADER, strict=True)
    before = local.stats["fast"]
    for document in DOCUMENTS:
        local.canonicalize({**document, "id": "urn:uuid:9c1b5d2e-0000-4000-8000-000000000001"})
    assert local.stats["fast"] - before >= len(DOCUMENTS) // 2


def test_a_shape_seen_once_costs_no_template_when_compiling_waits_for_a_second_sighting() -> None:
    local = ShapeCanonicalizer(LOADER, strict=True, compile_after=2)
    document = DOCUMENTS[0]
    local.canonicalize({**document, "id": "urn:uuid:1"})
    assert local.stats == {"fast": 0, "slow": 1}
    local.canonicalize({**document, "id": "urn:uuid:2"})  # compiled now, checked against the general path
    local.canonicalize({**document, "id": "urn:uuid:3"})
    assert local.stats["fast"] == 2


def test_a_control_character_in_a_value_gets_the_general_refusal() -> None:
    local = ShapeCanonicalizer(LOADER, strict=True)
    document = next(d for d in DOCUMENTS if isinstance(d.get("name"), str))
    local.canonicalize(document)
    hostile = {**document, "name": "bad\x01name"}
    with pytest.raises(SigningError) as fast:
        local.canonicalize(hostile)
    with pytest.raises(SigningError) as general:
        canonicalize(hostile, LOADER, strict=True)
    assert fast.value.message_en == general.value.message_en


def test_an_inline_context_is_refused_in_strict_mode_as_by_the_general_path() -> None:
    local = ShapeCanonicalizer(LOADER, strict=True)
    document = {**DOCUMENTS[0], "credentialSubject": {"@context": {"x": "https://example.org/x"}, "x": "y"}}
    for _ in range(2):
        with pytest.raises(SigningError) as fast:
            local.canonicalize(document)
    with pytest.raises(SigningError) as general:
        canonicalize(document, LOADER, strict=True)
    assert fast.value.message_en == general.value.message_en
