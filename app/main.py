"""Application factory: ``create_app(settings)`` builds a fresh app; nothing happens at import."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from app import openapi
from app.clock import Clock
from app.config import Settings, load_settings
from app.fastlane import StatusListFastLane
from app.headers import DOCS_ASSETS, PublicCorsMiddleware, SecurityHeadersMiddleware
from app.metrics import MetricsMiddleware
from app.middleware import BodySizeLimitMiddleware
from app.problems import register_error_handlers
from app.ratelimit import SharedWindow
from app.routers import (
    achievements,
    admin,
    awards,
    backpack_pages,
    bulk,
    claim_codes,
    committee_pages,
    credentials,
    endorsement_pages,
    endorsements,
    erasure,
    health,
    holder_pages,
    images,
    jobs,
    oauth_clients,
    oauth_pages,
    ob2,
    ob3_api,
    organisation,
    pages,
    public,
    recognition,
    recognition_pages,
    signin,
    verify,
)
from app.services.context import ServiceContext, build_context

__all__ = ["create_app"]

log = logging.getLogger("savoirs")
STATIC = Path(__file__).resolve().parent / "static"

DESCRIPTION = """
**savoirs** issues, revokes and verifies Open Badges 2.0 and 3.0 credentials for social centres and
neighbourhood organisations.

* Administration (`/api/v1/orgs`) uses the service's `ADMIN_TOKEN`.
* Everything else under `/api/v1` uses an organisation API key `prefix.secret` with scopes
  `admin`, `issue`, `revoke`, `read`: send `Authorization: Bearer <key>`.
* Public documents (did:web, JWKS, profiles, credentials) need no authentication.

Errors are `application/problem+json` (RFC 9457) with `code`, `message_en` and `message_fr`.
"""

TAGS = [
    {"name": "administration", "description": "Organisations (issuers), for the service administrator."},
    {"name": "organisation", "description": "The calling organisation and its API keys."},
    {"name": "achievements", "description": "Badge classes: drafts, levels, publication, versions."},
    {"name": "awards", "description": "Awarding badges to people and groups; revocation and suspension."},
    {"name": "groups", "description": "Collective recipients."},
    {"name": "credentials", "description": "Issued credentials and their status lists (public)."},
    {"name": "signing keys", "description": "Rotation and compromise of an organisation's signing keys."},
    {"name": "publication", "description": "Public documents verifiers resolve: did:web, JWKS, profiles."},
    {"name": "open badges 2.0", "description": "Every award as an OB 2.0 hosted and signed Assertion, with its "
                                              "BadgeClass and the issuer's RevocationList (public)."},
    {"name": "verification", "description": "Verify any Open Badge (2.0 or 3.0; URL, JSON, JWS/JWT or baked "
                                           "image), from any issuer: one report, in French and English (public)."},
    {"name": "jobs", "description": "Background jobs of the calling organisation (e.g. re-signing credentials "
                                   "after a key compromise): state, attempts, last error, progress."},
    {"name": "recognition", "description": "Residents ask for badges with evidence (public, a private link, no "
                                          "account); the organisation's committee reviews, votes and decides."},
    {"name": "endorsements", "description": "Organisations and people vouch for an organisation, an achievement or an "
                                           "award: asked by link, signed by the endorser (EndorsementCredential), "
                                           "published with what they endorse, revocable."},
    {"name": "erasure", "description": "GDPR: holders' requests to erase their data, carried out by the organisation; "
                                      "one resident's data exported or erased."},
    {"name": "operations", "description": "Health and readiness probes."},
]


def _lifespan(ctx: ServiceContext, *, jobs_in_process: bool
              ) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """SQLite: the job worker runs in this process, from startup to shutdown (PostgreSQL: ``savoirs worker``)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        from app.jobs.runner import InProcessWorker

        worker = InProcessWorker(ctx.jobs, ctx) if jobs_in_process and ctx.jobs.in_memory else None
        if worker is not None:
            worker.start()
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()

    return lifespan


def create_app(settings: Settings | None = None, *, clock: Clock | None = None,
               jobs_in_process: bool = True) -> FastAPI:
    """Build the application. ``settings`` default to the environment (development secrets under var/).

    ``jobs_in_process=False`` keeps the SQLite job worker from starting (tests run jobs with
    :func:`app.jobs.testing.run_pending`)."""
    settings = settings or load_settings()
    ctx = build_context(settings, clock=clock)
    app = FastAPIOffline(title="savoirs", version="0.1.0", description=DESCRIPTION, openapi_tags=TAGS,
                         docs_url="/docs", redoc_url="/redoc", static_url=DOCS_ASSETS,
                         lifespan=_lifespan(ctx, jobs_in_process=jobs_in_process))  # docs without any CDN
    app.state.settings = settings
    app.state.ctx = ctx
    app.state.db, app.state.vault, app.state.clock = ctx.db, ctx.vault, ctx.clock  # tests read these directly
    # shared by every worker (counted in the database): wrong keys, verifications, registrations per client
    minute, hour = timedelta(minutes=1), timedelta(hours=1)
    app.state.auth_limiter = SharedWindow(ctx.db, "auth-failures", settings.auth_failure_limit, minute)
    app.state.verify_limiter = SharedWindow(ctx.db, "verifications", settings.verify_rate_limit, minute)
    app.state.registration_limiter = SharedWindow(ctx.db, "oauth-registrations", settings.oauth_registration_limit,
                                                  hour)
    register_error_handlers(app)
    # matched in this order, one route after another: the routes read most (probes, status lists, credentials and
    # the documents a verifier fetches) come first
    for router in (health.router, credentials.router, public.router, ob2.router, achievements.public_router,
                   images.public_router, verify.router, pages.router, admin.router, organisation.router,
                   achievements.router, bulk.router, awards.router, images.router, jobs.router, signin.router,
                   recognition.router, recognition.public_router, committee_pages.router,
                   recognition_pages.router, endorsements.router, endorsements.public_router,
                   endorsement_pages.router, holder_pages.router, backpack_pages.router, erasure.router,
                   claim_codes.router, ob3_api.router, oauth_pages.router, oauth_clients.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    openapi.install(app)  # every operation's errors, with the problem document the service sends
    app.add_middleware(StatusListFastLane, ctx=ctx)  # innermost of ours: CORS and security headers wrap it
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes,
                       upload_max_bytes=settings.max_upload_bytes)
    app.add_middleware(PublicCorsMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)  # on every answer, errors and 413s included
    app.add_middleware(MetricsMiddleware, metrics=ctx.metrics)  # outermost: counts every answer and its time
    return app
