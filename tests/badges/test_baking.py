"""Baking and unbaking Open Badges 2.0 / 3.0 in PNG (iTXt) and SVG (namespaced element), and hostile inputs."""

from __future__ import annotations

import json
import re
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from app.badges import baking, images
from app.badges.baking import (
    BakingError,
    UnbakedBadge,
    bake_png,
    bake_svg,
    read_svg_badge,
    unbake,
    unbake_png,
    unbake_svg,
)
from app.badges.errors import BadgeInputError
from app.badges.images import ImageRejected, check_png

from .test_images import bounded, make_png, svg, zeros_bomb

SVG = "http://www.w3.org/2000/svg"
OB2 = "http://openbadges.org"
OB3 = "https://purl.imsglobal.org/ob/v3p0"
JWS = "eyJhbGciOiJSUzI1NiJ9.eyJpZCI6InVybjp1dWlkOjEifQ.c2lnbmF0dXJl"
UNICODE_JSON = json.dumps({"name": "Bénévole « engagé » 🎉", "narrative": "Ça marche ]]> vraiment"},
                          ensure_ascii=False)
HOSTED = "https://badges.example.org/ob2/assertions/a1b2"
LOGO = svg('<circle cx="5" cy="5" r="4" fill="#c00"/>')


def chunk(ctype: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body))


def itxt(keyword: str, text: str) -> bytes:
    return chunk(b"iTXt", keyword.encode() + b"\x00\x00\x00\x00\x00" + text.encode())


def badge_chunks(png: bytes) -> list[images.PngChunk]:
    return [c for c in images.read_png_chunks(png) if images.is_badge_chunk(c)]


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))


def badge_elements(data: bytes) -> list[etree._Element]:
    return list(parse(data).iter(f"{{{OB2}}}assertion", f"{{{OB3}}}credential"))


# ------------------------------------------------------------------------------------------------------------ errors


def test_baking_error_is_a_bilingual_badge_input_error() -> None:
    error = BakingError()
    assert isinstance(error, BadgeInputError)
    assert error.code == "invalid_baked_badge"
    assert error.message_en and error.message_fr and error.message_en != error.message_fr


# --------------------------------------------------------------------------------------------------------------- PNG


@pytest.mark.parametrize(("keyword", "text"), [("openbadges", JWS), ("openbadges", UNICODE_JSON),
                                               ("openbadgecredential", JWS), ("openbadgecredential", UNICODE_JSON)])
def test_png_round_trip(keyword: str, text: str) -> None:
    assert unbake_png(bake_png(make_png(), keyword, text)) == (keyword, text)


def test_baked_png_passes_check_png() -> None:
    check_png(bake_png(make_png(), "openbadgecredential", UNICODE_JSON))


def test_png_badge_is_one_uncompressed_itxt_right_after_ihdr() -> None:
    chunks = images.read_png_chunks(bake_png(make_png(), "openbadges", "é"))
    assert [c.type for c in chunks[:2]] == [b"IHDR", b"iTXt"]
    assert chunks[1].data == b"openbadges\x00\x00\x00\x00\x00" + "é".encode()


def test_png_baking_keeps_the_image_chunks() -> None:
    original = make_png(chunk(b"tEXt", b"Title\x00Logo"))
    baked = bake_png(original, "openbadges", JWS)
    assert [c.data for c in images.read_png_chunks(baked) if c.type != b"iTXt"] == [
        c.data for c in images.read_png_chunks(original)]


def test_baking_png_twice_keeps_one_chunk() -> None:
    baked = bake_png(bake_png(make_png(), "openbadges", "first"), "openbadges", "second")
    assert [images.parse_text_chunk(c).text for c in badge_chunks(baked)] == ["second"]


def test_rebaking_png_as_ob3_removes_the_ob2_chunk() -> None:
    baked = bake_png(bake_png(make_png(), "openbadges", "ob2"), "openbadgecredential", "ob3")
    assert [images.parse_text_chunk(c).keyword for c in badge_chunks(baked)] == ["openbadgecredential"]


def test_baking_png_removes_legacy_and_odd_badge_chunks() -> None:
    original = make_png(chunk(b"tEXt", b"openbadges\x00https://old.example/a"), itxt("openbadgesX", "x"))
    assert len(badge_chunks(bake_png(original, "openbadges", JWS))) == 1


def test_bake_png_refuses_an_unknown_keyword() -> None:
    with pytest.raises(ValueError, match="keyword"):
        bake_png(make_png(), "OpenBadges", JWS)


@pytest.mark.parametrize(("text", "reason"), [("", "empty_payload"), ("a\x00b", "bad_payload"),
                                              ("x" * (baking.MAX_PAYLOAD_BYTES + 1), "payload_too_large"),
                                              ("\ud800", "bad_payload")])
def test_bake_png_refuses_unbakeable_text(text: str, reason: str) -> None:
    with pytest.raises(BakingError) as info:
        bake_png(make_png(), "openbadges", text)
    assert info.value.extra["reason"] == reason


def test_bake_png_checks_the_input_image() -> None:
    broken = bytearray(make_png())
    broken[20] ^= 1
    with pytest.raises(ImageRejected):
        bake_png(bytes(broken), "openbadges", JWS)


def test_unbake_png_without_badge_is_rejected() -> None:
    with pytest.raises(BakingError) as info:
        unbake_png(make_png(chunk(b"tEXt", b"Title\x00Logo")))
    assert info.value.extra["reason"] == "no_badge"


def test_unbake_png_with_the_same_keyword_twice_is_rejected() -> None:
    with pytest.raises(BakingError) as info:
        unbake_png(make_png(itxt("openbadges", "a"), itxt("openbadges", "b")))
    assert info.value.extra["reason"] == "several_badges"


def test_unbake_png_counts_legacy_text_against_itxt_for_duplicates() -> None:
    with pytest.raises(BakingError):
        unbake_png(make_png(chunk(b"tEXt", b"openbadges\x00https://a.example"), itxt("openbadges", JWS)))


def test_unbake_png_returns_the_first_badge_chunk() -> None:
    assert unbake_png(make_png(itxt("openbadgecredential", "ob3"), itxt("openbadges", "ob2"))) == (
        "openbadgecredential", "ob3")


def test_unbake_png_reads_legacy_text_hosted_url() -> None:
    assert unbake_png(make_png(chunk(b"tEXt", b"openbadges\x00" + HOSTED.encode()))) == ("openbadges", HOSTED)


def test_unbake_png_refuses_ob3_in_text_chunk() -> None:
    with pytest.raises(BakingError):
        unbake_png(make_png(chunk(b"tEXt", b"openbadgecredential\x00" + JWS.encode())))


def test_unbake_png_refuses_an_empty_badge() -> None:
    with pytest.raises(BakingError) as info:
        unbake_png(make_png(itxt("openbadges", "")))
    assert info.value.extra["reason"] == "empty_badge"


def test_unbake_png_refuses_a_compressed_badge_without_inflating() -> None:
    data = make_png(chunk(b"iTXt", b"openbadges\x00\x01\x00\x00\x00" + zeros_bomb(256 << 20)))
    with bounded(), pytest.raises(ImageRejected) as info:
        unbake_png(data)
    assert info.value.extra["reason"] == "png_compressed_badge"


def test_unbake_png_ignores_malformed_unrelated_text_chunks() -> None:
    data = make_png(chunk(b"iTXt", b"Comment\x00\x00\x00\x00\x00\xff\xfe"), itxt("openbadges", JWS))
    assert unbake_png(data) == ("openbadges", JWS)


def test_unbake_png_refuses_invalid_utf8() -> None:
    with pytest.raises(ImageRejected):
        unbake_png(make_png(chunk(b"iTXt", b"openbadges\x00\x00\x00\x00\x00\xff\xfe")))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), min_size=1, max_size=400),
       st.sampled_from(["openbadges", "openbadgecredential"]))
def test_png_round_trip_of_any_text(text: str, keyword: str) -> None:
    assert unbake_png(bake_png(make_png(), keyword, text)) == (keyword, text)


# --------------------------------------------------------------------------------------------------------------- SVG


def test_svg_ob2_jws_goes_in_a_self_closing_verify_attribute() -> None:
    baked = bake_svg(LOGO, ob3=False, jws=JWS)
    assert re.search(rb'<openbadges:assertion verify="[^"]+"/>', baked)
    assert unbake_svg(baked) == ("ob2", JWS)


def test_svg_ob2_hosted_url_with_json_body() -> None:
    baked = bake_svg(LOGO, ob3=False, jws=HOSTED, credential_json=UNICODE_JSON)
    assert read_svg_badge(baked) == baking.SvgBadge("ob2", HOSTED, UNICODE_JSON)
    assert b"<![CDATA[" in baked


def test_svg_unbake_prefers_verify_over_the_body_copy() -> None:
    assert unbake_svg(bake_svg(LOGO, ob3=False, jws=HOSTED, credential_json=UNICODE_JSON)) == ("ob2", HOSTED)


def test_svg_ob3_jwt_in_verify_attribute() -> None:
    baked = bake_svg(LOGO, ob3=True, jws=JWS)
    assert re.search(rb'<openbadges:credential verify="[^"]+"/>', baked)
    assert unbake_svg(baked) == ("ob3", JWS)


def test_svg_ob3_embedded_proof_json_in_cdata_body_without_verify() -> None:
    baked = bake_svg(LOGO, ob3=True, credential_json=UNICODE_JSON)
    (element,) = badge_elements(baked)
    assert element.get("verify") is None and b"<![CDATA[" in baked
    assert unbake_svg(baked) == ("ob3", UNICODE_JSON)


def test_svg_cdata_terminator_in_json_is_split_safely() -> None:
    payload = json.dumps({"a": "]]>", "b": "]]]]>", "c": "<![CDATA[", "d": "</openbadges:credential>"})
    baked = bake_svg(LOGO, ob3=True, credential_json=payload)
    assert unbake_svg(baked) == ("ob3", payload)
    assert parse(baked)[0].text == payload  # any XML parser reads the same text


def test_svg_carriage_return_survives_in_body_and_attribute() -> None:
    baked = bake_svg(LOGO, ob3=False, jws="https://a\r\nb\tc", credential_json="x\ry\r\nz")
    assert read_svg_badge(baked) == baking.SvgBadge("ob2", "https://a\r\nb\tc", "x\ry\r\nz")


@pytest.mark.parametrize(("ob3", "namespace", "local"), [(False, OB2, "assertion"), (True, OB3, "credential")])
def test_svg_badge_is_the_first_child_and_namespace_is_declared_on_svg(ob3: bool, namespace: str, local: str) -> None:
    baked = bake_svg(svg("\n  <g/>"), ob3=ob3, jws=JWS)
    root = parse(baked)
    assert root.nsmap["openbadges"] == namespace
    assert root[0].tag == f"{{{namespace}}}{local}" and root.text is None
    assert re.match(rb"<\?xml[^>]*\?>\s*<svg [^>]*xmlns:openbadges=", baked)


def test_baking_svg_twice_keeps_one_element() -> None:
    baked = bake_svg(bake_svg(LOGO, ob3=True, jws="first"), ob3=True, jws="second")
    assert [e.get("verify") for e in badge_elements(baked)] == ["second"]


def test_rebaking_svg_as_ob3_removes_the_ob2_element_and_namespace() -> None:
    baked = bake_svg(bake_svg(LOGO, ob3=False, jws=JWS), ob3=True, credential_json="{}")
    assert [e.tag for e in badge_elements(baked)] == [f"{{{OB3}}}credential"]
    assert OB2.encode() not in baked


def test_baking_svg_keeps_the_drawing() -> None:
    root = parse(bake_svg(LOGO, ob3=True, jws=JWS))
    circle = root.find(f"{{{SVG}}}circle")
    assert circle is not None and circle.get("fill") == "#c00"


def test_baking_svg_removes_nested_badge_elements_and_attributes() -> None:
    data = svg('<g><ob:assertion verify="old"/></g><rect ob:verify="x"/>', f' xmlns:ob="{OB2}"')
    baked = bake_svg(data, ob3=True, jws=JWS)
    assert len(badge_elements(baked)) == 1 and OB2.encode() not in baked and b"old" not in baked


@pytest.mark.parametrize("kwargs", [{"ob3": True}, {"ob3": True, "jws": JWS, "credential_json": "{}"},
                                    {"ob3": False}, {"ob3": False, "credential_json": "{}"},
                                    {"ob3": False, "jws": JWS, "credential_json": "{}"}])
def test_bake_svg_refuses_argument_combinations_the_spec_does_not_allow(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        bake_svg(LOGO, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("payload", ["", "   ", "a\x01b", "\ufffe", "x" * (baking.MAX_PAYLOAD_BYTES + 1)])
def test_bake_svg_refuses_unbakeable_payloads(payload: str) -> None:
    with pytest.raises(BakingError):
        bake_svg(LOGO, ob3=True, credential_json=payload)


def test_bake_svg_refuses_a_taken_openbadges_prefix() -> None:
    data = svg('<openbadges:thing/>', ' xmlns:openbadges="http://example.org/other"')
    with pytest.raises(BakingError) as info:
        bake_svg(data, ob3=True, jws=JWS)
    assert info.value.extra["reason"] == "svg_prefix_taken"


def test_unbake_svg_matches_namespace_uri_not_prefix() -> None:
    data = svg(f'<x:credential verify="{JWS}"/>', f' xmlns:x="{OB3}"')
    assert unbake_svg(data) == ("ob3", JWS)


def test_unbake_svg_ignores_the_right_prefix_on_the_wrong_namespace() -> None:
    data = svg(f'<openbadges:credential verify="{JWS}"/>', ' xmlns:openbadges="https://evil.example/ns"')
    with pytest.raises(BakingError) as info:
        unbake_svg(data)
    assert info.value.extra["reason"] == "no_badge"


def test_unbake_svg_reads_an_indented_third_party_body() -> None:
    body = '{"name": "Bénévole « engagé » 🎉"}'
    data = svg(f'\n  <openbadges:assertion verify="">\n    <![CDATA[ {body} ]]>\n  </openbadges:assertion>',
               f' xmlns:openbadges="{OB2}"')
    assert unbake_svg(data) == ("ob2", body)


def test_unbake_svg_without_badge_is_rejected() -> None:
    with pytest.raises(BakingError) as info:
        unbake_svg(LOGO)
    assert info.value.extra["reason"] == "no_badge"


def test_unbake_svg_with_two_badges_is_rejected() -> None:
    data = svg('<ob:assertion verify="a"/><ob3:credential verify="b"/>', f' xmlns:ob="{OB2}" xmlns:ob3="{OB3}"')
    with pytest.raises(BakingError) as info:
        unbake_svg(data)
    assert info.value.extra["reason"] == "several_badges"


def test_unbake_svg_with_an_empty_badge_is_rejected() -> None:
    with pytest.raises(BakingError) as info:
        unbake_svg(svg('<ob:credential verify=" "> </ob:credential>', f' xmlns:ob="{OB3}"'))
    assert info.value.extra["reason"] == "empty_badge"


_XML_TEXT = st.text(
    alphabet=st.one_of(st.characters(min_codepoint=0x20, exclude_categories=["Cs"], exclude_characters="\ufffe\uffff"),
                       st.sampled_from("\t\n\r")),
    min_size=1, max_size=300)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(_XML_TEXT, st.booleans())
def test_svg_round_trip_of_any_text_in_the_body(raw: str, ob3: bool) -> None:
    text = raw.strip(" \t\r\n")
    assume(text)
    baked = bake_svg(LOGO, ob3=True, credential_json=text) if ob3 else bake_svg(LOGO, ob3=False, jws=HOSTED,
                                                                                 credential_json=text)
    assert read_svg_badge(baked).body == text


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(_XML_TEXT, st.booleans())
def test_svg_round_trip_of_any_text_in_verify(raw: str, ob3: bool) -> None:
    text = raw.strip(" \t\r\n")
    assume(text)
    assert unbake_svg(bake_svg(LOGO, ob3=ob3, jws=text)) == ("ob3" if ob3 else "ob2", text)


# ------------------------------------------------------------------------------------------------ hostile baked SVG


def test_unbake_svg_refuses_xxe() -> None:
    data = (b'<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            + svg('<ob:credential>&xxe;</ob:credential>', f' xmlns:ob="{OB3}"'))
    with bounded(), pytest.raises(ImageRejected) as info:
        unbake_svg(data)
    assert info.value.extra["reason"] == "svg_dtd"


def test_unbake_svg_never_processes_xinclude(tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"stolen": "CANARY"}', encoding="utf-8")
    data = svg(f'<ob:credential><xi:include href="{secret.as_uri()}" parse="text"/></ob:credential>',
               f' xmlns:ob="{OB3}" xmlns:xi="http://www.w3.org/2001/XInclude"')
    with bounded(), pytest.raises(BakingError) as info:
        unbake_svg(data)
    assert info.value.extra["reason"] == "empty_badge"


def test_bake_svg_refuses_billion_laughs() -> None:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
                                                     for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    data = f"<!DOCTYPE svg [{entities}]>".encode() + svg("<text>&i;</text>")
    with bounded(), pytest.raises(ImageRejected):
        bake_svg(data, ob3=True, jws=JWS)


# --------------------------------------------------------------------------------------------------------- dispatch


@pytest.mark.parametrize(("image", "expected"), [
    (lambda: bake_png(make_png(), "openbadges", JWS), UnbakedBadge("ob2", "image/png", JWS)),
    (lambda: bake_png(make_png(), "openbadgecredential", JWS), UnbakedBadge("ob3", "image/png", JWS)),
    (lambda: bake_svg(LOGO, ob3=False, jws=HOSTED), UnbakedBadge("ob2", "image/svg+xml", HOSTED)),
    (lambda: bake_svg(LOGO, ob3=True, credential_json=UNICODE_JSON),
     UnbakedBadge("ob3", "image/svg+xml", UNICODE_JSON)),
])
def test_unbake_sniffs_and_reads(image: object, expected: UnbakedBadge) -> None:
    assert unbake(image()) == expected  # type: ignore[operator]


def test_unbake_refuses_other_formats() -> None:
    with pytest.raises(ImageRejected):
        unbake(b"GIF89a\x01\x00\x01\x00")
