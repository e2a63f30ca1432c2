"""Shared pydantic bases: inputs forbid unknown fields (mass assignment is a 422, not a silent drop), and every
text they carry can be signed: whatever is accepted here can go into a credential that verifies."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

import ada_url
import email_validator
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, StringConstraints, field_validator

from app.errors import InvalidValue

__all__ = ["CredentialDate", "EmailText", "HttpUrlText", "InputModel", "LanguageTag", "OutputModel", "Slug",
           "signable"]


#: control characters that RDFC-1.0 canonicalisation escapes differently across implementations (tab, line feed and
#: carriage return are fine), NUL (which PostgreSQL text refuses) and lone surrogates (not encodable as UTF-8)
_UNSIGNABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def signable(value: Any) -> Any:
    """``value`` unchanged if every text in it (a string, or strings in a list) can be signed and stored.

    :raises ValueError: naming the first refused character.
    """
    texts = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] \
        if isinstance(value, list | tuple) else []
    for text in texts:
        found = _UNSIGNABLE.search(text)
        if found:
            raise InvalidValue(f"contains a control character (U+{ord(found.group()):04X}) that cannot be "
                               "published; remove it",
                               f"contient un caractère de contrôle (U+{ord(found.group()):04X}) qui ne peut pas être "
                               "publié : retirez-le")
    return value


class InputModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _signable_text(cls, value: Any) -> Any:
        return signable(value)


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


#: what no IRI may hold (RDF's IRIREF) and what jsonld.js refuses in an IRI (JavaScript's ``\s``): Digital Bazaar
#: and DCC would refuse a credential carrying it
_NOT_IN_IRI = re.compile("[\x00-\x20\x7f<>\"{}|^`\\\\\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]")


def _check_http_url(value: str) -> str:
    """``value`` if it is an absolute http(s) URL that browsers and JavaScript verifiers parse as we do: the WHATWG
    URL standard (ada, as in Node.js: a valid host, a port up to 65535), no credentials, nothing an IRI cannot hold.

    :raises ValueError: saying what is wrong.
    """
    found = _NOT_IN_IRI.search(value)
    if found:
        raise InvalidValue(f"must not contain U+{ord(found.group()):04X} ({found.group()!r}): a space or a "
                           "character a URL cannot hold; percent-encode it (a space is %20)",
                           f"ne doit pas contenir U+{ord(found.group()):04X} ({found.group()!r}) : une espace ou un "
                           "caractère qu'une adresse web ne peut pas porter ; encodez-le (une espace s'écrit %20)")
    if "://" not in value:
        raise InvalidValue("must be a full address starting with https:// (or http://)",
                           "doit être une adresse complète, commençant par https:// (ou http://)")
    if not ada_url.check_url(value):
        raise InvalidValue("is not a URL browsers accept (check the host name and the port)",
                           "n'est pas une adresse web que les navigateurs acceptent (vérifiez le nom du site et le "
                           "port)")
    parsed = ada_url.URL(value)
    if parsed.protocol not in ("http:", "https:") or not urlsplit(value).hostname or parsed.username \
            or parsed.password:  # an empty authority (https:///x) is a typing error WHATWG would mend
        raise InvalidValue("must be an absolute http(s) URL without credentials",
                           "doit être une adresse web complète (http ou https) sans identifiant ni mot de passe")
    return value


#: the everyday addresses (ASCII dot-atom, host names, an alphabetic top-level domain that is not reserved): a
#: subset of what email-validator accepts, checked at once (a bulk file of 100,000 rows spends 9 s in the library)
_PLAIN_EMAIL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                          r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,63})")


def _plain_email(value: str) -> bool:
    found = _PLAIN_EMAIL.fullmatch(value)
    if found is None or len(value) > 254 or value.index("@") > 64:
        return False
    labels = value[value.index("@") + 1:].split(".")
    return found.group(1).lower() not in email_validator.SPECIAL_USE_DOMAIN_NAMES \
        and not any(label[2:4] == "--" for label in labels)  # xn-- and the like: IDNA's rules, the library's job


def _check_email(value: str) -> str:
    """``value`` if it is an email address by the rules mail servers apply (email-validator: syntax only, no DNS;
    everyday addresses are recognised without it), unchanged: normalising it is the issuer's job
    (``app.badges.identity``).

    :raises ValueError: saying what is wrong, in English and French.
    """
    if _plain_email(value):
        return value
    try:
        email_validator.validate_email(value, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        raise InvalidValue(f"is not an email address: {exc}",
                           "n'est pas une adresse e-mail valide (par exemple : prenom.nom@exemple.fr) ; vérifiez "
                           "qu'il n'y a ni espace, ni virgule, ni deux adresses à la fois") from None
    return value


Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")]
HttpUrlText = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_check_http_url)]
EmailText = Annotated[str, StringConstraints(max_length=320), AfterValidator(_check_email)]
LanguageTag = Annotated[str, StringConstraints(max_length=16, pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]


#: the instants a credential date can hold: an ``xsd:dateTimeStamp`` with a four-digit year once in UTC (as every
#: verifier reads it); outside, a date is a typing error (0226 for 2026), not a badge
_EARLIEST = datetime(1000, 1, 1, tzinfo=UTC)


def _check_credential_date(value: datetime) -> datetime:
    try:
        utc = value.astimezone(UTC)
    except OverflowError:  # beyond 9999-12-31 once in UTC
        utc = None
    if utc is None or utc < _EARLIEST:
        raise InvalidValue("must fall between the years 1000 and 9999 (in UTC)",
                           "doit tomber entre les années 1000 et 9999 (en temps universel)")
    return value


CredentialDate = Annotated[AwareDatetime, AfterValidator(_check_credential_date)]
