"""Short texts (a testimony, a description of what was done), stored as UTF-8 in Unicode form C.

Refused rather than repaired: a text that is not UTF-8, and one holding a control character other than tab and line
breaks (the service refuses them everywhere it takes text); silently changing someone's words is worse than asking
for them again. Line breaks become ``\\n``, a leading byte order mark goes, accents typed as separate marks join their
letter (NFC). A text that starts like an HTML, SVG or XML document is refused too: it is served as
``text/plain; charset=utf-8``, but no browser should ever be given a page of ours that could run.
"""

from __future__ import annotations

import re

from app.text_normal import nfc
from app.uploads.clean_file import CleanFile
from app.uploads.errors import reject, too_large
from app.uploads.sniff import looks_like_markup

__all__ = ["clean_text"]

#: C0 and C1 control characters and DEL, but tab and line feed (carriage returns are turned into line feeds first)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(data: bytes, *, max_bytes: int) -> CleanFile:
    """``data`` decoded as UTF-8, checked and normalised, as a stored ``text/plain; charset=utf-8``.

    :raises UploadRejected: ``too_large``, ``text_not_utf8``, ``text_control_character``, ``empty`` or
        ``unsupported_type`` (markup).
    """
    if len(data) > max_bytes:
        raise too_large("The text", "Le texte", max_bytes)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise reject("text_not_utf8", f"The text is not UTF-8 (byte {exc.start + 1}): save it as UTF-8.",
                     f"Le texte n'est pas en UTF-8 (octet {exc.start + 1}) : enregistrez-le en UTF-8.") from None
    text = nfc(text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    found = _CONTROL.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        code = f"U+{ord(found.group()):04X}"
        raise reject("text_control_character", f"Line {line} holds a control character ({code}): remove it.",
                     f"La ligne {line} contient un caractère de contrôle ({code}) : retirez-le.")
    if not text.strip():
        raise reject("empty", "The text is empty.", "Le texte est vide.")
    stored = text.encode("utf-8")
    if looks_like_markup(stored):
        raise reject("unsupported_type", "This text is an HTML, SVG or XML document: send plain text.",
                     "Ce texte est un document HTML, SVG ou XML : envoyez du texte brut.")
    if len(stored) > max_bytes:  # NFC may lengthen a few scripts' texts
        raise too_large("The text", "Le texte", max_bytes)
    return CleanFile(data=stored, media_type="text/plain; charset=utf-8", extension="txt", kind="text")
