"""Baked badges: the achievement's image with the award's credential inside (OB 3.0) or its assertion (OB 2.0).

The base image is the uploaded one when its type fits (an uploaded PNG is wrapped in an SVG for ``.svg``); an
achievement with only an image URL, or an SVG when a PNG is asked for, is baked on the generated image (untrusted
images are never fetched nor rasterised).
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy.orm import Session

from app.badges import baking
from app.badges.default_image import default_png, default_svg
from app.badges.images import MAX_SVG_BYTES
from app.errors import Gone
from app.models import Achievement, Award
from app.services import achievements, awards, keys, ob2, publication
from app.urls import PublicUrls

if TYPE_CHECKING:
    from app.services.context import ServiceContext

__all__ = ["Extension", "assertion_image", "baked_assertion", "baked_credential", "base_image", "credential_image"]

Extension = Literal["png", "svg"]


def _svg_around_png(png: bytes) -> bytes:
    data = base64.b64encode(png).decode("ascii")
    return ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="256" '
            f'height="256" viewBox="0 0 256 256"><image width="256" height="256" href="data:image/png;base64,{data}" '
            f'xlink:href="data:image/png;base64,{data}"/></svg>').encode("ascii")


def base_image(session: Session, achievement: Achievement, extension: Extension) -> bytes:
    """The image to bake: the uploaded one if it fits the format, otherwise the generated one."""
    if achievement.image_id:
        image = achievements.get_image(session, achievement.image_id)
        if extension == "png" and image.media_type == "image/png":
            return image.content
        if extension == "svg" and image.media_type == "image/svg+xml":
            return image.content
        if extension == "svg" and len(image.content) * 2 + 1024 < MAX_SVG_BYTES:  # two base64 copies
            return _svg_around_png(image.content)
    return default_png(achievement.id) if extension == "png" else default_svg(achievement.name, achievement.id)


def _text(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def baked_credential(session: Session, award: Award, extension: Extension) -> bytes:
    """The OB 3.0 credential (JSON with its Data Integrity proof) baked into the badge image."""
    achievement = session.get_one(Achievement, award.achievement_id)
    image, text = base_image(session, achievement, extension), _text(award.credential)
    if extension == "png":
        return baking.bake_png(image, baking.OB3_KEYWORD, text)
    return baking.bake_svg(image, ob3=True, credential_json=text)


def baked_assertion(session: Session, vault: keys.KeyVault, urls: PublicUrls, award: Award, extension: Extension,
                    *, signed: bool) -> bytes:
    """The OB 2.0 assertion baked into the badge image: the signed JWS, or the hosted assertion (JSON, and for SVG
    its URL in ``verify``). A revoked award has no hosted assertion any more: :class:`Gone`."""
    achievement = session.get_one(Achievement, award.achievement_id)
    image = base_image(session, achievement, extension)
    if signed:
        token = ob2.signed_assertion(session, vault, urls, award)
        if extension == "png":
            return baking.bake_png(image, baking.OB2_KEYWORD, token)
        return baking.bake_svg(image, ob3=False, jws=token)
    hosted = ob2.hosted_assertion(session, urls, award)
    if hosted.revoked:
        raise Gone("This badge was revoked: its OB 2.0 assertion is gone.",
                   "Ce badge a été révoqué : son assertion OB 2.0 n'existe plus.")
    text = _text(hosted.document)
    if extension == "png":
        return baking.bake_png(image, baking.OB2_KEYWORD, text)
    return baking.bake_svg(image, ob3=False, jws=urls.ob2_assertion(award.id), credential_json=text)


# ------------------------------------------------------------------------------------------------ use cases


def credential_image(ctx: ServiceContext, award_id: str, extension: Extension, *, public: bool = True) -> bytes:
    """The baked image of an award (``public``: only if its holder made it public; else the holder's own copy)."""
    award = publication.servable_award(ctx, award_id, public=public)  # never a proof by a withdrawn key
    with ctx.db.sessions() as session:
        return baked_credential(session, award, extension)


def assertion_image(ctx: ServiceContext, award_id: str, extension: Extension, *, signed: bool) -> bytes:
    with ctx.db.sessions() as session:
        return baked_assertion(session, ctx.vault, ctx.urls, awards.get_public(session, award_id), extension,
                               signed=signed)
