"""How people type the same word differently, folded away before two texts are compared: Unicode forms (NFC),
apostrophes and quotes (’ ʼ ‘ ′ ` for ', “ ” « » for "), dashes, and runs of spaces (NBSP and the like included).

"J’agis" typed on a phone, "J'agis" typed on a keyboard and "j'agis " in a CSV name the same level. Only comparisons
use it: what was typed is kept as typed (in NFC).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "nfc"]

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "′": "'", "`": "'", "´": "'",
                              "“": '"', "”": '"', "«": '"', "»": '"', "„": '"',
                              "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-"})
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """``text`` in Unicode normal form C (an accent typed as a separate mark joins its letter)."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """The form two texts are compared in: NFC, apostrophes, quotes and dashes unified, spaces trimmed and
    collapsed (quotes and guillemets lose the spaces French puts inside them), case folded."""
    folded = _SPACES.sub(" ", nfc(text).translate(_APOSTROPHES)).strip()
    return folded.replace('" ', '"').replace(' "', '"').casefold()
