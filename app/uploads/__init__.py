"""Evidence files sent by residents (photos, PDFs, short texts), made safe to store, or refused with a reason.

Pure: no HTTP, no database. :func:`clean_upload` is the entry point; the request service calls it on each file and
stores :attr:`CleanFile.data` under its ``sha256``. Threats it answers: metadata leaks (a photo's GPS position),
decompression bombs, polyglots (a JPEG that is also a ZIP or a script), files whose name or type lies, decoder
crashes turned into 500s.
"""

from __future__ import annotations

from app.uploads.clean_file import CleanFile, Kind, MediaType
from app.uploads.errors import Reason, UploadRejected
from app.uploads.files import clean_upload
from app.uploads.limits import DEFAULT_LIMITS, UploadLimits

__all__ = ["DEFAULT_LIMITS", "CleanFile", "Kind", "MediaType", "Reason", "UploadLimits", "UploadRejected",
           "clean_upload"]
