"""Evidence files made by Pillow (and pillow-heif) in the tests themselves, and readers that show what a file holds.

The readers walk JPEG segments and PNG chunks by hand, so a test sees every byte of metadata, not only what Pillow
chooses to report.
"""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

import pillow_heif
from PIL import ExifTags, Image

#: what the GPS IFD of our fixtures says: Rouen, where the photo would have been taken
LATITUDE = (49.0, 26.0, 30.5)
LONGITUDE = (1.0, 5.0, 10.0)
SECRET = "Sylvie-Martin-06-12-34-56-78"

XMP = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="{SECRET}"/>'
    '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)

#: a whole one-page PDF, as small as they come
PDF = (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
       b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
       b"trailer<</Root 1 0 R/Size 4>>\nstartxref\n0\n%%EOF\n")

pillow_heif.register_heif_opener()


def picture(width: int = 96, height: int = 64, mode: str = "RGB") -> Image.Image:
    """A picture with structure (a gradient and a red square top left), so rotations and frames can be told apart."""
    image = Image.linear_gradient("L").resize((width, height)).convert(mode)
    image.paste(Image.new(mode, (width // 4, height // 4), "red"), (0, 0))
    return image


def exif_with_gps(orientation: int | None = None) -> Image.Exif:
    """EXIF as a phone writes it: make, model, owner, and a GPS IFD (0x8825) with latitude and longitude."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Fairphone"
    exif[ExifTags.Base.Model] = "FP5"
    exif[ExifTags.Base.Artist] = SECRET
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = LONGITUDE
    return exif


def encode(image: Image.Image, fmt: str, **params: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **params)
    return out.getvalue()


def gps_of(data: bytes) -> dict[int, Any]:
    """The GPS IFD Pillow reads from ``data`` (empty when there is none)."""
    return dict(Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo))


def jpeg_markers(data: bytes) -> list[int]:
    """Every marker of a JPEG from SOI to SOS (the header, where all metadata lives), by walking its segments."""
    assert data[:2] == b"\xff\xd8"
    markers, offset = [], 2
    while True:
        assert data[offset] == 0xFF
        marker = data[offset + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            return markers
        (length,) = struct.unpack(">H", data[offset + 2:offset + 4])
        offset += 2 + length


def png_chunk_types(data: bytes) -> list[bytes]:
    """Every chunk type of a PNG, in order, by walking its chunks."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    types, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        types.append(data[offset + 4:offset + 8])
        offset += 12 + length
    return types


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width × height`` 1-bit grey pixels, with one tiny IDAT: decoding it would fail
    as truncated long before the end, so a refusal for its size proves nothing was decoded."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + png_chunk(b"IEND", b""))


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header (SOF0) is rewritten to declare ``width × height``."""
    data = bytearray(encode(picture(), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)
