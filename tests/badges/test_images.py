"""Untrusted images: PNG chunk walking (T8, S12) and the hardened SVG parser and sanitiser (T7, T17, S10, S11)."""

from __future__ import annotations

import base64
import gc
import resource
import socket
import struct
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from lxml import etree

from app.badges import images
from app.badges.errors import BadgeInputError
from app.badges.images import ImageRejected, check_image, check_png, sanitise_svg, sniff
from app.badges.svg import parse_svg_xml

SVG = "http://www.w3.org/2000/svg"
ONE_GIB = 1 << 30


# ------------------------------------------------------------------------------------------------------------ helpers


def chunk(ctype: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body))


def ihdr(width: int = 2, height: int = 2, depth: int = 8, colour: int = 2) -> bytes:
    return chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0))


def make_png(*extra: bytes, header: bytes | None = None, width: int = 2, height: int = 2) -> bytes:
    """A real RGB PNG (decodable by any viewer), with ``extra`` chunks between IHDR and IDAT."""
    rows = b"".join(b"\x00" + b"\xff\x80\x00" * width for _ in range(height))
    return (images.PNG_SIGNATURE + (header or ihdr(width, height)) + b"".join(extra)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def zeros_bomb(size: int = ONE_GIB) -> bytes:
    """A zlib stream inflating to ``size`` zero bytes (~1 MB for 1 GiB), built without ever holding ``size`` bytes.

    After a full flush the deflater's state is reset, so compressing 1 MiB of zeros gives the same bytes every time:
    repeat them. The Adler-32 of ``n`` zeros is ``a = 1, b = n mod 65521``.
    """
    mib = bytes(1 << 20)
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflater.compress(mib) + deflater.flush(zlib.Z_FULL_FLUSH)
    adler = ((size % 65521) << 16) | 1
    return b"\x78\xda" + block * (size >> 20) + deflater.flush() + struct.pack(">I", adler)


@pytest.fixture(scope="session")
def bomb() -> bytes:
    return zeros_bomb()


@contextmanager
def bounded(megabytes: int = 50) -> Iterator[None]:
    """Fail unless the block grows neither the traced Python heap nor the peak RSS (high-water mark, which also sees
    libxml2's and zlib's C allocations) by ``megabytes``: a decompression bomb or an entity expansion shows there.
    (No stopwatch: the tests' timeout catches a hang.)"""
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    try:
        yield
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
    assert peak < megabytes << 20, f"Python heap peak {peak >> 20} MB"
    assert rss_growth < megabytes << 20, f"RSS grew {rss_growth >> 20} MB"


def rejected(call: Callable[[], object], reason: str) -> ImageRejected:
    with bounded(), pytest.raises(ImageRejected) as info:
        call()
    assert info.value.extra["reason"] == reason
    return info.value


def svg(body: str, extra_ns: str = "") -> bytes:
    xlink = ' xmlns:xlink="http://www.w3.org/1999/xlink"'
    return f'<svg xmlns="{SVG}"{xlink}{extra_ns} viewBox="0 0 10 10">{body}</svg>'.encode()


def tree(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))


class Canary:
    """A TCP listener counting connections, standing for an attacker's server."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def canary() -> Iterator[Canary]:
    listener = Canary()
    yield listener
    listener.close()


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("CANARY-SECRET-4f1c", encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------------------ errors


def test_image_rejected_is_a_bilingual_badge_input_error() -> None:
    error = ImageRejected()
    assert isinstance(error, BadgeInputError)
    assert error.code == "invalid_image"
    assert error.message_en and error.message_fr and error.message_en != error.message_fr


# --------------------------------------------------------------------------------------------------------------- PNG


def test_minimal_png_fixture_is_accepted() -> None:
    check_png(make_png())


def test_png_reader_returns_chunks_in_order() -> None:
    chunks = images.read_png_chunks(make_png(chunk(b"tEXt", b"Title\x00Hello")))
    assert [c.type for c in chunks] == [b"IHDR", b"tEXt", b"IDAT", b"IEND"]


def test_png_signature_is_required() -> None:
    rejected(lambda: check_png(b"GIF89a" + make_png()[8:]), "png_signature")


def test_png_bad_crc_is_rejected() -> None:
    data = bytearray(make_png())
    data[8 + 8 + 3] ^= 0x01  # a byte of IHDR's width
    rejected(lambda: check_png(bytes(data)), "png_bad_crc")


@pytest.mark.parametrize("cut", [9, 20, 33, -13, -1])
def test_truncated_png_is_rejected(cut: int) -> None:
    rejected(lambda: check_png(make_png()[:cut]), "png_truncated")


def test_png_chunk_length_2_to_the_31_minus_1_is_rejected_without_allocating() -> None:
    data = make_png()
    hostile = data[:33] + struct.pack(">I", 0x7FFFFFFF) + b"IDAT" + b"\x00" * 64
    rejected(lambda: check_png(hostile), "png_chunk_too_large")


def test_png_chunk_length_over_2_to_the_31_is_rejected_even_with_a_huge_cap() -> None:
    hostile = make_png()[:33] + struct.pack(">I", 0x80000000) + b"IDAT" + b"\x00" * 64
    rejected(lambda: check_png(hostile, max_chunk_bytes=1 << 40), "png_chunk_too_large")


def test_png_50000_by_50000_header_is_rejected_without_decoding() -> None:
    rejected(lambda: check_png(make_png(header=ihdr(50000, 50000))), "png_too_many_pixels")


@pytest.mark.parametrize(("width", "height"), [(16385, 1), (1, 16385), (0, 10), (16384, 16384)])
def test_png_dimension_caps(width: int, height: int) -> None:
    rejected(lambda: check_png(make_png(header=ihdr(width, height))), "png_too_many_pixels")


def test_png_at_the_side_cap_within_the_pixel_cap_is_accepted() -> None:
    check_png(make_png(header=ihdr(16384, 16)))


def test_png_invalid_bit_depth_for_colour_type_is_rejected() -> None:
    rejected(lambda: check_png(make_png(header=ihdr(depth=4, colour=2))), "png_bad_header")


def test_png_must_start_with_ihdr() -> None:
    data = make_png()
    text = chunk(b"tEXt", b"a\x00b")
    rejected(lambda: check_png(data[:8] + text + data[8:]), "png_no_ihdr")


def test_png_second_ihdr_is_rejected() -> None:
    rejected(lambda: check_png(make_png(ihdr())), "png_bad_order")


def test_png_data_after_iend_is_rejected() -> None:
    rejected(lambda: check_png(make_png() + b"trailing"), "png_trailing_data")


def test_png_chunk_after_iend_is_rejected() -> None:
    rejected(lambda: check_png(make_png() + chunk(b"tEXt", b"a\x00b")), "png_trailing_data")


def test_png_without_idat_is_rejected() -> None:
    rejected(lambda: check_png(images.PNG_SIGNATURE + ihdr() + chunk(b"IEND", b"")), "png_no_data")


def test_png_unknown_critical_chunk_is_rejected() -> None:
    rejected(lambda: check_png(make_png(chunk(b"CgBI", b"\x00" * 4))), "png_unknown_critical")


def test_png_invalid_chunk_type_is_rejected() -> None:
    rejected(lambda: check_png(make_png(chunk(b"t3Xt", b""))), "png_bad_chunk")


def test_png_chunk_count_is_capped() -> None:
    many = chunk(b"tEXt", b"k\x00v") * images.MAX_PNG_CHUNKS
    rejected(lambda: check_png(make_png(many)), "png_too_many_chunks")


def test_png_total_size_is_capped_before_walking() -> None:
    rejected(lambda: check_png(make_png(chunk(b"prIv", bytes(images.MAX_IMAGE_BYTES)))), "too_large")


def test_png_single_chunk_size_is_capped() -> None:
    rejected(lambda: check_png(make_png(chunk(b"prIv", bytes(2048))), max_chunk_bytes=1024), "png_chunk_too_large")


def test_small_compressed_itxt_openbadges_is_rejected() -> None:
    body = b"openbadges\x00\x01\x00\x00\x00" + zlib.compress(b'{"a": 1}')
    rejected(lambda: check_png(make_png(chunk(b"iTXt", body))), "png_compressed_badge")


def test_bomb_fixture_really_inflates_to_zeros(bomb: bytes) -> None:
    inflater = zlib.decompressobj()
    head = inflater.decompress(bomb, 4 << 20)
    assert head == bytes(4 << 20) and inflater.unconsumed_tail  # 4 MiB out, most of the stream still to go
    assert len(bomb) < 2 << 20


def test_compressed_itxt_1gib_bomb_is_rejected_fast_without_inflating(bomb: bytes) -> None:
    data = make_png(chunk(b"iTXt", b"openbadges\x00\x01\x00\x00\x00" + bomb))
    rejected(lambda: check_png(data), "png_compressed_badge")


def test_compressed_itxt_openbadgecredential_bomb_is_rejected(bomb: bytes) -> None:
    data = make_png(chunk(b"iTXt", b"openbadgecredential\x00\x01\x00en\x00\x00" + bomb))
    rejected(lambda: check_png(data), "png_compressed_badge")


def test_ztxt_openbadges_bomb_is_rejected(bomb: bytes) -> None:
    data = make_png(chunk(b"zTXt", b"openbadges\x00\x00" + bomb))
    rejected(lambda: check_png(data), "png_compressed_badge")


def test_ztxt_bomb_under_another_keyword_is_never_inflated(bomb: bytes) -> None:
    data = make_png(chunk(b"zTXt", b"Comment\x00\x00" + bomb))
    with bounded():
        check_png(data)  # harmless to us: nothing here ever inflates it


def test_itxt_with_unknown_compression_flag_is_rejected() -> None:
    rejected(lambda: check_png(make_png(chunk(b"iTXt", b"openbadges\x00\x02\x00\x00\x00x"))), "png_bad_text_chunk")


def test_itxt_badge_without_separators_is_rejected() -> None:
    rejected(lambda: check_png(make_png(chunk(b"iTXt", b"openbadges\x00\x00\x00no-nul"))), "png_bad_text_chunk")


def test_parse_text_chunk_reads_uncompressed_itxt() -> None:
    body = b"openbadges\x00\x00\x00fr\x00badge\x00" + "é « ».".encode()
    parsed = images.parse_text_chunk(images.PngChunk(b"iTXt", body, 0, 0))
    assert (parsed.keyword, parsed.compressed, parsed.text) == ("openbadges", False, "é « ».")


# ------------------------------------------------------------------------------------------------- SVG: hostile XML


def test_svg_xxe_file_entity_is_rejected() -> None:
    data = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            + svg("<text>&xxe;</text>"))
    rejected(lambda: sanitise_svg(data), "svg_dtd")


def test_svg_xxe_is_rejected_by_the_parser_itself_not_only_the_prescan(secret_file: Path) -> None:
    data = (f'<!DOCTYPE svg [<!ENTITY xxe SYSTEM "{secret_file.as_uri()}">]>'.encode()
            + svg("<text>&xxe;</text>"))
    with pytest.raises(ImageRejected) as info:
        parse_svg_xml(data, max_depth=64, max_elements=1000)
    assert info.value.extra["reason"] == "svg_dtd"
    assert "CANARY" not in str(info.value.extra) + info.value.message_en


def test_svg_utf16_xxe_cannot_slip_past_the_byte_prescan() -> None:
    data = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            + svg("<text>&x;</text>").decode()).encode("utf-16")
    rejected(lambda: sanitise_svg(data), "svg_encoding")


def test_svg_declared_latin1_is_read_as_utf8() -> None:
    data = b'<?xml version="1.0" encoding="ISO-8859-1"?>' + svg("<title>é</title>")
    assert "é" in sanitise_svg(data).decode("utf-8")


def test_svg_billion_laughs_is_rejected_fast() -> None:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    data = f"<!DOCTYPE svg [{entities}]>".encode() + svg("<text>&lol9;</text>")
    rejected(lambda: sanitise_svg(data), "svg_dtd")


def test_svg_billion_laughs_does_not_expand_even_past_the_prescan() -> None:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    data = f"<!DOCTYPE svg [{entities}]>".encode() + svg("<text>&lol9;</text>")
    with bounded(), pytest.raises(ImageRejected):
        parse_svg_xml(data, max_depth=64, max_elements=1000)


def test_svg_external_dtd_is_rejected_and_never_fetched(canary: Canary) -> None:
    data = f'<!DOCTYPE svg SYSTEM "http://127.0.0.1:{canary.port}/evil.dtd">'.encode() + svg("<g/>")
    rejected(lambda: sanitise_svg(data), "svg_dtd")
    with pytest.raises(ImageRejected):
        parse_svg_xml(data, max_depth=64, max_elements=1000)
    time.sleep(0.3)
    assert canary.hits == 0


def test_svg_external_dtd_on_disk_is_never_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY x "CANARY-FROM-DTD">', encoding="utf-8")
    data = f'<!DOCTYPE svg SYSTEM "{dtd.as_uri()}">'.encode() + svg("<text>&x;</text>")
    rejected(lambda: sanitise_svg(data), "svg_dtd")
    with pytest.raises(ImageRejected) as info:
        parse_svg_xml(data, max_depth=64, max_elements=1000)
    assert info.value.extra["reason"] in {"svg_dtd", "svg_unparseable"}


def test_svg_external_parameter_entity_is_never_fetched(canary: Canary) -> None:
    data = (f'<!DOCTYPE svg [<!ENTITY % remote SYSTEM "http://127.0.0.1:{canary.port}/x.dtd"> %remote;]>'.encode()
            + svg("<g/>"))
    with pytest.raises(ImageRejected):
        parse_svg_xml(data, max_depth=64, max_elements=1000)
    time.sleep(0.3)
    assert canary.hits == 0


def test_svg_xinclude_is_not_processed(secret_file: Path) -> None:
    data = svg(f'<text><xi:include href="{secret_file.as_uri()}" parse="text"/></text>',
               ' xmlns:xi="http://www.w3.org/2001/XInclude"')
    with bounded():
        out = sanitise_svg(data)
    assert b"CANARY" not in out
    assert b"include" not in out and b"XInclude" not in out


@pytest.mark.parametrize("depth", [images.MAX_SVG_DEPTH, 100_000])
def test_svg_depth_bomb_is_rejected(depth: int) -> None:
    data = svg("<g>" * depth + "</g>" * depth)  # the root <svg> adds one level
    rejected(lambda: sanitise_svg(data), "svg_too_complex")


def test_svg_at_the_depth_cap_is_accepted() -> None:
    depth = images.MAX_SVG_DEPTH - 1
    assert sanitise_svg(svg("<g>" * depth + "</g>" * depth)).count(b"<g") == depth


def test_svg_element_count_is_capped() -> None:
    data = svg("<g/>" * (images.MAX_SVG_ELEMENTS + 1))
    rejected(lambda: sanitise_svg(data), "svg_too_complex")


def test_svg_size_is_capped() -> None:
    data = svg(f"<desc>{'x' * images.MAX_SVG_BYTES}</desc>")
    rejected(lambda: sanitise_svg(data), "too_large")


@pytest.mark.parametrize("data", [b"", b"<svg", b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", b"\x00\x01"])
def test_malformed_svg_is_rejected(data: bytes) -> None:
    with pytest.raises(ImageRejected) as info:
        sanitise_svg(data)
    assert info.value.extra["reason"] in {"svg_unparseable", "svg_encoding"}


@pytest.mark.parametrize("data", [b"<svg/>", b"<html xmlns='http://www.w3.org/1999/xhtml'/>",
                                  b"<x:svg xmlns:x='http://example.org/'/>"])
def test_root_must_be_svg_in_the_svg_namespace(data: bytes) -> None:
    rejected(lambda: sanitise_svg(data), "svg_root")


def test_undefined_entity_is_rejected() -> None:
    rejected(lambda: sanitise_svg(svg("<text>&nope;</text>")), "svg_unparseable")


# --------------------------------------------------------------------------------------------- SVG: sanitisation


def test_sanitiser_keeps_ordinary_drawing() -> None:
    data = svg('<defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/></linearGradient></defs>'
               '<circle cx="5" cy="5" r="4" fill="url(#g)" stroke="#000"/><text x="1" y="9">Café « ok »</text>')
    root = tree(sanitise_svg(data))
    circle = root.find(f"{{{SVG}}}circle")
    assert circle is not None and circle.get("fill") == "url(#g)" and circle.get("r") == "4"
    assert root.find(f".//{{{SVG}}}stop") is not None
    assert root.findtext(f"{{{SVG}}}text") == "Café « ok »"
    assert root.get("viewBox") == "0 0 10 10"


def test_sanitiser_output_is_utf8_with_declaration() -> None:
    out = sanitise_svg(svg("<title>é</title>"))
    assert out.startswith(b"<?xml version='1.0' encoding='utf-8'?>") and "é".encode() in out


def test_script_element_is_removed() -> None:
    out = sanitise_svg(svg("<script>alert(1)</script><script href='//evil/x.js'/><rect width='1' height='1'/>"))
    assert b"script" not in out and b"alert" not in out and b"<rect" in out


def test_on_attributes_are_removed() -> None:
    out = sanitise_svg(svg('<rect onclick="alert(1)" onmouseover="x()" width="1"/>').replace(
        b"<svg ", b'<svg onload="alert(2)" '))
    assert b"onload" not in out and b"onclick" not in out and b"onmouseover" not in out and b"alert" not in out


def test_animation_elements_that_could_rewrite_href_are_removed() -> None:
    out = sanitise_svg(svg('<a><animate attributeName="href" to="javascript:alert(1)"/>'
                           '<set attributeName="onclick" to="alert(1)"/><circle r="1"/></a>'))
    assert b"animate" not in out and b"<set" not in out and b"alert" not in out and b"<circle" in out


def test_foreign_object_is_removed_with_its_content() -> None:
    out = sanitise_svg(svg('<foreignObject><body xmlns="http://www.w3.org/1999/xhtml">'
                           '<iframe src="javascript:alert(1)"/></body></foreignObject>'))
    assert b"foreignObject" not in out and b"iframe" not in out and b"javascript" not in out


def test_javascript_link_is_unwrapped_and_its_drawing_kept() -> None:
    out = sanitise_svg(svg('<a href="javascript:alert(1)"><circle r="1"/>hi</a><rect/>'))
    root = tree(out)
    assert b"javascript" not in out and root.find(f"{{{SVG}}}a") is None
    assert [etree.QName(e).localname for e in root] == ["circle", "rect"]
    assert root[0].tail == "hi"


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
                                  " javascript:alert(1)", "http://evil.example/x.svg#a", "data:text/html,<b>",
                                  "file:///etc/passwd#a"])
def test_use_with_non_local_href_loses_the_href(href: str) -> None:
    data = svg(f'<g id="a"/><use xlink:href="{href.replace("<", "&lt;")}"/><use href="{href.replace("<", "&lt;")}"/>')
    out = sanitise_svg(data)
    assert b"href" not in out and b"evil" not in out and b"script" not in out.lower()


def test_use_with_local_href_is_kept() -> None:
    out = tree(sanitise_svg(svg('<defs><circle id="dot" r="1"/></defs><use href="#dot" x="3"/>')))
    use = out.find(f"{{{SVG}}}use")
    assert use is not None and use.get("href") == "#dot"


def test_nested_use_fan_out_is_removed() -> None:
    levels = '<g id="l0"><circle r="1"/></g>' + "".join(
        f'<g id="l{i}">' + f'<use href="#l{i - 1}"/>' * 10 + "</g>" for i in range(1, 8))
    root = tree(sanitise_svg(svg(f"<defs>{levels}</defs><use href='#l7'/>")))
    uses = root.findall(f".//{{{SVG}}}use")
    targets = {element.get("id"): element for element in root.iter() if element.get("id")}
    assert uses and all(targets[u.get("href", "")[1:]].find(f".//{{{SVG}}}use") is None for u in uses)


def test_self_referencing_use_is_removed() -> None:
    root = tree(sanitise_svg(svg('<g id="loop"><use href="#loop"/></g>')))
    assert root.find(f".//{{{SVG}}}use") is None


def test_image_with_embedded_png_is_kept_and_remote_image_href_dropped() -> None:
    png = base64.b64encode(make_png()).decode()
    out = sanitise_svg(svg(f'<image href="data:image/png;base64,{png}"/><image href="https://evil.example/t.png"/>'))
    images_ = tree(out).findall(f"{{{SVG}}}image")
    assert images_[0].get("href", "").startswith("data:image/png;base64,")
    assert images_[1].get("href") is None and b"evil" not in out


def test_image_with_embedded_svg_or_bad_png_is_dropped() -> None:
    bad = base64.b64encode(b"\x89PNG\r\n\x1a\nnot really").decode()
    inner = base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>").decode()
    out = sanitise_svg(svg(f'<image href="data:image/png;base64,{bad}"/>'
                           f'<image href="data:image/svg+xml;base64,{inner}"/>'))
    assert b"href" not in out


@pytest.mark.parametrize("style", ["fill:url(http://evil.example/x)", "background:url( 'https://evil.example' )",
                                   "width:expression(alert(1))", "fill:u\\72l(http://evil)",
                                   "-moz-binding:url(x.xml#a)", "fill:url(javascript:alert(1))",
                                   "background:image-set('https://evil.example/t.png' 1x)"])
def test_dangerous_style_attribute_is_dropped(style: str) -> None:
    out = sanitise_svg(svg(f'<rect style="{style}" width="1"/>'))
    assert b"style" not in out and b"evil" not in out and b"width=\"1\"" in out


def test_safe_style_attribute_is_kept() -> None:
    rect = tree(sanitise_svg(svg('<rect style="fill:url(#g);stroke:#000" width="1"/>'))).find(f"{{{SVG}}}rect")
    assert rect is not None and rect.get("style") == "fill:url(#g);stroke:#000"


def test_presentation_attribute_with_remote_url_is_dropped() -> None:
    out = sanitise_svg(svg('<rect fill="url(http://evil.example/p#x)" filter="url(https://evil/f)" mask="url(#m)"/>'))
    assert b"evil" not in out and b'mask="url(#m)"' in out


def test_style_element_with_import_is_dropped_and_plain_css_kept() -> None:
    out = sanitise_svg(svg("<style>@import url(http://evil.example/a.css);</style><style>.a{fill:red}</style>"))
    assert b"evil" not in out and b"@import" not in out and b".a{fill:red}" in out


def test_unknown_attributes_and_editor_namespaces_are_dropped() -> None:
    data = svg('<path d="M0 0" inkscape:label="x" data-x="1" formaction="x"/><sodipodi:namedview/>',
               ' xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"'
               ' xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"')
    out = sanitise_svg(data)
    assert b"inkscape" not in out and b"sodipodi" not in out and b"data-x" not in out and b'd="M0 0"' in out


def test_comments_and_processing_instructions_are_dropped() -> None:
    data = b'<?xml-stylesheet href="http://evil.example/x.xsl"?>' + svg("<!-- secret --><?php echo 1 ?><g/>")
    out = sanitise_svg(data)
    assert b"evil" not in out and b"secret" not in out and b"php" not in out


def test_baked_ob2_assertion_is_stripped_with_its_namespace() -> None:
    data = svg('<openbadges:assertion verify="https://x.example/a.json"><![CDATA[{"a":1}]]></openbadges:assertion>'
               '<circle r="1"/>', ' xmlns:openbadges="http://openbadges.org"')
    out = sanitise_svg(data)
    assert b"openbadges" not in out and b"assertion" not in out and b"<circle" in out


def test_baked_ob3_credential_is_stripped_with_its_namespace() -> None:
    data = svg('<ob:credential verify="e.y.J"/><circle r="1"/>', ' xmlns:ob="https://purl.imsglobal.org/ob/v3p0"')
    out = sanitise_svg(data)
    assert b"purl.imsglobal.org" not in out and b"credential" not in out and b"<circle" in out


def test_sanitising_is_idempotent() -> None:
    once = sanitise_svg(svg('<a href="#x"><rect style="fill:red" onclick="x"/></a><script/>text'))
    assert sanitise_svg(once) == once


# ------------------------------------------------------------------------------------------------------ dispatching


def test_sniff_tells_png_from_svg() -> None:
    assert sniff(make_png()) == "image/png"
    assert sniff(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- logo -->\n" + svg("<g/>")) == "image/svg+xml"


@pytest.mark.parametrize("data", [b"GIF89a....", b"\xff\xd8\xff\xe0", b"hello <svg>", b""])
def test_sniff_rejects_other_formats(data: bytes) -> None:
    rejected(lambda: sniff(data), "unsupported_type")


def test_check_image_returns_png_unchanged() -> None:
    data = make_png()
    assert check_image(data, "image/png") == data


def test_check_image_sanitises_svg() -> None:
    out = check_image(svg("<script>x</script><g/>"), "image/svg+xml; charset=utf-8")
    assert b"script" not in out and b"<g/>" in out


def test_check_image_rejects_a_type_mismatch() -> None:
    rejected(lambda: check_image(svg("<g/>"), "image/png"), "type_mismatch")


def test_check_image_checks_the_png() -> None:
    rejected(lambda: check_image(make_png(header=ihdr(50000, 50000)), "image/png"), "png_too_many_pixels")
