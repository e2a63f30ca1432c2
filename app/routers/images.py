"""Badge images: upload (checked PNG, sanitised SVG), public serving with a strict CSP, generated defaults."""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Request, Response, status
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from app.badges import images
from app.badges.default_image import default_svg
from app.deps import DbDep, IssueDep, UrlsDep
from app.errors import InvalidInput
from app.routers.achievements import achievement_out
from app.schemas.achievements import AchievementOut
from app.services import achievements

router = APIRouter(tags=["achievements"])
public_router = APIRouter(tags=["publication"])

#: served with every image: an SVG can never run script, load anything or be sniffed as HTML
IMAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Access-Control-Allow-Origin": "*",
}
_IMAGE_TYPES = {"image/png", "image/svg+xml"}


class NotAnImage(InvalidInput):
    code = "invalid_image"
    message_en = "Send a PNG or SVG image, as the request body (Content-Type image/png or image/svg+xml) or as " \
                 "the 'file' field of a multipart form."
    message_fr = "Envoyez une image PNG ou SVG, comme corps de la requête (Content-Type image/png ou " \
                 "image/svg+xml) ou dans le champ « file » d'un formulaire multipart."


async def _read_upload(request: Request) -> tuple[str | None, bytes]:
    """(declared media type, bytes) from a raw image body or a multipart ``file`` field."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        async with request.form(max_files=1, max_fields=5) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise NotAnImage()
            declared = (upload.content_type or "").split(";")[0].strip().lower() or None
            return declared, await upload.read()
    if content_type not in _IMAGE_TYPES:
        raise NotAnImage()
    return content_type, await request.body()


@router.put("/api/v1/achievements/{achievement_id}/image", response_model=AchievementOut,
            summary="Upload the badge image (PNG or SVG); a published badge gets a new draft version",
            openapi_extra={"requestBody": {"content": {
                "image/png": {"schema": {"type": "string", "format": "binary"}},
                "image/svg+xml": {"schema": {"type": "string", "format": "binary"}},
                "multipart/form-data": {"schema": {"type": "object", "properties": {
                    "file": {"type": "string", "format": "binary"}}}}}}},
            responses={201: {"description": "A new draft version was created", "model": AchievementOut},
                       422: {"description": "Not a PNG or SVG, or a hostile one"}})
async def upload_image(achievement_id: str, request: Request, principal: IssueDep, db: DbDep, urls: UrlsDep,
                       response: Response) -> AchievementOut:
    declared, data = await _read_upload(request)
    sniffed = images.sniff(data)
    if declared not in (None, "application/octet-stream", sniffed):
        raise NotAnImage()
    content = images.check_image(data, sniffed)

    def store() -> tuple[AchievementOut, bool]:
        with db.transaction() as session:
            row, is_new = achievements.set_image(session, principal.org_id, achievement_id, sniffed, content,
                                                 actor=principal.actor)
            return achievement_out(row, urls), is_new

    out, is_new = await run_in_threadpool(store)
    if is_new:
        response.status_code = status.HTTP_201_CREATED
    return out


@public_router.get("/images/{image_id}", summary="An uploaded badge image (immutable)", response_class=Response,
                   responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}}})
def read_image(image_id: str, db: DbDep) -> Response:
    with db.sessions() as session:
        image = achievements.get_image(session, image_id)
        media_type, content, digest = image.media_type, image.content, image.sha256
    return Response(content, media_type=media_type, headers={
        **IMAGE_HEADERS, "Cache-Control": "public, max-age=31536000, immutable", "ETag": f'"{digest[:32]}"'})


@public_router.get("/achievements/{achievement_id}/image.svg", summary="Generated image of a badge without one",
                   response_class=Response, responses={200: {"content": {"image/svg+xml": {}}}})
def generated_image(achievement_id: str, db: DbDep) -> Response:
    with db.sessions() as session:
        row = achievements.get_public(session, achievement_id)
        content = default_svg(row.name, row.id)
    return Response(content, media_type="image/svg+xml", headers={
        **IMAGE_HEADERS, "Cache-Control": "public, max-age=86400",
        "ETag": '"' + hashlib.sha256(content).hexdigest()[:32] + '"'})
