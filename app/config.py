"""One settings object, read from the environment once and passed in.

Nothing here runs at import: call :func:`load_settings` (the app factory and the CLI do).
"""

from __future__ import annotations

import base64
import secrets
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Environment", "Settings", "load_settings"]


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class Settings(BaseSettings):
    """Service configuration. Every field maps to an environment variable of the same name (upper case)."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore", env_file=None)

    environment: Environment = Field(
        Environment.development,
        description="development generates missing secrets under var/; production never does.",
    )
    database_url: str = Field(
        "", description="SQLAlchemy URL. Default: SQLite file var/savoirs.db. Production: postgresql+psycopg://…"
    )
    public_base_url: str = Field(
        "http://localhost:8000", description="Origin (and optional path) every published id derives from."
    )
    kek: SecretStr | None = Field(None, description="Key-encryption key, 32 bytes in base64 or base64url.")
    kek_file: Path | None = Field(None, description="File holding the key-encryption key (base64).")
    admin_token: SecretStr | None = Field(None, description="Bearer token for organisation administration.")
    var_dir: Path = Field(Path("var"), description="Where development data and generated secrets live.")
    max_body_bytes: int = Field(8 * 1024 * 1024, description="Largest accepted request body, in bytes.")
    max_upload_bytes: int = Field(48 * 1024 * 1024, description="Largest body of a badge request with its evidence "
                                  "files (photos straight from a phone), in bytes.")
    auth_failure_limit: int = Field(10, description="Failed authentications per client per minute before 429.")
    allow_loopback_fetch: bool = Field(False, description="Let the verifier fetch loopback URLs (tests, dev).")
    verify_rate_limit: int = Field(120, description="Verifications per client per minute (each may fetch URLs).")
    db_statement_timeout_ms: int = Field(15_000, ge=100, le=600_000, description="PostgreSQL: the longest a "
                                         "statement may run (or wait for a lock) before it is cancelled and the "
                                         "request answered 503 with Retry-After.")
    trusted_proxies: str = Field("", description="Comma-separated addresses of the reverse proxies in front of the "
                                 "service (e.g. 127.0.0.1): only from them are X-Forwarded-For and -Proto believed. "
                                 "Empty: every throttle keys on the connection's own address.")
    verify_concurrency: int = Field(32, ge=1, le=256, description="Verifications at once in one process (each may "
                                    "wait on other servers); one more is answered 503 with Retry-After at once.")
    log_level: str = Field("INFO")
    smtp_url: str | None = Field(None, description="Where email goes: smtp://user:password@host:port (STARTTLS when "
                                 "the server offers it) or smtps://… (TLS from the start). Unset: every message is "
                                 "written to VAR_DIR/outbox/ as an .eml file and announced in the log.")
    mail_from: str = Field("savoirs <ne-pas-repondre@localhost>", description="The From address of every message.")
    signin_link_minutes: int = Field(15, ge=1, le=24 * 60, description="How long a sign-in link or code is valid.")
    service_name: str = Field("savoirs", description="The name partner backpacks show for this service (the title "
                              "of its Open Badges API description).")
    terms_url: str | None = Field(None, description="The terms of service partner backpacks link to. Default: "
                                  "PUBLIC_BASE_URL/conditions (a short page of this service).")
    privacy_policy_url: str | None = Field(None, description="The privacy policy partner backpacks link to. "
                                           "Default: PUBLIC_BASE_URL/confidentialite (a short page of this service).")
    oauth_registration_limit: int = Field(20, description="Client registrations per address per hour (anyone may "
                                          "register a backpack).")
    signin_session_hours: int = Field(12, ge=1, le=24 * 30, description="How long a sign-in lasts.")

    @field_validator("public_base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise ValueError("PUBLIC_BASE_URL must be an absolute http(s) URL without query or fragment")
        return value.rstrip("/")

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.var_dir / 'savoirs.db').as_posix()}"

    @property
    def is_development(self) -> bool:
        return self.environment is Environment.development

    def read_kek(self) -> bytes | None:
        """Return the 32-byte key-encryption key, or None when none is configured.

        :raises ValueError: when a KEK is configured but is not 32 bytes of base64.
        """
        raw: str | None = None
        if self.kek is not None:
            raw = self.kek.get_secret_value()
        elif self.kek_file is not None and self.kek_file.exists():
            raw = self.kek_file.read_text(encoding="ascii").strip()
        if raw is None:
            return None
        key = _b64decode(raw)
        if len(key) != 32:
            raise ValueError("the key-encryption key must be 32 bytes (base64-encoded)")
        return key


def _b64decode(text: str) -> bytes:
    text = text.strip()
    padded = text + "=" * (-len(text) % 4)
    if "-" in text or "_" in text:
        return base64.urlsafe_b64decode(padded)
    return base64.b64decode(padded)


def _write_secret(path: Path, value: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.write_text(value + "\n", encoding="ascii")


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment; in development, create missing secrets under ``var/``.

    Development secrets are written once (``var/kek.key``, ``var/admin-token``) and reused on the next start.
    """
    settings = Settings(**overrides)  # type: ignore[arg-type]
    if not settings.is_development:
        return settings
    updates: dict[str, object] = {}
    if settings.kek is None and settings.kek_file is None:
        kek_path = settings.var_dir / "kek.key"
        if not kek_path.exists():
            _write_secret(kek_path, base64.b64encode(secrets.token_bytes(32)).decode())
        updates["kek_file"] = kek_path
    if settings.admin_token is None:
        token_path = settings.var_dir / "admin-token"
        if not token_path.exists():
            _write_secret(token_path, secrets.token_urlsafe(32))
        updates["admin_token"] = SecretStr(token_path.read_text(encoding="ascii").strip())
    if not updates:
        return settings
    return settings.model_copy(update=updates)
