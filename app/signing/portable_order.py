"""Texts that RDF canonicalisers put in different orders, so that a signature holds for some verifiers only.

RDFC-1.0 sorts canonical N-Quads in Unicode code point order, as :mod:`app.signing.canon` does. rdf-canonize, the
canonicaliser under Digital Bazaar's and DCC's verifiers, compares JavaScript strings, that is UTF-16 code units. The
two orders differ in one case only: where two lines first differ, one holds a character from U+E000 to U+FFFF
(private use, CJK compatibility, Arabic presentation forms, ligatures such as ``ﬁ``, full-width forms, U+FFFD) and
the other a character beyond U+FFFF (most emoji, historic scripts, rare ideographs), which UTF-16 writes with
surrogates D800–DFFF, below E000. ``ﬁlm`` comes before ``🎬 cinéma`` by code point and after it in UTF-16.

A credential whose canonical lines differ so is signed correctly and still refused by those verifiers. We do not
issue one: :func:`check_portable_order` refuses it before signing, naming the two texts.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.signing.errors import SigningError

__all__ = ["UnportableOrderError", "check_portable_order", "order_conflict"]

_BMP_HIGH = "\ue000"  # from here to U+FFFF: after every surrogate in UTF-16, before U+10000 by code point
_ASTRAL = "\U00010000"


class UnportableOrderError(SigningError):
    """Two texts of a document sort differently by code point and by UTF-16 code unit; ``texts`` holds them."""

    code = "unportable_order"
    message_fr = ("Deux textes seraient rangés dans un ordre différent selon les vérificateurs : la signature ne "
                  "tiendrait pas pour tous.")
    message_en = "Two texts would be put in a different order by different verifiers: the signature would not hold " \
                 "for all of them."

    def __init__(self, first: str, second: str) -> None:
        self.texts = (first, second)
        super().__init__(f"{self.message_en} ({first[:80]!r}, {second[:80]!r})",
                         f"{self.message_fr} ({first[:80]!r}, {second[:80]!r})")


def _first_difference(a: str, b: str) -> int | None:
    """Where ``a`` and ``b`` first differ if they compare differently by code point and by UTF-16, else ``None``."""
    for position, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            low, high = (x, y) if x < y else (y, x)
            return position if _BMP_HIGH <= low < _ASTRAL <= high else None
    return None  # one is a prefix of the other (or they are equal): the same order both ways


def order_conflict(texts: Iterable[str]) -> tuple[str, str] | None:
    """The first pair of ``texts`` whose code point and UTF-16 orders differ, or ``None``."""
    candidates = sorted({text for text in texts if max(text, default="") >= _BMP_HIGH})
    for i, first in enumerate(candidates):
        for second in candidates[i + 1:]:
            if _first_difference(first, second) is not None:
                return first, second
    return None


def _term(line: str, position: int) -> str:
    """The literal or IRI of a canonical N-Quads ``line`` that holds ``position``, without its delimiters."""
    start = max(line.rfind('"', 0, position), line.rfind("<", 0, position)) + 1
    ends = [end for end in (line.find('"', position), line.find(">", position)) if end >= 0]
    return line[start:min(ends, default=len(line))]


def check_portable_order(nquads: str) -> None:
    """Refuse canonical N-Quads (sorted by code point) that UTF-16 would sort otherwise: sorted one way, they are
    sorted the other way too exactly when every two adjacent lines are.

    :raises UnportableOrderError: naming the two texts (literals or IRIs) where the lines first differ.
    """
    if len(nquads.encode("utf-16-le", "surrogatepass")) == 2 * len(nquads):  # nothing beyond U+FFFF, in C speed
        return
    lines = nquads.splitlines()
    for first, second in zip(lines, lines[1:], strict=False):
        position = _first_difference(first, second)
        if position is not None:
            raise UnportableOrderError(_term(first, position), _term(second, position))
