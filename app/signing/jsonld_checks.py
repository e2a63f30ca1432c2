"""What expansion must not let through before canonicalisation: undefined terms, relative or malformed IRIs,
malformed language tags, control characters pyld would not escape the RDFC-1.0 way, and (verification) inline
contexts. Used by :mod:`app.signing.canon` on every expanded document."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from app.signing.errors import SigningError, UndefinedTermError, UnknownContextError

__all__ = ["UNESCAPED_CONTROLS", "InvalidJsonLdError", "check_expanded", "check_inline_contexts", "undefined"]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')  # N-Quads IRIREF excludes these (pyld writes IRIs raw)
_LANGTAG = re.compile(r"^[A-Za-z]+(?:-[A-Za-z0-9]+)*$")
# pyld 3.3 escapes only \t \n \r " \\ ; RDFC-1.0 also escapes these (\b, \f, \u00XX): refuse rather than differ.
UNESCAPED_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SHOWN = 120


class InvalidJsonLdError(SigningError):
    """The document (or N-Quads) cannot be canonicalised safely."""

    code = "invalid_jsonld"
    message_fr = "Le document n'est pas du JSON-LD valide ou ne peut pas être canonisé sans ambiguïté."
    message_en = "The document is not valid JSON-LD or cannot be canonicalised unambiguously."


def _shown(value: Any) -> str:
    return repr(value if not isinstance(value, str) else value[:_SHOWN])


def undefined(term: Any, what: str) -> UndefinedTermError:
    return UndefinedTermError(
        f"{what} {_shown(term)} is not defined by any bundled context (it would not be signed).",
        f"{_FR.get(what, what)} {_shown(term)} n'est défini par aucun contexte embarqué (il ne serait pas signé).")


_FR = {"The term": "Le terme", "The type": "Le type", "The IRI": "L'IRI", "The datatype": "Le type de donnée"}


def _invalid(en: str, fr: str) -> InvalidJsonLdError:
    return InvalidJsonLdError(en, fr)


def _check_iri(value: Any, what: str, *, blank_ok: bool) -> None:
    if not isinstance(value, str):
        raise _invalid(f"{what} {_shown(value)} is not a string.", f"{what} {_shown(value)} n'est pas une chaîne.")
    if value.startswith("_:"):
        if blank_ok:
            return
        raise undefined(value, what)
    if not _SCHEME.match(value):
        raise undefined(value, what)
    if _IRI_FORBIDDEN.search(value):
        raise _invalid(f"{what} {_shown(value)} contains characters an IRI may not contain.",
                       f"{what} {_shown(value)} contient des caractères interdits dans une IRI.")


def _check_value(node: dict[str, Any]) -> None:
    datatype = node.get("@type")
    if datatype is not None and datatype != "@json":
        _check_iri(datatype, "The datatype", blank_ok=False)
    language = node.get("@language")
    if language is not None and not (isinstance(language, str) and _LANGTAG.match(language)):
        raise _invalid(f"Malformed language tag {_shown(language)}.",
                       f"Étiquette de langue invalide {_shown(language)}.")
    value = node.get("@value")
    if datatype != "@json" and isinstance(value, str) and UNESCAPED_CONTROLS.search(value):
        raise _invalid("A string contains control characters (other than tab, CR, LF).",
                       "Une chaîne contient des caractères de contrôle (autres que tabulation, CR, LF).")


_LEAF_KEYS = frozenset({"@id", "@type", "@index", "@language", "@direction", "@reverse"})


def _nodes(expanded: Any) -> Iterator[dict[str, Any]]:
    """Every object in an expanded document (iterative: no recursion limit)."""
    stack = [expanded]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            yield item
            if "@value" not in item:
                stack.extend(v for k, v in item.items() if k not in _LEAF_KEYS)
                reverse = item.get("@reverse")
                if isinstance(reverse, dict):
                    stack.extend(reverse.values())


def check_expanded(expanded: Any) -> None:
    """Refuse anything in the expansion that would not become (unambiguous) RDF."""
    for node in _nodes(expanded):
        if "@value" in node:
            _check_value(node)
            continue
        if "@id" in node:
            _check_iri(node["@id"], "The IRI", blank_ok=True)
        types = node.get("@type", ())
        for type_ in [types] if isinstance(types, str) else types:
            _check_iri(type_, "The type", blank_ok=True)
        properties = [k for k in node if not k.startswith("@")]
        reverse = node.get("@reverse")
        if isinstance(reverse, dict):
            properties.extend(reverse)
        for key in properties:
            _check_iri(key, "The term", blank_ok=False)


def check_inline_contexts(document: Any) -> None:
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key == "@context":
                    for ctx in value if isinstance(value, list) else [value]:
                        if not isinstance(ctx, str):
                            raise UnknownContextError("Inline @context values are not accepted: only bundled URLs.",
                                                      "Les @context en ligne ne sont pas acceptés : seulement des "
                                                      "URL de contextes embarqués.")
                else:
                    stack.append(value)
