"""The words of the committee's pages (``/comite/{slug}…``), in French (first) and English: plain sentences for
members of a steering committee, residents and staff alike. Nothing here decides anything.

The site-wide words (header, footer, language switch) stay in :mod:`app.pages.text`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.pages.text import MONTHS, Lang

__all__ = ["COMMITTEE_TEXT", "human_day", "refusal_words"]

try:
    _PARIS: Any = ZoneInfo("Europe/Paris")
except ZoneInfoNotFoundError:  # no time zone database: the day in UTC
    _PARIS = UTC

COMMITTEE_TEXT: dict[Lang, dict[str, Any]] = {
    "fr": {
        "committee": "Comité", "list_title": "Le comité de {org}", "colon": " : ",
        "signed_in_as": "Vous êtes connecté(e) comme membre du comité : {name}.", "my_session": "Ma connexion",
        "back": "Retour à la liste du comité",
        "awaiting_title": "Demandes qui attendent vos votes",
        "awaiting_none": "Aucune demande n'attend de vote pour le moment.",
        "resident_title": "Demandes en attente de la réponse de la personne",
        "resident_intro": "Le comité a posé une question : les votes reprendront quand la personne aura répondu.",
        "resident_none": "Aucune demande n'attend de réponse.",
        "proposals_title": "Badges proposés qui attendent vos votes",
        "proposals_none": "Aucune proposition de badge n'attend de vote.",
        "level": "Niveau", "asked_by": "Demandé par", "received_on": "Reçue le", "state": "Où en est la demande",
        "no_name": "(pas de prénom donné)", "group": "Groupe « {name} »", "votes": "Votes",
        "tally": "{votes} vote(s) à ce tour ; {needed} votes du même avis décident.",
        "tally_one": "{votes} vote(s) à ce tour ; un seul vote décide.",
        "you_voted": "Vous avez voté : {choice}.", "your_turn": "Vous n'avez pas encore voté.",
        "question_asked": "Question posée :",
        # one request
        "request_title": "Demande de badge : {badge}", "badge": "Badge", "round": "Tour de vote",
        "kind_collective": "Demande collective", "group_name": "Nom du groupe", "group_members": "Membres du groupe",
        "narrative": "Ce que la personne a écrit",
        "evidence": "Preuves envoyées", "evidence_none": "Aucune preuve envoyée.",
        "evidence_image": "Photo {n}", "evidence_pdf": "Document PDF {n}", "evidence_text": "Texte écrit {n}",
        "evidence_round": "tour {round}", "evidence_open": "ouvrir la photo en grand",
        "evidence_download": "télécharger", "size_kb": "{n} Ko",
        "evidence_alt": "Photo {n} envoyée par la personne",
        "consents": "Ce que la personne accepte de publier dans le badge",
        "consent_evidence": "Ses preuves", "consent_name": "Son prénom ou pseudonyme",
        "consent_yes": "Oui : toute personne qui voit le badge pourra les voir",
        "consent_yes_name": "Oui : toute personne qui voit le badge pourra le lire",
        "consent_no": "Non : seul le comité les voit", "consent_no_name": "Non : le badge ne le montre pas",
        "states": {"received": "Attend les votes du comité", "more_info": "Attend la réponse de la personne",
                   "accepted": "Acceptée : le badge est décerné", "declined": "Refusée",
                   "withdrawn": "Retirée par la personne", "adopted": "Adoptée : un brouillon de badge est créé"},
        "question": "La question du comité", "reason": "Le motif du refus",
        "votes_title": "Les votes", "votes_none": "Personne n'a encore voté.", "vote_round": "Tour {n}",
        "choices": {"accept": "Accepter", "decline": "Refuser", "more": "Demander plus d'informations"},
        "vote_title": "Votre vote", "vote_legend": "Votre réponse",
        "comment_label": "Votre commentaire",
        "comment_hint": "Obligatoire si vous refusez ou demandez plus d'informations : la personne lira ce message. "
                        "Si vous acceptez, il est facultatif et seul le comité le lit. 1 000 caractères au plus.",
        "submit": "Envoyer mon vote",
        "cannot_own": "Vous avez fait cette demande vous-même (ou vous êtes dans le groupe) : vous ne pouvez pas "
                      "voter dessus. Les autres membres du comité en décident.",
        "cannot_voted": "Vous avez voté à ce tour : {choice}.",
        "cannot_closed": "Cette demande n'attend pas de votes en ce moment.",
        "counted_title": "Vote compté", "counted": "Votre vote est compté.",
        "outcomes": {"accepted": "Le badge a été décerné.",
                     "declined": "La demande est refusée : la personne recevra votre message.",
                     "more_info": "La personne va recevoir votre question.",
                     "adopted": "La proposition est adoptée : un brouillon de badge est créé. L'équipe le complète "
                                "puis le publie.",
                     "declined_proposal": "La proposition est refusée : les personnes qui l'ont proposée verront "
                                          "votre message sur leur lien de suivi.",
                     "more_info_proposal": "Les personnes qui l'ont proposée vont voir votre question sur leur lien "
                                           "de suivi."},
        "outcome_titles": {"counted": "Vote compté", "accepted": "Vote compté : badge décerné",
                           "declined": "Vote compté : demande refusée", "more_info": "Vote compté : question envoyée",
                           "adopted": "Vote compté : proposition adoptée",
                           "declined_proposal": "Vote compté : proposition refusée",
                           "more_info_proposal": "Vote compté : question posée"},
        # one proposal
        "proposal_title": "Badge proposé : {name}", "description": "Description",
        "criteria": "Ce qu'il faudra faire pour l'obtenir", "levels": "Niveaux", "proposers": "Proposé par",
        "proposal_choices": {"accept": "Adopter", "decline": "Refuser", "more": "Demander plus d'informations"},
        "proposal_comment_hint": "Obligatoire si vous refusez ou demandez plus d'informations : les personnes qui "
                                 "ont proposé ce badge liront ce message. Si vous adoptez, il est facultatif et "
                                 "seul le comité le lit. 1 000 caractères au plus.",
        "proposal_cannot_closed": "Cette proposition n'attend pas de votes en ce moment.",
        "draft": "Brouillon du badge (l'équipe l'ouvre avec sa clé d'API)",
        # errors
        "error": "Erreur", "sign_in_other": "Me connecter avec une autre adresse",
        "back_to_page": "Rouvrir la page",
        "headlines": {"not_a_member": "Page réservée au comité", "not_found": "Page introuvable",
                      "own_request": "Vote impossible", "already_voted": "Déjà voté",
                      "not_open_for_votes": "Vote clos", "choice_required": "Réponse manquante",
                      "comment_required": "Commentaire manquant", "comment_invalid": "Commentaire refusé",
                      "csrf_failed": "Formulaire expiré", "form_unreadable": "Formulaire illisible",
                      "payload_too_large": "Formulaire trop long"},
        "messages": {"not_a_member": "Cette page est réservée aux membres du comité de cette organisation. Vous êtes "
                                     "connecté(e) avec l'adresse {email}, qui n'en fait pas partie.",
                     "own_request": "Vous ne pouvez pas voter sur votre propre demande : les autres membres du comité "
                                    "en décident. Votre vote n'a pas été compté.",
                     "already_voted": "Vous avez déjà voté à ce tour : votre premier vote compte et ne peut pas être "
                                      "changé.",
                     "not_open_for_votes": "{message} Elle vient peut-être d'être décidée par un autre vote. Votre "
                                           "vote n'a pas été compté."},
    },
    "en": {
        "committee": "Committee", "list_title": "The committee of {org}", "colon": ": ",
        "signed_in_as": "You are signed in as a member of the committee: {name}.", "my_session": "My session",
        "back": "Back to the committee's list",
        "awaiting_title": "Requests awaiting your votes",
        "awaiting_none": "No request is awaiting votes at the moment.",
        "resident_title": "Requests waiting for the resident's answer",
        "resident_intro": "The committee asked a question: votes start again once the resident has answered.",
        "resident_none": "No request is waiting for an answer.",
        "proposals_title": "Proposed badges awaiting your votes",
        "proposals_none": "No proposed badge is awaiting votes.",
        "level": "Level", "asked_by": "Asked for by", "received_on": "Received on", "state": "Where the request stands",
        "no_name": "(no first name given)", "group": "Group “{name}”", "votes": "Votes",
        "tally": "{votes} vote(s) in this round; {needed} votes of the same choice decide.",
        "tally_one": "{votes} vote(s) in this round; a single vote decides.",
        "you_voted": "You voted: {choice}.", "your_turn": "You have not voted yet.",
        "question_asked": "Question asked:",
        "request_title": "Badge request: {badge}", "badge": "Badge", "round": "Voting round",
        "kind_collective": "Collective request", "group_name": "Group's name", "group_members": "Group's members",
        "narrative": "What the resident wrote",
        "evidence": "Evidence sent", "evidence_none": "No evidence sent.",
        "evidence_image": "Photo {n}", "evidence_pdf": "PDF document {n}", "evidence_text": "Written text {n}",
        "evidence_round": "round {round}", "evidence_open": "open the photo full size",
        "evidence_download": "download", "size_kb": "{n} KB",
        "evidence_alt": "Photo {n} sent by the resident",
        "consents": "What the resident agrees to publish in the badge",
        "consent_evidence": "Their evidence", "consent_name": "Their first name or pseudonym",
        "consent_yes": "Yes: anyone who sees the badge will see it",
        "consent_yes_name": "Yes: anyone who sees the badge will read it",
        "consent_no": "No: only the committee sees it", "consent_no_name": "No: the badge does not show it",
        "states": {"received": "Awaiting the committee's votes", "more_info": "Waiting for the resident's answer",
                   "accepted": "Accepted: the badge is awarded", "declined": "Declined",
                   "withdrawn": "Withdrawn by the resident", "adopted": "Adopted: a draft badge is created"},
        "question": "The committee's question", "reason": "The reason for declining",
        "votes_title": "The votes", "votes_none": "Nobody has voted yet.", "vote_round": "Round {n}",
        "choices": {"accept": "Accept", "decline": "Decline", "more": "Ask for more information"},
        "vote_title": "Your vote", "vote_legend": "Your answer",
        "comment_label": "Your comment",
        "comment_hint": "Required if you decline or ask for more information: the resident will read this message. "
                        "If you accept, it is optional and only the committee reads it. At most 1,000 characters.",
        "submit": "Send my vote",
        "cannot_own": "You made this request yourself (or you are in the group): you cannot vote on it. The other "
                      "members of the committee decide.",
        "cannot_voted": "You voted in this round: {choice}.",
        "cannot_closed": "This request is not awaiting votes at the moment.",
        "counted_title": "Vote counted", "counted": "Your vote is counted.",
        "outcomes": {"accepted": "The badge has been awarded.",
                     "declined": "The request is declined: the resident will receive your message.",
                     "more_info": "The resident will receive your question.",
                     "adopted": "The proposal is adopted: a draft badge is created. The staff complete it, then "
                                "publish it.",
                     "declined_proposal": "The proposal is declined: its proposers will see your message on their "
                                          "private link.",
                     "more_info_proposal": "The proposers will see your question on their private link."},
        "outcome_titles": {"counted": "Vote counted", "accepted": "Vote counted: badge awarded",
                           "declined": "Vote counted: request declined", "more_info": "Vote counted: question sent",
                           "adopted": "Vote counted: proposal adopted",
                           "declined_proposal": "Vote counted: proposal declined",
                           "more_info_proposal": "Vote counted: question asked"},
        "proposal_title": "Proposed badge: {name}", "description": "Description",
        "criteria": "What it will take to earn it", "levels": "Levels", "proposers": "Proposed by",
        "proposal_choices": {"accept": "Adopt", "decline": "Decline", "more": "Ask for more information"},
        "proposal_comment_hint": "Required if you decline or ask for more information: the people who proposed this "
                                 "badge will read this message. If you adopt it, it is optional and only the "
                                 "committee reads it. At most 1,000 characters.",
        "proposal_cannot_closed": "This proposal is not awaiting votes at the moment.",
        "draft": "Draft badge (the staff open it with their API key)",
        "error": "Error", "sign_in_other": "Sign in with another address",
        "back_to_page": "Open the page again",
        "headlines": {"not_a_member": "For the committee only", "not_found": "Page not found",
                      "own_request": "Vote not possible", "already_voted": "Already voted",
                      "not_open_for_votes": "Voting closed", "choice_required": "Answer missing",
                      "comment_required": "Comment missing", "comment_invalid": "Comment refused",
                      "csrf_failed": "Form expired", "form_unreadable": "Form unreadable",
                      "payload_too_large": "Form too long"},
        "messages": {"not_a_member": "This page is for the members of this organisation's committee only. You are "
                                     "signed in with the address {email}, which is not one of them.",
                     "own_request": "You cannot vote on your own request: the other members of the committee "
                                    "decide. Your vote was not counted.",
                     "already_voted": "You already voted in this round: your first vote counts and cannot be "
                                      "changed.",
                     "not_open_for_votes": "{message} Another vote may just have decided it. Your vote was not "
                                           "counted."},
    },
}


def human_day(moment: datetime, lang: Lang) -> str:
    """« 3 décembre 2026 » or "3 December 2026" (the day in Paris)."""
    local = moment.astimezone(_PARIS)
    day = "1er" if lang == "fr" and local.day == 1 else str(local.day)
    return f"{day} {MONTHS[lang][local.month - 1]} {local.year}"


def refusal_words(code: str, status: int, message: str, lang: Lang, *, email: str = "") -> tuple[str, str]:
    """The headline (the page title starts with it) and the sentence of a refusal: our own words for the codes a
    member meets, the error's message otherwise."""
    words = COMMITTEE_TEXT[lang]
    headlines = words["headlines"]
    headline = headlines.get(code) or (headlines["not_found"] if status == 404 else words["error"])
    template = words["messages"].get(code)
    return headline, template.format(email=email, message=message) if template else message
