"""The canonicaliser refuses whatever would go unsigned or be serialised ambiguously, and bounds its work (S5, S6)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld

from app.signing.canon import CanonLimits, InvalidJsonLdError, canonicalize, canonicalize_nquads
from app.signing.errors import CanonicalisationLimitError, UndefinedTermError, UnknownContextError
from app.signing.loader import make_loader

V = Path(__file__).resolve().parents[1] / "vectors"


@pytest.fixture
def simple() -> dict[str, Any]:
    return json.loads((V / "1edtech-validator-fixtures/simple.json").read_text("utf-8"))  # type: ignore[no-any-return]


def _unsigned(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "proof"}


def test_matches_pyld_normalize_on_a_valid_credential(simple: dict[str, Any]) -> None:
    doc = _unsigned(simple)
    expected = jsonld.normalize(doc, {"algorithm": "URDNA2015", "format": "application/n-quads",
                                      "documentLoader": make_loader()})
    assert canonicalize(doc, make_loader()) == expected


def test_relative_credential_id_is_refused_instead_of_resolved_against_a_base(simple: dict[str, Any]) -> None:
    with pytest.raises(UndefinedTermError, match="credentials/42"):
        canonicalize({**_unsigned(simple), "id": "credentials/42"}, make_loader())


def test_undefined_nested_term_is_named(simple: dict[str, Any]) -> None:
    doc = _unsigned(simple)
    doc["credentialSubject"] = {**doc["credentialSubject"], "couleurPreferee": "bleu"}
    with pytest.raises(UndefinedTermError, match="couleurPreferee"):
        canonicalize(doc, make_loader())


def test_control_characters_are_refused(simple: dict[str, Any]) -> None:
    with pytest.raises(InvalidJsonLdError):
        canonicalize({**_unsigned(simple), "name": "Badge\x01"}, make_loader())


def test_tab_and_newline_are_accepted(simple: dict[str, Any]) -> None:
    assert "\\n" in canonicalize({**_unsigned(simple), "name": "Ligne 1\nLigne\t2"}, make_loader())


def test_malformed_language_tag_is_refused(simple: dict[str, Any]) -> None:
    with pytest.raises(InvalidJsonLdError):
        canonicalize({**_unsigned(simple), "name": {"@value": "Badge", "@language": "fr FR"}}, make_loader())


def test_iri_with_forbidden_characters_is_refused(simple: dict[str, Any]) -> None:
    with pytest.raises(InvalidJsonLdError):
        canonicalize({**_unsigned(simple), "id": "https://example.org/a b"}, make_loader())


def test_nested_inline_context_is_refused_in_strict_mode(simple: dict[str, Any]) -> None:
    doc = _unsigned(simple)
    doc["credentialSubject"] = {"@context": {"x": "https://attacker.example/x"}, **doc["credentialSubject"]}
    with pytest.raises(UnknownContextError):
        canonicalize(doc, make_loader(), strict=True)


@pytest.mark.parametrize("document", [[], "text", 42])
def test_non_object_documents_are_refused(document: Any) -> None:
    with pytest.raises(InvalidJsonLdError):
        canonicalize(document, make_loader())


def test_deeply_nested_document_is_refused_not_crashed(simple: dict[str, Any]) -> None:
    nested: dict[str, Any] = {"id": "https://example.org/leaf"}
    for _ in range(5_000):
        nested = {"id": "https://example.org/n", "achievement": nested}
    with pytest.raises((CanonicalisationLimitError, InvalidJsonLdError)):
        canonicalize({**_unsigned(simple), "credentialSubject": nested}, make_loader())


def _clique(size: int) -> str:
    """Blank nodes all linked to each other by one predicate: every labelling is a candidate (rdf-canon poison)."""
    lines = {f"_:b{i} <http://example.org/p> _:b{j} .\n" for i in range(size) for j in range(size) if i != j}
    return "".join(sorted(lines))


@pytest.mark.timeout(120)  # unbounded labelling of a 10-clique would run for hours: a hang fails the test
def test_poisoned_dataset_is_refused_once_its_work_limit_is_reached() -> None:
    with pytest.raises(CanonicalisationLimitError):
        canonicalize_nquads(_clique(10))


def test_small_clique_is_still_canonicalised() -> None:
    result = canonicalize_nquads(_clique(3))
    assert result.count("\n") == 6 and "_:c14n0" in result


def test_permutation_cap_is_applied() -> None:
    with pytest.raises(CanonicalisationLimitError, match="permutations"):
        canonicalize_nquads(_clique(6), limits=CanonLimits(max_n_degree_calls=10**9, max_permutations=50,
                                                           max_seconds=60))


def test_deadline_is_applied() -> None:
    ticks = iter(range(0, 10**6, 10))
    with pytest.raises(CanonicalisationLimitError, match="more than 5 s"):
        canonicalize_nquads(_clique(5), limits=CanonLimits(max_n_degree_calls=10**9, max_permutations=10**9,
                                                           max_seconds=5, clock=lambda: float(next(ticks))))


def test_non_canonical_nquads_are_refused() -> None:
    with pytest.raises(InvalidJsonLdError):
        canonicalize_nquads('<http://example.org/s>  <http://example.org/p> "o" .\n')


def test_nquads_without_final_newline_are_refused() -> None:
    with pytest.raises(InvalidJsonLdError):
        canonicalize_nquads('<http://example.org/s> <http://example.org/p> "o" .')
