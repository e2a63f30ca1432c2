"""W3C Bitstring Status List: a bit per credential, index 0 = most significant bit of byte 0,
published as ``"u"`` + base64url-no-pad(GZIP(bits)), at least 131,072 entries (16 KiB)."""

from __future__ import annotations

import base64
import zlib

from app.errors import SavoirsError

__all__ = ["MIN_SIZE", "Bitstring", "BitstringError"]

MIN_SIZE = 131_072
MAX_DECODED_BYTES = 16 * 1024 * 1024


class BitstringError(SavoirsError, ValueError):
    """A malformed status list; ``code`` follows the Bitstring Status List error names."""

    status = 422
    code = "status_list_error"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, message, code=code)


class Bitstring:
    def __init__(self, size: int = MIN_SIZE, data: bytes | None = None) -> None:
        if size < MIN_SIZE or size % 8:
            raise BitstringError("STATUS_LIST_LENGTH_ERROR", f"a status list needs at least {MIN_SIZE} entries")
        self.size = size
        self._bits = bytearray(data) if data is not None else bytearray(size // 8)

    def get(self, index: int) -> bool:
        self._check(index)
        return bool(self._bits[index // 8] & (0x80 >> (index % 8)))

    def set(self, index: int, value: bool) -> None:
        self._check(index)
        mask = 0x80 >> (index % 8)
        if value:
            self._bits[index // 8] |= mask
        else:
            self._bits[index // 8] &= ~mask & 0xFF

    def _check(self, index: int) -> None:
        if not 0 <= index < self.size:
            raise BitstringError("RANGE_ERROR", f"index {index} is outside the list (0..{self.size - 1})")

    def encode(self) -> str:
        """Deterministic encoding: zlib's GZIP wrapper (mtime 0), as the reference implementations produce."""
        compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
        compressed = compressor.compress(bytes(self._bits)) + compressor.flush()
        return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, encoded: str) -> Bitstring:
        """Parse an ``encodedList`` (with or without the ``u`` prefix and padding), inflating at most 16 MiB.

        :raises BitstringError: malformed, too short or a decompression bomb.
        """
        text = encoded[1:] if encoded.startswith("u") else encoded
        try:
            compressed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            inflater = zlib.decompressobj(wbits=31)
            data = inflater.decompress(compressed, MAX_DECODED_BYTES + 1)
        except (ValueError, zlib.error) as exc:
            raise BitstringError("STATUS_LIST_DECODING_ERROR", "encodedList is not base64url GZIP") from exc
        if len(data) > MAX_DECODED_BYTES or inflater.unconsumed_tail:
            raise BitstringError("STATUS_LIST_DECODING_ERROR", "encodedList inflates beyond 16 MiB")
        if len(data) * 8 < MIN_SIZE:
            raise BitstringError("STATUS_LIST_LENGTH_ERROR", f"a status list needs at least {MIN_SIZE} entries")
        return cls(len(data) * 8, data)
