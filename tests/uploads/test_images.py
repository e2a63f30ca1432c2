"""Photos come out upright, at most 2048 pixels a side, from their first frame, in RGB or (when transparency is used)
RGBA, whatever the format, mode or orientation the phone used; the content decides the format, never the name."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from app.uploads import CleanFile, UploadLimits, clean_upload

from .samples import encode, picture

RED = (255, 0, 0)
BLUE = (0, 0, 255)


def clean(data: bytes, limits: UploadLimits | None = None) -> CleanFile:
    if limits is None:
        return clean_upload(data, filename="IMG_0042.jpg", declared_type="image/jpeg")
    return clean_upload(data, filename="IMG_0042.jpg", declared_type="image/jpeg", limits=limits)


def opened(stored: CleanFile) -> Image.Image:
    image = Image.open(io.BytesIO(stored.data))
    assert image.size == (stored.width, stored.height)
    return image


def is_red(pixel: tuple[int, ...]) -> bool:
    return pixel[0] > 200 and pixel[1] < 60 and pixel[2] < 60


def with_orientation(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    return encode(picture(96, 64), "JPEG", exif=exif.tobytes())


# the red square is top left as stored; where a viewer shows it once the orientation is applied
@pytest.mark.parametrize(("orientation", "corner"), [(6, "top right"), (8, "bottom left"), (3, "bottom right")])
def test_the_exif_orientation_is_applied_so_the_photo_stays_upright(orientation: int, corner: str) -> None:
    image = opened(clean(with_orientation(orientation)))
    width, height = image.size
    assert (width, height) == ((96, 64) if orientation == 3 else (64, 96))
    x = width - 4 if "right" in corner else 3
    y = height - 4 if "bottom" in corner else 3
    assert is_red(image.getpixel((x, y))) and not is_red(image.getpixel((width - 1 - x, height - 1 - y)))


def test_a_heic_rotated_by_its_container_is_turned_once_not_twice() -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # pillow-heif writes it as the HEIF rotation, which libheif applies
    image = opened(clean(encode(picture(96, 64), "HEIF", exif=exif.tobytes())))
    assert image.size == (64, 96) and is_red(image.getpixel((60, 3)))


def test_a_large_photo_is_scaled_down_to_2048_on_its_longer_side() -> None:
    stored = clean(encode(picture(5000, 2000), "JPEG"))
    assert (stored.width, stored.height) == (2048, 819)
    assert is_red(opened(stored).getpixel((20, 20)))  # the content survived the reduced decoding


def test_a_tall_image_is_scaled_down_on_its_height() -> None:
    stored = clean(encode(picture(1500, 3000), "PNG"))
    assert (stored.width, stored.height) == (1024, 2048)


def test_a_small_image_keeps_its_size() -> None:
    stored = clean(encode(picture(300, 200), "WEBP"))
    assert (stored.width, stored.height) == (300, 200)


def test_the_longest_side_follows_the_limits() -> None:
    stored = clean(encode(picture(300, 200), "PNG"), UploadLimits(max_side=150))
    assert (stored.width, stored.height) == (150, 100)


def test_a_palette_png_with_a_transparent_colour_is_stored_as_a_transparent_png() -> None:
    image = picture().convert("P")
    sent = encode(image, "PNG", transparency=image.getpixel((0, 0)))
    stored = clean(sent)
    assert stored.media_type == "image/png" and opened(stored).mode == "RGBA"
    assert opened(stored).getpixel((0, 0))[3] == 0


def test_a_webp_with_transparency_is_stored_as_a_png() -> None:
    image = picture(mode="RGBA")
    image.putpixel((40, 40), (0, 0, 0, 0))
    stored = clean(encode(image, "WEBP", lossless=True))
    assert stored.media_type == "image/png" and opened(stored).getpixel((40, 40))[3] == 0


def test_an_alpha_channel_that_is_opaque_everywhere_gives_a_jpeg() -> None:
    stored = clean(encode(picture(mode="RGBA"), "PNG"))
    assert stored.media_type == "image/jpeg" and opened(stored).mode == "RGB"


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "HEIF", "MPO"])
def test_of_several_frames_only_the_first_is_kept(fmt: str) -> None:
    first, second = Image.new("RGB", (64, 48), RED), Image.new("RGB", (64, 48), BLUE)
    sent = encode(first, fmt, save_all=True, append_images=[second])
    assert getattr(Image.open(io.BytesIO(sent)), "n_frames", 1) == 2
    stored = clean(sent)
    assert is_red(opened(stored).getpixel((32, 24)))


def test_a_16_bit_grey_png_keeps_its_greys_instead_of_turning_white() -> None:
    stored = clean(encode(Image.new("I;16", (32, 32), 40000), "PNG"))
    assert abs(opened(stored).getpixel((16, 16))[0] - 40000 // 257) <= 3


def test_a_cmyk_jpeg_is_stored_in_rgb() -> None:
    stored = clean(encode(picture().convert("CMYK"), "JPEG"))
    image = opened(stored)
    assert image.mode == "RGB" and is_red(image.getpixel((3, 3)))


def test_the_content_decides_the_type_not_the_name_or_declared_type() -> None:
    stored = clean_upload(encode(picture(), "JPEG"), filename="attestation.pdf", declared_type="application/pdf")
    assert (stored.kind, stored.media_type) == ("image", "image/jpeg")


def test_heic_is_read_without_anyone_registering_the_opener_first() -> None:
    """In a fresh interpreter: the module registers pillow-heif itself (here, the fixtures have done it already)."""
    program = ("import sys; from app.uploads import clean_upload; "
               "print(clean_upload(sys.stdin.buffer.read(), filename=None, declared_type=None).media_type)")
    result = subprocess.run([sys.executable, "-c", program], input=encode(picture(), "HEIF"), capture_output=True,
                            check=True, timeout=60, cwd=Path(__file__).resolve().parents[2])
    assert result.stdout.strip() == b"image/jpeg"


def test_a_photo_whose_exif_cannot_be_read_is_kept_as_stored() -> None:
    sent = encode(picture(96, 64), "WEBP", exif=b"Exif\x00\x00II*\x00\xff\xff\xff\x00")  # an IFD cut short
    with pytest.warns(UserWarning, match="Corrupt EXIF"):
        Image.open(io.BytesIO(sent)).getexif()  # the fixture's EXIF really is unreadable (an error in this suite)
    stored = clean(sent)
    assert (stored.width, stored.height) == (96, 64)
