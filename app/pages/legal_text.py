"""The words of ``/conditions`` (terms of use) and ``/confidentialite`` (privacy): what the service does with
what people give it, in plain words, true to the code (retention periods from :mod:`app.services.recognition.purge`
and :mod:`app.signin.service`). An organisation that runs savoirs may point ``TERMS_URL`` and
``PRIVACY_POLICY_URL`` at its own."""

from __future__ import annotations

from typing import Any

from app.pages.text import Lang

__all__ = ["LEGAL_TEXT"]

LEGAL_TEXT: dict[Lang, dict[str, Any]] = {
    "fr": {
        "conditions": {
            "title": "Conditions d'utilisation",
            "sections": [
                ("Ce que fait ce service", [
                    "savoirs délivre, retire et vérifie des badges numériques (Open Badges). Les centres sociaux et "
                    "les associations qui l'utilisent décident quels badges ils donnent, et à qui."]),
                ("Vos badges", [
                    "Un badge vous appartient. Vous pouvez le télécharger, l'envoyer à votre sac à badges, le "
                    "montrer ou le garder privé. Il reste vérifiable même si vous quittez le service.",
                    "L'organisme qui vous a donné un badge peut le retirer, par exemple s'il a été donné par "
                    "erreur. La vérification dit alors qu'il est retiré."]),
                ("Ce que vous vous engagez à faire", [
                    "Donner des informations vraies dans vos demandes de badge et vos recommandations.",
                    "Ne déposer que des photos et des textes que vous avez le droit de partager."]),
                ("Les applications reliées", [
                    "Si vous autorisez une application (un sac à badges) à entrer dans votre espace, elle voit ou "
                    "dépose des badges comme vous l'avez accepté. Vous pouvez retirer cette autorisation en "
                    "nous écrivant."]),
            ],
        },
        "privacy": {
            "title": "Confidentialité",
            "sections": [
                ("Ce qu'un badge montre", [
                    "Un badge ne publie ni votre adresse e-mail ni votre numéro de téléphone : seulement une "
                    "empreinte, qui permet de vérifier qu'il vous a été décerné sans les révéler.",
                    "Un badge est privé tant que vous ne le rendez pas public. Votre nom n'y figure que si vous le "
                    "choisissez."]),
                ("Ce que nous gardons, et combien de temps", [
                    "Votre adresse e-mail, pour vous connecter et vous envoyer vos badges. Les messages envoyés "
                    "gardent l'adresse 30 jours.",
                    "Les demandes de connexion et les sessions terminées : un jour.",
                    "Les photos et textes d'une demande de badge refusée ou retirée : effacés après le délai choisi "
                    "par l'organisme (90 jours par défaut). Les photos sont ré-enregistrées sans leurs données "
                    "cachées (lieu, appareil).",
                    "Une recommandation jamais donnée : 90 jours."]),
                ("Vos droits", [
                    "Vous pouvez demander d'effacer vos données depuis votre espace (« Effacer mes données »). "
                    "Chaque organisme qui vous a donné un badge reçoit la demande.",
                    "Pour toute question, écrivez à l'organisme qui vous a donné votre badge."]),
            ],
        },
    },
    "en": {
        "conditions": {
            "title": "Terms of use",
            "sections": [
                ("What this service does", [
                    "savoirs issues, withdraws and checks digital badges (Open Badges). The social centres and "
                    "associations that use it decide which badges they give, and to whom."]),
                ("Your badges", [
                    "A badge is yours. You can download it, send it to your backpack, show it or keep it private. "
                    "It stays verifiable even if you leave the service.",
                    "The organisation that gave you a badge can withdraw it, for instance if it was given by "
                    "mistake. Checking it then says it is withdrawn."]),
                ("What you agree to", [
                    "Give true information in your badge requests and endorsements.",
                    "Only upload photos and texts you have the right to share."]),
                ("Connected applications", [
                    "If you allow an application (a backpack) into your space, it reads or puts badges there as you "
                    "accepted. You can take this permission back by writing to us."]),
            ],
        },
        "privacy": {
            "title": "Privacy",
            "sections": [
                ("What a badge shows", [
                    "A badge publishes neither your email address nor your phone number: only a fingerprint, "
                    "which proves it was awarded to you without revealing them.",
                    "A badge is private until you make it public. Your name is on it only if you choose."]),
                ("What we keep, and for how long", [
                    "Your email address, to sign you in and send you your badges. Sent messages keep the address "
                    "30 days.",
                    "Finished sign-in requests and sessions: one day.",
                    "The photos and texts of a declined or withdrawn badge request: erased after the period the "
                    "organisation chose (90 days by default). Photos are saved again without their hidden data "
                    "(place, device).",
                    "An endorsement never given: 90 days."]),
                ("Your rights", [
                    "You can ask to erase your data from your space (\"Erase my data\"). Each organisation that "
                    "gave you a badge receives the request.",
                    "For any question, write to the organisation that gave you your badge."]),
            ],
        },
    },
}
