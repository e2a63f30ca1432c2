"""The words of the sign-in pages and message, in French (first) and English. Plain words, one action per screen.

The site-wide words (header, footer, language switch) stay in :mod:`app.pages.text`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.pages.text import MONTHS, Lang

__all__ = ["SIGNIN_TEXT", "human_moment"]

try:
    _PARIS: Any = ZoneInfo("Europe/Paris")
except ZoneInfoNotFoundError:  # no time zone database: UTC, said as such
    _PARIS = UTC

SIGNIN_TEXT: dict[Lang, dict[str, str]] = {
    "fr": {
        "start_title": "Me connecter",
        "start_intro": "Pas besoin de mot de passe : indiquez votre adresse e-mail, nous vous envoyons un message "
                       "avec un lien et un code à 6 chiffres. Ouvrez le lien, ou tapez le code.",
        "email_label": "Votre adresse e-mail",
        "email_hint": "Par exemple : prenom.nom@exemple.fr",
        "start_submit": "Recevoir mon code",
        "code_title": "Tapez le code reçu",
        "code_sent": "Si l'adresse {address} peut se connecter ici, nous venons de lui envoyer un message. Il "
                     "contient un lien et un code à 6 chiffres, valables {minutes} minutes.",
        "code_how": "Ouvrez le lien du message, ou tapez le code ci-dessous.",
        "code_label": "Code à 6 chiffres",
        "code_hint": "Les 6 chiffres du message, par exemple 123 456.",
        "code_submit": "Me connecter",
        "code_nothing": "Rien reçu ? Regardez dans les courriers indésirables (spam), ou",
        "code_again": "demandez un nouveau code",
        "link_title": "Me connecter",
        "link_intro": "Pour terminer votre connexion, appuyez sur le bouton.",
        "link_submit": "Me connecter",
        "link_again": "Demander un nouveau lien",
        "error_title": "Erreur",
        "expired_title": "Formulaire expiré",
        "expired_again": "Recommencer",
        "in_title": "Connexion réussie",
        "in_address": "Adresse e-mail utilisée",
        "in_until": "Connexion valable jusqu'au",
        "in_close": "Quand vous avez fini, déconnectez-vous, surtout sur un ordinateur partagé.",
        "signout_submit": "Me déconnecter",
        "everywhere_link": "Me déconnecter sur tous mes appareils",
        "everywhere_title": "Me déconnecter partout",
        "everywhere_intro": "Cela ferme toutes les connexions ouvertes avec l'adresse {address} : sur cet appareil "
                            "et sur tous les autres (téléphone, ordinateur du centre social…).",
        "everywhere_submit": "Me déconnecter partout",
        "out_title": "Déconnexion réussie",
        "out_everywhere": "Toutes vos connexions sont fermées ({count}).",
        "out_again": "Me connecter à nouveau",
    },
    "en": {
        "start_title": "Sign in",
        "start_intro": "No password needed: give your email address and we send you a message with a link and a "
                       "6-digit code. Open the link, or type the code.",
        "email_label": "Your email address",
        "email_hint": "For example: first.last@example.org",
        "start_submit": "Get my code",
        "code_title": "Type the code you received",
        "code_sent": "If the address {address} can sign in here, we have just sent it a message. It holds a link "
                     "and a 6-digit code, valid for {minutes} minutes.",
        "code_how": "Open the link in the message, or type the code below.",
        "code_label": "6-digit code",
        "code_hint": "The 6 digits of the message, for example 123 456.",
        "code_submit": "Sign in",
        "code_nothing": "Nothing received? Look in your junk mail (spam), or",
        "code_again": "ask for a new code",
        "link_title": "Sign in",
        "link_intro": "To finish signing in, press the button.",
        "link_submit": "Sign in",
        "link_again": "Ask for a new link",
        "error_title": "Error",
        "expired_title": "Form expired",
        "expired_again": "Start again",
        "in_title": "Signed in",
        "in_address": "Email address used",
        "in_until": "Signed in until",
        "in_close": "When you are done, sign out, above all on a shared computer.",
        "signout_submit": "Sign out",
        "everywhere_link": "Sign out on all my devices",
        "everywhere_title": "Sign out everywhere",
        "everywhere_intro": "This closes every session opened with the address {address}: on this device and on all "
                            "the others (phone, the social centre's computer…).",
        "everywhere_submit": "Sign out everywhere",
        "out_title": "Signed out",
        "out_everywhere": "All your sessions are closed ({count}).",
        "out_again": "Sign in again",
    },
}


def human_moment(moment: datetime, lang: Lang) -> str:
    """« 3 décembre 2026 à 18 h 40 (heure de Paris) » or "3 December 2026 at 18:40 (Paris time)"."""
    local = moment.astimezone(_PARIS)
    day = "1er" if lang == "fr" and local.day == 1 else str(local.day)
    date = f"{day} {MONTHS[lang][local.month - 1]} {local.year}"
    zone = "UTC" if _PARIS is UTC else ("heure de Paris" if lang == "fr" else "Paris time")
    if lang == "fr":
        return f"{date} à {local.hour} h {local.minute:02d} ({zone})"
    return f"{date} at {local.hour}:{local.minute:02d} ({zone})"
