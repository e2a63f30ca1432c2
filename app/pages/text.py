"""The words of the public pages, in French (first) and English: labels, verdicts, statuses, check names, months.

Nothing here decides anything: :mod:`app.pages.view` picks the words, the templates lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from app.verify.report import CheckId, Outcome, Status
from app.verify.verdict import Verdict

__all__ = ["CHECK_NAMES", "MONTHS", "OUTCOME_ICONS", "STATUS", "TEXT", "VERDICTS", "Lang", "VerdictWords",
           "pick_lang"]

Lang = Literal["fr", "en"]


def pick_lang(value: Any) -> Lang:
    """English when asked for (``en``, any case), French otherwise."""
    return "en" if isinstance(value, str) and value.strip().lower() == "en" else "fr"


TEXT: dict[Lang, dict[str, str]] = {
    "fr": {
        "site": "savoirs", "skip": "Aller au contenu", "other_lang": "English", "other_lang_code": "en",
        "title": "Vérifier un badge", "result_title": "Résultat de la vérification",
        "intro": "Vous avez reçu un badge numérique (Open Badge) ? Vérifiez ici qu'il est authentique : "
                 "qu'il vient bien de l'organisme indiqué, qu'il n'a pas été modifié et qu'il n'a pas été retiré.",
        "url_label": "Adresse du badge (URL)", "url_hint": "Par exemple : https://badges.exemple.fr/credentials/…",
        "file_label": "Ou déposez le fichier du badge (image PNG/SVG, JSON ou texte)",
        "file_hint": "Cliquez sur le bouton pour choisir le fichier, ou faites-le glisser dessus.",
        "email_label": "Votre adresse e-mail (pour vérifier que le badge vous a été décerné)",
        "email_hint": "Facultatif. Elle sert seulement à cette vérification : elle n'est pas enregistrée.",
        "submit": "Vérifier le badge", "again": "Vérifier un autre badge", "form_title": "Le badge à vérifier",
        "claims": "Ce que dit le badge", "claims_unsure": "Ce que dit le badge (non garanti)",
        "claims_unsure_note": "Attention : comme le badge n'est pas valide, ces informations ne sont pas garanties.",
        "claims_unconfirmed_note": "Attention : comme l'organisme n'est pas confirmé, ces informations ne sont pas "
                                   "garanties.",
        "issuer": "Délivré par", "issuer_site": "Site de l'organisme", "achievement": "Badge",
        "description": "Description", "criteria": "Ce qu'il a fallu faire pour l'obtenir",
        "criteria_link": "Voir les critères", "level": "Niveau", "issued": "Date de délivrance",
        "expires": "Date de fin de validité", "no_expiry": "Aucune (valable sans limite de durée)",
        "status": "État", "recipient": "Décerné à",
        "recipient_hidden": "Personne protégée : ni son nom ni son adresse ne sont publiés dans le badge, qui n'en "
                            "contient qu'une empreinte.",
        "recipient_named": "Nom publié dans le badge (visible par tous) : {names}.",
        "recipient_named_hidden": "Son adresse e-mail (ou son numéro) n'est pas publiée : le badge n'en contient "
                                  "qu'une empreinte.",
        "evidence": "Preuves", "evidence_link": "Voir la preuve",
        "badge_page_intro": "Voici la description d'un badge. Pour vérifier un badge reçu par quelqu'un, ouvrez "
                            "l'adresse de ce badge-là, ou déposez son image sur la page de vérification.",
        "badge_awarded_by": "Décerné par",
        "revocation_reason": "Motif du retrait donné par l'organisme",
        "not_shareable": "Ce badge n'étant pas valide, il n'est pas proposé au partage.",
        "recipient_match": "Oui, ce badge a été décerné à l'adresse indiquée.",
        "recipient_nomatch": "Non, ce badge n'a pas été décerné à l'adresse indiquée.",
        "narrative": "Ce que la personne a fait", "image_alt": "Image du badge « {name} »",
        "checks": "Ce qui a été vérifié", "notes": "À noter", "endorsements": "Recommandations",
        "endorsements_intro": "D'autres organismes ou personnes recommandent ce badge, ou l'organisme qui le "
                              "délivre.",
        "endorsed_by": "Recommandé par", "endorsement_ok": "Recommandation vérifiée",
        "endorsement_bad": "Recommandation NON vérifiée", "unknown_issuer": "Émetteur inconnu",
        "endorsement_about": "Porte sur", "endorsement_reason": "Pourquoi",
        # what an endorsement is about (``Endorsement.about``), after « Porte sur : »
        "endorsed_credential": "ce badge décerné",
        "endorsed_achievement": "le badge lui-même, pour toutes les personnes qui l'obtiennent",
        "endorsed_issuer": "l'organisme qui délivre le badge",
        "technical": "Détails techniques", "format": "Format", "credential_id": "Identifiant",
        "fetched": "Documents consultés",
        "share": "Partager ce badge", "share_linkedin": "Partager sur LinkedIn",
        "add_linkedin": "Ajouter à mon profil LinkedIn (rubrique « Licences et certifications »)",
        "download_png": "Télécharger l'image du badge (PNG)", "download_svg": "Télécharger l'image du badge (SVG)",
        "download_note": "L'image téléchargée contient le badge : elle peut être vérifiée sur cette page.",
        "badge_address": "Adresse de ce badge", "json_link": "Version pour les logiciels (JSON)",
        "error_title": "Ce fichier ou cette adresse ne peut pas être vérifié",
        "error_help": "Vérifiez que vous avez donné l'adresse complète du badge, ou son fichier (l'image du badge "
                      "reçue par e-mail, par exemple), puis réessayez.",
        "nothing_given": "Donnez l'adresse du badge, ou choisissez son fichier.",
        "form_unreadable": "Le formulaire n'a pas pu être lu. Réessayez.",
        "too_big": "Le fichier est trop volumineux.",
        "private_title": "Ce badge est privé",
        "missing": "Ce badge n'existe pas à cette adresse. Vérifiez l'adresse, ou demandez-la à l'organisme qui "
                   "vous l'a délivré.",
        "internal": "Une erreur s'est produite de notre côté. Réessayez plus tard.",
        "footer": "Ce service vérifie les Open Badges 2.0 et 3.0, quel que soit l'organisme qui les a délivrés.",
        "terms_link": "Conditions d'utilisation", "privacy_link": "Confidentialité",
        "api": "Pour les développeurs : API de vérification",
        "home_title": "Des badges pour reconnaître les savoirs",
        "home_intro": "savoirs délivre et vérifie des Open Badges : des badges numériques qui rendent visibles les "
                      "savoirs, savoir-faire et savoir-être des habitants et des bénévoles, délivrés par des "
                      "centres sociaux et des associations de quartier.",
        "home_check_title": "Vous avez reçu un badge ?",
        "home_check": "Vérifiez qu'il est authentique : qu'il vient bien de l'organisme indiqué et qu'il n'a été "
                      "ni modifié ni retiré.",
        "home_check_link": "Vérifier un badge",
        "home_privacy_title": "Votre identité est protégée",
        "home_privacy": "Un badge ne publie ni votre adresse e-mail ni votre numéro de téléphone : seulement une "
                        "empreinte, qui permet de vérifier qu'il vous a été décerné sans les révéler.",
        "home_dev_title": "Pour les organismes et les développeurs",
        "home_dev": "L'API décrit comment créer des badges, les décerner, les révoquer et les vérifier.",
        "home_docs_link": "Documentation de l'API",
        "passed": "Réussi", "failed": "Échoué", "skipped": "Sans objet", "warning": "À noter",
        "colon": "\u00a0:", "quote_open": "«\u00a0", "quote_close": "\u00a0»",
    },
    "en": {
        "site": "savoirs", "skip": "Skip to content", "other_lang": "Français", "other_lang_code": "fr",
        "title": "Check a badge", "result_title": "Verification result",
        "intro": "Did you receive a digital badge (Open Badge)? Check here that it is genuine: that it really comes "
                 "from the organisation named on it, that nobody changed it and that it was not withdrawn.",
        "url_label": "Badge address (URL)", "url_hint": "For example: https://badges.example.org/credentials/…",
        "file_label": "Or drop the badge file (PNG/SVG image, JSON or text)",
        "file_hint": "Click the button to choose the file, or drag it onto the button.",
        "email_label": "Your email address (to check that the badge was awarded to you)",
        "email_hint": "Optional. It is used for this check only and is not stored.",
        "submit": "Check the badge", "again": "Check another badge", "form_title": "The badge to check",
        "claims": "What the badge says", "claims_unsure": "What the badge says (not guaranteed)",
        "claims_unsure_note": "Careful: since the badge is not valid, this information is not guaranteed.",
        "claims_unconfirmed_note": "Careful: since the organisation is not confirmed, this information is not "
                                   "guaranteed.",
        "issuer": "Issued by", "issuer_site": "Organisation's website", "achievement": "Badge",
        "description": "Description", "criteria": "What it took to earn it", "criteria_link": "See the criteria",
        "level": "Level", "issued": "Date issued", "expires": "Valid until",
        "no_expiry": "No end date (valid indefinitely)", "status": "Status", "recipient": "Awarded to",
        "recipient_hidden": "Protected person: neither their name nor their address is published in the badge, "
                            "which holds only a fingerprint of it.",
        "recipient_named": "Name published in the badge (visible to anyone): {names}.",
        "recipient_named_hidden": "Their email address (or phone number) is not published: the badge holds only a "
                                  "fingerprint of it.",
        "evidence": "Evidence", "evidence_link": "See the evidence",
        "badge_page_intro": "This describes a badge. To check a badge someone received, open that badge's own "
                            "address, or drop its image on the verification page.",
        "badge_awarded_by": "Awarded by",
        "revocation_reason": "Reason for withdrawal given by the organisation",
        "not_shareable": "As this badge is not valid, it is not offered for sharing.",
        "recipient_match": "Yes, this badge was awarded to the address you gave.",
        "recipient_nomatch": "No, this badge was not awarded to the address you gave.",
        "narrative": "What the person did", "image_alt": "Image of the badge “{name}”",
        "checks": "What was checked", "notes": "Good to know", "endorsements": "Endorsements",
        "endorsements_intro": "Other organisations or people endorse this badge, or the organisation that "
                              "issues it.",
        "endorsed_by": "Endorsed by", "endorsement_ok": "Endorsement verified",
        "endorsement_bad": "Endorsement NOT verified", "unknown_issuer": "Unknown issuer",
        "endorsement_about": "About", "endorsement_reason": "Why",
        "endorsed_credential": "this awarded badge",
        "endorsed_achievement": "the badge itself, for everyone who earns it",
        "endorsed_issuer": "the organisation that issues the badge",
        "technical": "Technical details", "format": "Format", "credential_id": "Identifier",
        "fetched": "Documents read",
        "share": "Share this badge", "share_linkedin": "Share on LinkedIn",
        "add_linkedin": "Add to my LinkedIn profile (“Licenses & certifications”)",
        "download_png": "Download the badge image (PNG)", "download_svg": "Download the badge image (SVG)",
        "download_note": "The downloaded image contains the badge: it can be checked on this page.",
        "badge_address": "Address of this badge", "json_link": "Version for software (JSON)",
        "error_title": "This file or address cannot be checked",
        "error_help": "Make sure you gave the full address of the badge, or its file (for example the badge image "
                      "you received by email), and try again.",
        "nothing_given": "Give the badge address, or choose its file.",
        "form_unreadable": "The form could not be read. Please try again.",
        "too_big": "The file is too large.",
        "private_title": "This badge is private",
        "missing": "There is no badge at this address. Check the address, or ask the organisation that issued "
                   "it.",
        "internal": "Something went wrong on our side. Please try again later.",
        "footer": "This service checks Open Badges 2.0 and 3.0, whichever organisation issued them.",
        "terms_link": "Terms of use", "privacy_link": "Privacy",
        "api": "For developers: verification API",
        "home_title": "Badges that recognise what people know",
        "home_intro": "savoirs issues and checks Open Badges: digital badges that make the knowledge, skills and "
                      "attitudes of residents and volunteers visible, issued by social centres and neighbourhood "
                      "associations.",
        "home_check_title": "Did you receive a badge?",
        "home_check": "Check that it is genuine: that it comes from the organisation named on it and that nobody "
                      "changed or withdrew it.",
        "home_check_link": "Check a badge",
        "home_privacy_title": "Your identity is protected",
        "home_privacy": "A badge publishes neither your email address nor your phone number: only a fingerprint, "
                        "which proves it was awarded to you without revealing them.",
        "home_dev_title": "For organisations and developers",
        "home_dev": "The API describes how to create badges, award, revoke and check them.",
        "home_docs_link": "API documentation",
        "passed": "Passed", "failed": "Failed", "skipped": "Not applicable", "warning": "Note",
        "colon": ":", "quote_open": "“", "quote_close": "”",
    },
}



@dataclass(frozen=True, slots=True)
class VerdictWords:
    icon: str
    tone: str  # ok | warn | bad (the verdict box's colour: green, amber, red)
    headline_fr: str
    explanation_fr: str
    headline_en: str
    explanation_en: str

    def headline(self, lang: Lang) -> str:
        return self.headline_en if lang == "en" else self.headline_fr

    def explanation(self, lang: Lang) -> str:
        return self.explanation_en if lang == "en" else self.explanation_fr


VERDICTS: dict[Verdict, VerdictWords] = {
    Verdict.VALID: VerdictWords(
        "✔", "ok", "Ce badge est authentique et valide",
        "Il a bien été délivré par l'organisme indiqué ci-dessous, il n'a pas été modifié et il n'a pas été "
        "retiré.",
        "This badge is genuine and valid",
        "It was really issued by the organisation named below, nobody changed it and it was not withdrawn."),
    Verdict.UNCONFIRMED: VerdictWords(
        "?", "warn", "Signature authentique, mais organisme non confirmé",
        "La signature est authentique, mais nous n'avons pas pu vérifier qu'elle vient bien de l'organisation "
        "indiquée. Demandez-lui de confirmer qu'elle a bien délivré ce badge avant de vous y fier.",
        "Genuine signature, but the organisation is not confirmed",
        "The signature is genuine, but we could not check that it really comes from the organisation named. "
        "Ask them to confirm that they issued this badge before you rely on it."),
    Verdict.INVALID: VerdictWords(
        "✘", "bad", "Ce badge n'est PAS valide",
        "Il a pu être modifié, ou il ne vient pas de l'organisme qu'il indique. Ne vous y fiez pas. "
        "La liste ci-dessous dit ce qui ne va pas.",
        "This badge is NOT valid",
        "It may have been changed, or it does not come from the organisation it names. Do not rely on it. "
        "The list below says what is wrong."),
    Verdict.REVOKED: VerdictWords(
        "✘", "bad", "Ce badge a été révoqué",
        "L'organisme qui l'a délivré l'a retiré : il n'est plus valable.",
        "This badge has been revoked",
        "The organisation that issued it has withdrawn it: it is no longer valid."),
    Verdict.SUSPENDED: VerdictWords(
        "!", "warn", "Ce badge est suspendu",
        "L'organisme qui l'a délivré l'a suspendu pour le moment : il n'est pas valable tant que la "
        "suspension dure.",
        "This badge is suspended",
        "The organisation that issued it has suspended it for now: it is not valid while suspended."),
    Verdict.EXPIRED: VerdictWords(
        "!", "warn", "Ce badge a expiré",
        "Il est authentique, mais sa date de fin de validité est passée.",
        "This badge has expired",
        "It is genuine, but its end date has passed."),
    Verdict.NOT_YET: VerdictWords(
        "!", "warn", "Ce badge n'est pas encore valide",
        "Il est authentique, mais sa date de début de validité n'est pas encore arrivée.",
        "This badge is not valid yet",
        "It is genuine, but its start date has not come yet."),
    Verdict.RECIPIENT: VerdictWords(
        "✘", "bad", "Ce badge n'a pas été décerné à cette adresse e-mail",
        "Le badge est authentique, mais il appartient à quelqu'un d'autre (ou à une autre adresse).",
        "This badge was not awarded to this email address",
        "The badge is genuine, but it belongs to someone else (or to another address)."),
}

#: an active badge whose suspension status nobody publishes: only its revocation was checked
ACTIVE_NOT_REVOKED: dict[Lang, str] = {"fr": "Actif : non révoqué (l'organisme ne publie pas de suspension)",
                                       "en": "Active: not revoked (the organisation publishes no suspension)"}
STATUS: dict[Lang, dict[Status, str]] = {
    "fr": {Status.ACTIVE: "Actif : ni révoqué ni suspendu", Status.REVOKED: "Révoqué (retiré par l'organisme)",
           Status.SUSPENDED: "Suspendu pour le moment",
           Status.UNKNOWN: "Inconnu : la liste de révocation n'a pas pu être lue", Status.NOT_CHECKED: "Non vérifié"},
    "en": {Status.ACTIVE: "Active: neither revoked nor suspended",
           Status.REVOKED: "Revoked (withdrawn by the organisation)", Status.SUSPENDED: "Suspended for now",
           Status.UNKNOWN: "Unknown: the revocation list could not be read", Status.NOT_CHECKED: "Not checked"},
}

CHECK_NAMES: dict[Lang, dict[CheckId, str]] = {
    "fr": {CheckId.FORMAT: "Format du badge", CheckId.PROOF: "Signature", CheckId.ISSUER: "Organisme émetteur",
           CheckId.CLAIMS: "Contenu du jeton", CheckId.VALIDITY: "Dates de validité", CheckId.STATUS: "Révocation",
           CheckId.SCHEMA: "Structure du badge", CheckId.ENDORSEMENT: "Recommandations",
           CheckId.RECIPIENT: "Destinataire"},
    "en": {CheckId.FORMAT: "Badge format", CheckId.PROOF: "Signature", CheckId.ISSUER: "Issuing organisation",
           CheckId.CLAIMS: "Token content", CheckId.VALIDITY: "Validity dates", CheckId.STATUS: "Revocation",
           CheckId.SCHEMA: "Badge structure", CheckId.ENDORSEMENT: "Endorsements", CheckId.RECIPIENT: "Recipient"},
}

OUTCOME_ICONS: dict[Outcome, str] = {Outcome.PASSED: "✔", Outcome.FAILED: "✘", Outcome.SKIPPED: "–",
                                     Outcome.WARNING: "!"}

MONTHS: dict[Lang, list[str]] = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}
