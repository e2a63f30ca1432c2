"""The service description document of the Open Badges 3.0 API (``GET /ims/ob/v3p0/discovery``): a profiled
OpenAPI 3.0 document that tells a backpack where to register, authorise, get tokens, and what each scope lets it
do. Built from the settings alone: it holds nothing about anyone."""

from __future__ import annotations

from typing import Any

from app.config import Settings
from app.oauth import scopes

__all__ = ["API_PATH", "description"]

API_PATH = "/ims/ob/v3p0"

_IMSX = {"$ref": "#/components/schemas/Imsx_StatusInfo"}


def _errors(*codes: int) -> dict[str, Any]:
    return {str(code): {"description": "Imsx_StatusInfo", "content": {"application/json": {"schema": _IMSX}}}
            for code in codes}


def _secured(scope: str) -> list[dict[str, list[str]]]:
    return [{"OAuth2ACG": [scope]}]


def description(settings: Settings) -> dict[str, Any]:
    """The profiled OpenAPI 3.0 service description document of this server."""
    base = settings.public_base_url
    api = base + API_PATH
    return {
        "openapi": "3.0.1",
        "info": {
            "title": settings.service_name,
            "description": "Open Badges 3.0 API of savoirs: the badges of a holder's space, for their backpacks.",
            "termsOfService": settings.terms_url or f"{base}/conditions",
            "version": "1.0",
            "x-imssf-privacyPolicyUrl": settings.privacy_policy_url or f"{base}/confidentialite",
            "x-imssf-image": f"{base}/static/savoirs.svg",
        },
        "servers": [{"url": api, "description": "savoirs"}],
        "tags": [{"name": "OpenBadgeCredentials"}, {"name": "Profile"}, {"name": "Discovery"}],
        "paths": {
            "/credentials": {
                "get": {"tags": ["OpenBadgeCredentials"], "operationId": "getCredentials",
                        "parameters": [
                            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                            {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                            {"name": "since", "in": "query", "schema": {"type": "string", "format": "date-time"}}],
                        "security": _secured(scopes.CREDENTIAL_READ),
                        "responses": {"200": {"description": "GetOpenBadgeCredentialsResponse"},
                                      **_errors(400, 401, 403, 405, 500)}},
                "post": {"tags": ["OpenBadgeCredentials"], "operationId": "upsertCredential",
                         "security": _secured(scopes.CREDENTIAL_UPSERT),
                         "responses": {"200": {"description": "Replaced"}, "201": {"description": "Created"},
                                       "304": {"description": "Not modified"},
                                       **_errors(400, 401, 403, 405, 500)}},
            },
            "/profile": {
                "get": {"tags": ["Profile"], "operationId": "getProfile", "security": _secured(scopes.PROFILE_READ),
                        "responses": {"200": {"description": "Profile"}, **_errors(401, 403, 404, 405, 500)}},
                "put": {"tags": ["Profile"], "operationId": "putProfile", "security": _secured(scopes.PROFILE_UPDATE),
                        "responses": {"200": {"description": "Profile"}, **_errors(400, 401, 403, 405, 500)}},
            },
            "/discovery": {
                "get": {"tags": ["Discovery"], "operationId": "getServiceDescription",
                        "responses": {"200": {"description": "This document"}}},
            },
        },
        "components": {
            "securitySchemes": {
                "OAuth2ACG": {
                    "type": "oauth2",
                    "description": "OAuth 2.0 Authorization Code Grant with PKCE (S256) and dynamic client "
                                   "registration (RFC 7591).",
                    "x-imssf-registrationUrl": f"{api}/register",
                    "flows": {"authorizationCode": {
                        "authorizationUrl": f"{api}/authorize",
                        "tokenUrl": f"{api}/token",
                        "refreshUrl": f"{api}/token",
                        "scopes": {scope: words[0] for scope, words in scopes.WORDS.items()},
                    }},
                },
            },
            "schemas": {"Imsx_StatusInfo": {"type": "object", "required": ["imsx_codeMajor", "imsx_severity"],
                                            "properties": {"imsx_codeMajor": {"type": "string"},
                                                           "imsx_severity": {"type": "string"},
                                                           "imsx_description": {"type": "string"}}}},
        },
    }
