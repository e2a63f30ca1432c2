"""The compiled JSON Schema validator is only trusted to say "valid": it must never accept what the reference
validator (``jsonschema``) refuses, on the 1EdTech and W3C vectors and on broken variants of them."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.verify.schema import _quick_validator, _validator
from tests.conftest import vector_credentials

SCHEMAS = ["achievementcredential", "anyachievementcredential", "endorsementcredential",
           "anyendorsementcredential"]


CREDENTIALS = vector_credentials()
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20),
                    st.sampled_from(["2024-01-01T00:00:00Z", "2024-01-01", "not a date", "ext:Custom", "ext:",
                                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\n",
                                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.\u0663.3.json",
                                     "a.b.c", "a..c", "Achievement", "OpenBadgeCredential", "fr", "fr-FR"]))
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=2), st.just({}), st.just([]))


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        found += [p for key, value in node.items() for p in _paths(value, (*path, key))]
    elif isinstance(node, list):
        found += [p for i, value in enumerate(node) for p in _paths(value, (*path, i))]
    return found


def _changed(node: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    head, rest = path[0], path[1:]
    copy = dict(node) if isinstance(node, dict) else list(node)
    if rest:
        copy[head] = _changed(node[head], rest, value, delete)
    elif delete:
        copy.pop(head)
    else:
        copy[head] = value
    return copy


@st.composite
def broken(draw: st.DrawFn) -> dict[str, Any]:
    document = draw(st.sampled_from(CREDENTIALS))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(document) if p]
        if not paths:
            break
        document = _changed(document, draw(st.sampled_from(paths)), draw(VALUES), draw(st.booleans()))
    return document


def test_the_vectors_are_judged_alike_by_both_validators() -> None:
    for name in SCHEMAS:
        for credential in CREDENTIALS:
            reference_valid = next(iter(_validator(name).iter_errors(credential)), None) is None
            assert _quick_validator(name).is_valid(credential) == reference_valid


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken(), st.sampled_from(SCHEMAS))
def test_the_quick_validator_never_accepts_what_the_reference_refuses(document: dict[str, Any], name: str) -> None:
    if _quick_validator(name).is_valid(document):
        assert next(iter(_validator(name).iter_errors(document)), None) is None
