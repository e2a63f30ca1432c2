"""Badge images: upload (checked PNG, sanitised SVG), public serving with a strict CSP, generated defaults."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from app.deps import CtxDep, IssueDep
from app.http import IMAGE_HEADERS
from app.openapi import problems
from app.schemas.achievements import AchievementOut
from app.services import achievements
from app.services.achievements import NotAnImage

router = APIRouter(tags=["achievements"])
public_router = APIRouter(tags=["publication"])

_IMAGE_TYPES = {"image/png", "image/svg+xml"}


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
            openapi_extra={"requestBody": {"description": "The image: a PNG or an SVG file, as the body or as the "
                                                          "`file` field of a form", "content": {
                "image/png": {"schema": {"type": "string", "format": "binary"}},
                "image/svg+xml": {"schema": {"type": "string", "format": "binary"}},
                "multipart/form-data": {"schema": {"type": "object", "properties": {
                    "file": {"type": "string", "format": "binary"}}}}}}},
            responses={**problems(409),
                       201: {"description": "A new draft version was created", "model": AchievementOut},
                       422: {"description": "Not a PNG or SVG, or a hostile one"}})
async def upload_image(achievement_id: str, request: Request, principal: IssueDep, ctx: CtxDep,
                       response: Response) -> AchievementOut:
    """Give a badge its image: a PNG or SVG as the request body (`Content-Type: image/png` or `image/svg+xml`) or
    as the `file` field of a multipart form. A PNG is checked chunk by chunk without being decoded (size, dimensions,
    CRCs; at most 5 MiB, 16,384 pixels a side and 67 million in all), an SVG sanitised (no script, no external
    reference; 2 MiB).

    `curl -X PUT http://127.0.0.1:8000/api/v1/achievements/$A/image -H "Authorization: Bearer $KEY"
    -H 'Content-Type: image/png' --data-binary @badge.png`"""
    declared, data = await _read_upload(request)
    out, is_new = await run_in_threadpool(achievements.upload_image, ctx, principal, achievement_id, declared, data)
    if is_new:
        response.status_code = status.HTTP_201_CREATED
    return out


@public_router.get("/images/{image_id}", summary="An uploaded badge image (immutable)", response_class=Response,
                   responses={200: {"content": {"image/png": {}, "image/svg+xml": {}}}})
def read_image(image_id: str, ctx: CtxDep) -> Response:
    """An uploaded badge image, re-encoded at upload (PNG) or sanitised (SVG), immutable: served with a strict content
    security policy and `nosniff`."""
    image = achievements.image_file(ctx, image_id)
    return Response(image.content, media_type=image.media_type, headers={
        **IMAGE_HEADERS, "Cache-Control": "public, max-age=31536000, immutable", "ETag": image.etag})


@public_router.get("/achievements/{achievement_id}/image.svg", summary="Generated image of a badge without one",
                   response_class=Response, responses={200: {"content": {"image/svg+xml": {}}}})
def generated_image(achievement_id: str, ctx: CtxDep) -> Response:
    """The image drawn for a badge that has none: its name on a colour picked from its id (SVG, strict CSP)."""
    image = achievements.generated_image(ctx, achievement_id)
    return Response(image.content, media_type=image.media_type, headers={
        **IMAGE_HEADERS, "Cache-Control": "public, max-age=86400", "ETag": image.etag})
