"""The four scopes of the Open Badges 3.0 API, and what each lets a backpack do, in words for the consent page."""

from __future__ import annotations

__all__ = ["ALL", "CREDENTIAL_READ", "CREDENTIAL_UPSERT", "PROFILE_READ", "PROFILE_UPDATE", "WORDS", "parse"]

_BASE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
CREDENTIAL_READ = _BASE + "credential.readonly"
CREDENTIAL_UPSERT = _BASE + "credential.upsert"
PROFILE_READ = _BASE + "profile.readonly"
PROFILE_UPDATE = _BASE + "profile.update"
ALL = (CREDENTIAL_READ, CREDENTIAL_UPSERT, PROFILE_READ, PROFILE_UPDATE)

#: scope → (English, French): what the holder lets the application do
WORDS: dict[str, tuple[str, str]] = {
    CREDENTIAL_READ: ("Read the badges in your space", "Lire les badges de votre espace"),
    CREDENTIAL_UPSERT: ("Add badges to your space, or replace them with newer versions",
                        "Ajouter des badges à votre espace, ou les remplacer par une version plus récente"),
    PROFILE_READ: ("Read your profile in your space", "Lire votre profil dans votre espace"),
    PROFILE_UPDATE: ("Change your profile in your space", "Modifier votre profil dans votre espace"),
}


def parse(scope: str | None) -> list[str]:
    """The scopes of a space-separated ``scope`` value, in order, without repeats."""
    seen: list[str] = []
    for item in (scope or "").split():
        if item not in seen:
            seen.append(item)
    return seen
