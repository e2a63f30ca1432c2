"""Where a credential carries endorsements, and whether each is about the object that carries it.

OB 3.0 puts endorsements on the credential (claims "about the credential, and the achievement and profiles in the
credential"), on its achievement, and on its issuer's profile. The specification does not ask a verifier to compare
an endorsement's subject with the object that carries it; we do, so that an endorsement copied from another badge or
another organisation does not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.verify.documents import member, objects, strings, types_of
from app.verify.documents import text as _text
from app.verify.report import About, CheckId, Report

__all__ = ["Carried", "carried_endorsements", "check_subject"]


#: what an endorsement carried at each place may be about (OB 3.0: a credential's endorsements make "claims about
#: the credential, and the achievement and profiles in the credential"; an achievement's, about the achievement; a
#: profile's, about that profile)
_ABOUT_EN = {"credential": "this badge", "achievement": "this badge's achievement", "issuer": "the badge's issuer"}
_ABOUT_FR = {"credential": "ce badge", "achievement": "la réussite que ce badge reconnaît",
             "issuer": "l'émetteur du badge"}


@dataclass(frozen=True, slots=True)
class Carried:
    """An endorsement (object or compact JWT) and the objects it may be about, the one that carries it first."""

    item: dict[str, Any] | str
    about: list[tuple[About, str | None]]


def carried_endorsements(credential: dict[str, Any], issuer: dict[str, Any]) -> list[Carried]:
    """Every endorsement of the credential, of its achievement(s) and of its issuer's profile (``issuer``), in
    that order."""
    issuer_id = _text(issuer.get("id"))
    achievements = [member(s, "achievement") for s in objects(credential.get("credentialSubject"))]
    own: list[tuple[About, str | None]] = [("credential", _text(credential.get("id")))]
    own += [("achievement", _text(a.get("id"))) for a in achievements]
    own.append(("issuer", issuer_id))
    places: list[tuple[dict[str, Any], list[tuple[About, str | None]]]] = [(credential, own)]
    places += [(a, [("achievement", _text(a.get("id")))]) for a in achievements]
    places.append((issuer, [("issuer", issuer_id)]))
    found: list[Carried] = []
    for carrier, about in places:
        items: list[dict[str, Any] | str] = [*objects(carrier.get("endorsement")),
                                             *strings(carrier.get("endorsementJwt"))]
        found += [Carried(item, about) for item in items]
    return found


def check_subject(endorsement: dict[str, Any], report: Report, carried: Carried) -> About:
    """Record what the (signed) endorsement is about: one of the objects that may be, or a failed check."""
    where, expected = carried.about[0]
    if "EndorsementCredential" not in types_of(endorsement):
        report.failed(CheckId.ENDORSEMENT, "This is not an endorsement (no EndorsementCredential type).",
                      "Ce n'est pas une recommandation (pas de type EndorsementCredential).")
        return where
    ids = {_text(s.get("id")) for s in objects(endorsement.get("credentialSubject"))}
    subject = next(iter(ids)) if len(ids) == 1 else None
    for about, object_id in carried.about:
        if subject is not None and subject == object_id:
            report.passed(CheckId.ENDORSEMENT, f"This endorsement is about {_ABOUT_EN[about]} ({object_id}).",
                          f"Cette recommandation porte sur {_ABOUT_FR[about]} ({object_id}).")
            return about
    if not ids - {None}:
        report.failed(CheckId.ENDORSEMENT, "This endorsement does not say what it is about (credentialSubject id).",
                      "Cette recommandation ne dit pas sur quoi elle porte (id de credentialSubject).")
        return where
    named = ", ".join(sorted(i for i in ids if i is not None))
    report.failed(CheckId.ENDORSEMENT, f"This endorsement is about another object ({named}), not this one "
                  f"({expected or 'no id'}).", f"Cette recommandation porte sur un autre objet ({named}), pas sur "
                  f"celui-ci ({expected or 'sans identifiant'}).")
    return where
