"""Nothing but pixels leaves: EXIF (GPS above all), XMP, comments, PNG text chunks, colour profiles and appended
payloads are gone from every stored image, checked by Pillow and by walking the stored file's bytes."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from PIL import Image, ImageCms, PngImagePlugin

from app.uploads import CleanFile, clean_upload

from .samples import LATITUDE, SECRET, XMP, encode, exif_with_gps, gps_of, jpeg_markers, picture, png_chunk_types

#: what a header of ours may hold: start of image, JFIF (APP0), quantisation and Huffman tables, frame, scan
JPEG_HEADER_MARKERS = {0xD8, 0xE0, 0xDB, 0xC4, 0xC0, 0xDA}
JFIF_INFO = {"jfif", "jfif_version", "jfif_unit", "jfif_density"}


def clean(data: bytes, filename: str = "IMG_0042") -> CleanFile:
    return clean_upload(data, filename=filename, declared_type=None)


def assert_bare_jpeg(stored: CleanFile) -> None:
    """A JPEG whose header holds nothing but what decoding needs, and which Pillow finds no metadata in."""
    assert stored.media_type == "image/jpeg" and stored.extension == "jpg"
    assert set(jpeg_markers(stored.data)) <= JPEG_HEADER_MARKERS
    image = Image.open(io.BytesIO(stored.data))
    assert set(image.info) <= JFIF_INFO
    assert dict(image.getexif()) == {} and gps_of(stored.data) == {}
    assert SECRET.encode() not in stored.data and b"Exif" not in stored.data


def test_a_jpeg_with_gps_exif_is_stored_without_any_exif() -> None:
    sent = encode(picture(), "JPEG", exif=exif_with_gps().tobytes())
    assert gps_of(sent)[2] == LATITUDE  # the fixture really carries the position
    assert_bare_jpeg(clean(sent))


def test_a_heic_with_gps_exif_and_xmp_is_stored_as_a_jpeg_without_them() -> None:
    sent = encode(picture(), "HEIF", exif=exif_with_gps().tobytes(), xmp=XMP.encode())
    assert gps_of(sent)[2] == LATITUDE and SECRET.encode() in sent
    assert_bare_jpeg(clean(sent, "IMG_0042.HEIC"))


def test_a_webp_with_exif_and_xmp_is_stored_without_them() -> None:
    sent = encode(picture(), "WEBP", exif=exif_with_gps().tobytes(), xmp=XMP.encode())
    assert gps_of(sent)[2] == LATITUDE and b"XMP " in sent
    assert_bare_jpeg(clean(sent))


def test_a_jpeg_comment_xmp_and_colour_profile_are_dropped() -> None:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    sent = encode(picture(), "JPEG", comment=SECRET.encode(), xmp=XMP.encode(), icc_profile=profile)
    assert {"comment", "xmp", "icc_profile"} <= set(Image.open(io.BytesIO(sent)).info)
    assert_bare_jpeg(clean(sent))


def png_with_text_chunks(image: Image.Image) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET)  # tEXt
    info.add_text("Author", SECRET, zip=True)  # zTXt
    info.add_itxt("Description", SECRET, lang="fr")  # iTXt
    info.add_itxt("XML:com.adobe.xmp", XMP)  # the XMP packet, as Adobe writes it into PNG
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encode(image, "PNG", pnginfo=info, exif=exif_with_gps().tobytes(), icc_profile=profile)


def test_a_transparent_png_keeps_its_pixels_and_none_of_its_chunks_of_text_xmp_exif_or_profile() -> None:
    image = picture(mode="RGBA")
    image.putpixel((50, 50), (0, 0, 0, 0))
    sent = png_with_text_chunks(image)
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP"} <= set(png_chunk_types(sent))
    stored = clean(sent)
    assert stored.media_type == "image/png" and stored.extension == "png"
    assert set(png_chunk_types(stored.data)) <= {b"IHDR", b"IDAT", b"IEND"}
    assert SECRET.encode() not in stored.data
    assert Image.open(io.BytesIO(stored.data)).getpixel((50, 50)) == (0, 0, 0, 0)


def test_an_opaque_png_with_text_chunks_is_stored_as_a_bare_jpeg() -> None:
    sent = png_with_text_chunks(picture())
    assert_bare_jpeg(clean(sent))


def test_a_jpeg_zip_polyglot_loses_its_archive() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as payload:
        payload.writestr("index.html", "<script>alert(document.cookie)</script>")
    sent = encode(picture(), "JPEG") + archive.getvalue()
    assert zipfile.is_zipfile(io.BytesIO(sent))  # a real polyglot: Pillow reads the JPEG, unzip the archive
    stored = clean(sent, "photo.jpg")
    assert not zipfile.is_zipfile(io.BytesIO(stored.data))
    assert b"PK\x03\x04" not in stored.data and b"<script>" not in stored.data
    assert_bare_jpeg(stored)


def test_a_jpeg_with_a_script_in_its_comment_and_after_its_end_keeps_only_pixels() -> None:
    script = b"<script>alert(1)</script>"
    sent = encode(picture(), "JPEG", comment=script) + script
    stored = clean(sent)
    assert script not in stored.data
    assert stored.data.endswith(b"\xff\xd9")  # nothing after the end-of-image marker


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_the_stored_image_is_a_new_file_whose_hash_and_size_are_its_own(fmt: str) -> None:
    sent = encode(picture(), fmt, exif=exif_with_gps().tobytes())
    stored = clean(sent)
    assert stored.data != sent
    assert stored.sha256 == hashlib.sha256(stored.data).hexdigest() and stored.size == len(stored.data)
    Image.open(io.BytesIO(stored.data)).load()
