"""The words of the residents' pages (asking for a badge, following a request, proposing a badge), in French (first)
and English: short sentences, one thing each, the words residents use. Nothing here decides anything.

The site-wide words (header, footer, language switch) stay in :mod:`app.pages.text`.
"""

from __future__ import annotations

from typing import Any

from app.errors import BadRequest, PayloadTooLarge, TooManyRequests
from app.pages.text import Lang

__all__ = ["RECOGNITION_TEXT", "files_too_large", "form_unreadable", "too_many_submits", "trap_filled"]

RECOGNITION_TEXT: dict[Lang, dict[str, Any]] = {
    "fr": {
        "error": "Erreur", "error_prefix": "Erreur : ", "errors_one": "Une chose à corriger",
        "errors_many": "{n} choses à corriger",
        "files_dropped": "Les fichiers choisis n'ont pas été gardés : choisissez-les à nouveau.",
        "optional": "(facultatif)", "mandatory": "(obligatoire)", "trap": "Laissez ce champ vide",
        "missing_title": "Page introuvable", "missing": "Nous ne trouvons rien à cette adresse. Vérifiez le lien reçu.",
        "closed_title": "Les demandes sont fermées", "back": "Revenir à la page",
        "closed": "{org} ne reçoit pas de demandes en ce moment. Revenez plus tard, ou demandez à l'accueil.",
        # the request form
        "ask_title": "Demander le badge «\u00a0{badge}\u00a0»",
        "ask_intro": "{org} reconnaît ce que vous savez faire. Remplissez ce formulaire : son comité lira votre "
                     "demande, puis décidera.",
        "the_badge": "Le badge", "criteria": "Pour l'obtenir", "criteria_link": "Voir ce qu'il faut faire",
        "level_legend": "Votre niveau", "level_hint": "Choisissez le niveau qui vous correspond.",
        "kind_legend": "Pour qui demandez-vous ce badge\u00a0?", "kind_individual": "Pour moi",
        "kind_collective": "Pour un groupe",
        "group_name": "Le nom du groupe", "members": "Les membres du groupe",
        "members_hint": "Une personne par ligne : son prénom, ou son prénom puis son e-mail entre < et >. Par "
                        "exemple : Awa <awa@exemple.fr>",
        "you": "Vous", "name": "Votre prénom ou un pseudo",
        "name_hint": "Pour que le comité sache qui demande. 100 caractères au plus.",
        "contact_legend": "Comment vous prévenir de la décision\u00a0?",
        "contact_email": "Par e-mail", "contact_phone": "Par téléphone", "contact_none": "Pas de contact",
        "email": "Votre adresse e-mail", "email_hint": "Par exemple : prenom.nom@exemple.fr",
        "phone": "Votre numéro de téléphone", "phone_hint": "Par exemple : 06 12 34 56 78",
        "none_hint": "Sans contact, personne ne peut vous prévenir. Gardez bien le lien de votre demande et son "
                     "code : c'est le seul moyen de la suivre et de recevoir votre badge.",
        "narrative": "Ce que j'ai fait",
        "narrative_hint": "Racontez avec vos mots : quoi, où, quand, avec qui. Par exemple : « J'ai animé l'atelier "
                          "couture tous les jeudis cet hiver. »",
        "evidence_legend": "Vos preuves", "evidence": "Photos ou documents",
        "evidence_hint": "Des photos (prises avec votre téléphone) ou des PDF, 8 au plus. La position GPS des "
                         "photos est effacée.",
        "text_evidence": "Ou un petit texte", "text_evidence_hint": "Par exemple, ce qu'une personne de l'atelier "
                                                                    "dit de vous. 5 000 caractères au plus.",
        "consent_legend": "Votre accord",
        "consent_hint": "Sans votre accord, seul le comité voit vos preuves et votre nom.",
        "publish_evidence": "J'accepte que mes preuves soient publiées dans le badge : toute personne qui voit le "
                            "badge pourra les voir.",
        "publish_name": "J'accepte que mon prénom (ou mon pseudo) soit écrit dans le badge.",
        "ask_submit": "Envoyer ma demande",
        # sent
        "sent_title": "Votre demande est envoyée", "sent_proposal_title": "Votre proposition est envoyée",
        "sent_intro": "Merci. Le comité va lire votre demande pour le badge «\u00a0{name}\u00a0».",
        "sent_proposal_intro": "Merci. Le comité va lire votre proposition de badge «\u00a0{name}\u00a0».",
        "link_label": "Le lien de votre demande :", "link_proposal_label": "Le lien de votre proposition :",
        "link_use": "Ouvrez ce lien pour savoir où en est votre demande, ajouter une preuve ou la retirer.",
        "link_proposal_use": "Ouvrez ce lien pour savoir où en est votre proposition, la modifier ou la retirer.",
        "keep_none": "Vous n'avez pas donné de contact : ce lien est le seul moyen de revenir ici. Gardez-le bien.",
        "keep_email": "Nous vous avons aussi envoyé ce lien par e-mail. Gardez-le : c'est votre clé.",
        "keep_phone": "Gardez bien ce lien : c'est votre clé pour suivre votre demande.",
        "keep_proposal": "Gardez bien ce lien : c'est votre clé pour suivre votre proposition.",
        "print": "Pour garder ce lien sur papier : imprimez cette page (touches Ctrl et P, ou menu « Imprimer » "
                 "de votre navigateur). Sur un téléphone : faites une capture d'écran.",
        "open_request": "Voir ma demande", "open_proposal": "Voir ma proposition",
        # a request's page
        "title": "Ma demande de badge", "request": "Ma demande", "badge": "Badge", "level": "Niveau",
        "group": "Groupe", "evidence_sent": "Preuves envoyées", "evidence_count": "{n} fichier(s) ou texte(s)",
        "published": "Preuves publiées dans le badge", "yes": "oui", "no": "non (seul le comité les voit)",
        "question": "La question du comité :", "reason": "Ce que le comité vous dit :",
        "see_badge": "Voir mon badge", "claim_code": "Votre code pour récupérer le badge :",
        "claim_keep": "Gardez ce code : il prouve que ce badge est le vôtre.",
        "keep_link": "Gardez l'adresse de cette page : c'est le seul moyen de revenir à votre demande.",
        "states": {"received": "Demande reçue", "more_info": "Le comité a une question",
                   "accepted": "Demande acceptée", "declined": "Demande non acceptée", "withdrawn": "Demande retirée"},
        "explain": {"received": "Le comité va examiner votre demande. Vous serez prévenu(e) de sa décision.",
                    "more_info": "Le comité a besoin d'en savoir plus avant de décider.",
                    "accepted": "Bravo : le badge est à vous.",
                    "declined": "Le comité n'a pas accepté votre demande.",
                    "withdrawn": "Vous avez retiré cette demande. Vos preuves ont été effacées."},
        "add_title": "Ajouter une preuve", "answer_title": "Répondre au comité",
        "answer_intro": "Répondez avec une photo, un document ou un petit texte. Votre réponse renvoie la demande "
                        "au comité.",
        "text": "Un petit texte", "text_hint": "5 000 caractères au plus.", "add_submit": "Ajouter",
        "answer_submit": "Envoyer ma réponse",
        "withdraw_title": "Retirer ma demande", "withdraw_intro": "Vous ne voulez plus de ce badge\u00a0?",
        "done": {"preuve": "Votre preuve est ajoutée. Le comité la verra.",
                 "retrait": "Votre demande est retirée. Vos preuves sont effacées.",
                 "modif": "Votre proposition est modifiée.", "retrait_proposition": "Votre proposition est retirée."},
        "sure_title": "Êtes-vous sûr(e)\u00a0?",
        "sure_request": "Vous allez retirer votre demande pour le badge «\u00a0{name}\u00a0». Vos preuves seront "
                        "effacées. Vous ne pourrez pas revenir en arrière.",
        "sure_proposal": "Vous allez retirer votre proposition de badge «\u00a0{name}\u00a0». Vous ne pourrez pas "
                         "revenir en arrière.",
        "sure_yes": "Oui, je retire ma demande", "sure_yes_proposal": "Oui, je retire ma proposition",
        "sure_no": "Non, revenir à ma demande", "sure_no_proposal": "Non, revenir à ma proposition",
        "closed_now": "Cette demande est close : elle ne peut plus être changée.",
        "closed_now_proposal": "Cette proposition est close : elle ne peut plus être changée.",
        "keep_link_proposal": "Gardez l'adresse de cette page : c'est le seul moyen de revenir à votre "
                              "proposition.",
        # proposals
        "propose_title": "Proposer un nouveau badge",
        "propose_intro": "Vous avez une idée de badge pour {org}\u00a0? Décrivez-la. Le comité la lira, puis décidera.",
        "badge_name": "Le nom du badge", "badge_name_hint": "Court et clair. Par exemple : Cuisine du monde",
        "description": "Ce que le badge reconnaît", "description_hint": "Quel savoir, quel savoir-faire\u00a0?",
        "proposal_criteria": "Ce qu'il faut faire pour l'obtenir",
        "proposal_criteria_hint": "Par exemple : avoir animé un atelier cuisine.",
        "levels": "Les niveaux", "levels_hint": "Un niveau par ligne, du plus simple au plus avancé. 10 au plus. "
                                                "Par exemple : Je soutiens, J'explore, J'agis.",
        "proposers": "Vos prénoms ou pseudos",
        "proposers_hint": "Une personne par ligne, 10 au plus : le badge dira qui l'a proposé.",
        "proposal_email": "Votre adresse e-mail",
        "proposal_email_hint": "Pour vous prévenir de la décision. Sans e-mail, gardez bien le lien de votre "
                               "proposition.",
        "propose_submit": "Envoyer ma proposition",
        "proposal_page_title": "Ma proposition de badge", "proposal": "Ma proposition",
        "proposal_states": {"received": "Proposition reçue", "more_info": "Le comité a une question",
                            "adopted": "Proposition adoptée", "declined": "Proposition non retenue",
                            "withdrawn": "Proposition retirée"},
        "proposal_explain": {
            "received": "Le comité va examiner votre proposition.",
            "more_info": "Le comité a besoin d'en savoir plus. Modifiez votre proposition pour lui répondre.",
            "adopted": "Bravo : votre badge est adopté. L'équipe le prépare, puis le publiera.",
            "declined": "Le comité n'a pas retenu votre proposition.",
            "withdrawn": "Vous avez retiré cette proposition."},
        "draft_title": "Le badge adopté", "proposed_by": "Proposé par",
        "revise_title": "Modifier ma proposition", "revise_submit": "Enregistrer les changements",
        "revise_link": "Modifier ma proposition", "withdraw_proposal_title": "Retirer ma proposition",
        "withdraw_proposal_intro": "Vous ne voulez plus proposer ce badge\u00a0?",
        # words of refusals
        "required": {"level": "Choisissez un niveau.", "contact": "Choisissez comment vous prévenir.",
                     "email": "Écrivez votre adresse e-mail, ou choisissez « Pas de contact ».",
                     "phone": "Écrivez votre numéro de téléphone, ou choisissez « Pas de contact ».",
                     "narrative": "Écrivez ce que vous avez fait.", "group_name": "Écrivez le nom du groupe.",
                     "members": "Écrivez les membres du groupe, un par ligne.",
                     "name": "Écrivez le nom du badge.", "description": "Écrivez ce que le badge reconnaît.",
                     "criteria": "Écrivez ce qu'il faut faire pour l'obtenir.",
                     "proposers": "Écrivez au moins un prénom ou un pseudo.",
                     "": "Ce champ est obligatoire."},
        "codes": {"too_long": "Ce texte est trop long : {max} caractères au plus (il en a {count}).",
                  "too_many": "Trop de lignes : {max} au plus.",
                  "email": "Cette adresse e-mail n'est pas valide. Vérifiez-la, par exemple : prenom.nom@exemple.fr",
                  "phone": "Ce numéro n'est pas valide. Vérifiez-le, par exemple : 06 12 34 56 78",
                  "publish_name": "Pour écrire votre nom dans le badge, écrivez d'abord votre prénom ou un pseudo. "
                                  "Ou décochez cette case.",
                  "line": "Ligne {line} : écrivez un nom, de 100 caractères au plus (200 pour un niveau).",
                  "line_email": "Ligne {line} : cette adresse e-mail n'est pas valide."},
        "file": "«\u00a0{file}\u00a0» : {message}",
        "headlines": {"csrf_failed": "Formulaire expiré", "too_many_submits": "Trop d'envois",
                      "form_refused": "Formulaire refusé", "form_unreadable": "Formulaire illisible",
                      "payload_too_large": "Fichiers trop lourds", "request_closed": "Demande close",
                      "proposal_closed": "Proposition close", "not_found": "Page introuvable"},
        "labels": {"level": "Votre niveau", "kind": "Pour qui", "group_name": "Le nom du groupe",
                   "members": "Les membres du groupe", "name": "Votre prénom ou un pseudo", "contact": "Contact",
                   "email": "Votre adresse e-mail", "phone": "Votre numéro de téléphone",
                   "narrative": "Ce que j'ai fait", "evidence": "Photos ou documents",
                   "text_evidence": "Le petit texte", "text": "Le petit texte", "publish_name": "Votre accord",
                   "description": "Ce que le badge reconnaît", "criteria": "Ce qu'il faut faire",
                   "levels": "Les niveaux", "proposers": "Vos prénoms ou pseudos"},
    },
}

RECOGNITION_TEXT["en"] = {
    "error": "Error", "error_prefix": "Error: ", "errors_one": "One thing to correct",
    "errors_many": "{n} things to correct",
    "files_dropped": "The files you chose were not kept: choose them again.",
    "optional": "(optional)", "mandatory": "(required)", "trap": "Leave this field empty",
    "missing_title": "Page not found", "missing": "We find nothing at this address. Check the link you received.",
    "closed_title": "Requests are closed", "back": "Back to the page",
    "closed": "{org} does not take requests at the moment. Come back later, or ask at the front desk.",
    "ask_title": "Ask for the badge “{badge}”",
    "ask_intro": "{org} recognises what you can do. Fill in this form: its committee will read your request, then "
                 "decide.",
    "the_badge": "The badge", "criteria": "To earn it", "criteria_link": "See what it takes",
    "level_legend": "Your level", "level_hint": "Choose the level that fits you.",
    "kind_legend": "Who is this badge for?", "kind_individual": "For me", "kind_collective": "For a group",
    "group_name": "The group's name", "members": "The group's members",
    "members_hint": "One person a line: their first name, or their first name then their email between < and >. "
                    "For example: Awa <awa@example.org>",
    "you": "You", "name": "Your first name or a nickname",
    "name_hint": "So that the committee knows who is asking. At most 100 characters.",
    "contact_legend": "How should we tell you the decision?",
    "contact_email": "By email", "contact_phone": "By phone", "contact_none": "No contact",
    "email": "Your email address", "email_hint": "For example: first.last@example.org",
    "phone": "Your phone number", "phone_hint": "For example: 06 12 34 56 78",
    "none_hint": "Without a contact, nobody can tell you anything. Keep your request's link and its code safe: "
                 "they are the only way to follow it and to receive your badge.",
    "narrative": "What I did",
    "narrative_hint": "Tell it in your own words: what, where, when, with whom. For example: “I ran the sewing "
                      "workshop every Thursday this winter.”",
    "evidence_legend": "Your evidence", "evidence": "Photos or documents",
    "evidence_hint": "Photos (taken with your phone) or PDFs, at most 8. The GPS position of photos is removed.",
    "text_evidence": "Or a short text",
    "text_evidence_hint": "For example, what someone from the workshop says about you. At most 5,000 characters.",
    "consent_legend": "Your consent", "consent_hint": "Without your consent, only the committee sees your evidence "
                                                     "and your name.",
    "publish_evidence": "I agree that my evidence is published in the badge: anyone who sees the badge will see "
                        "it.",
    "publish_name": "I agree that my first name (or nickname) is written in the badge.",
    "ask_submit": "Send my request",
    "sent_title": "Your request is sent", "sent_proposal_title": "Your proposal is sent",
    "sent_intro": "Thank you. The committee will read your request for the badge “{name}”.",
    "sent_proposal_intro": "Thank you. The committee will read your proposal for the badge “{name}”.",
    "link_label": "Your request's link:", "link_proposal_label": "Your proposal's link:",
    "link_use": "Open this link to see where your request stands, add evidence or withdraw it.",
    "link_proposal_use": "Open this link to see where your proposal stands, change it or withdraw it.",
    "keep_none": "You gave no contact: this link is the only way back here. Keep it safe.",
    "keep_email": "We also sent you this link by email. Keep it: it is your key.",
    "keep_phone": "Keep this link safe: it is your key to follow your request.",
    "keep_proposal": "Keep this link safe: it is your key to follow your proposal.",
    "print": "To keep this link on paper: print this page (keys Ctrl and P, or your browser's “Print” menu). On "
             "a phone: take a screenshot.",
    "open_request": "See my request", "open_proposal": "See my proposal",
    "title": "My badge request", "request": "My request", "badge": "Badge", "level": "Level", "group": "Group",
    "evidence_sent": "Evidence sent", "evidence_count": "{n} file(s) or text(s)",
    "published": "Evidence published in the badge", "yes": "yes", "no": "no (only the committee sees it)",
    "question": "The committee's question:", "reason": "What the committee tells you:",
    "see_badge": "See my badge", "claim_code": "Your code to collect the badge:",
    "claim_keep": "Keep this code: it proves this badge is yours.",
    "keep_link": "Keep this page's address: it is the only way back to your request.",
    "states": {"received": "Request received", "more_info": "The committee has a question",
               "accepted": "Request accepted", "declined": "Request not accepted", "withdrawn": "Request withdrawn"},
    "explain": {"received": "The committee will review your request. You will be told its decision.",
                "more_info": "The committee needs to know more before deciding.",
                "accepted": "Well done: the badge is yours.", "declined": "The committee did not accept your request.",
                "withdrawn": "You withdrew this request. Your evidence was deleted."},
    "add_title": "Add evidence", "answer_title": "Answer the committee",
    "answer_intro": "Answer with a photo, a document or a short text. Your answer sends the request back to the "
                    "committee.",
    "text": "A short text", "text_hint": "At most 5,000 characters.", "add_submit": "Add",
    "answer_submit": "Send my answer",
    "withdraw_title": "Withdraw my request", "withdraw_intro": "You no longer want this badge?",
    "done": {"preuve": "Your evidence is added. The committee will see it.",
             "retrait": "Your request is withdrawn. Your evidence is deleted.", "modif": "Your proposal is changed.",
             "retrait_proposition": "Your proposal is withdrawn."},
    "sure_title": "Are you sure?",
    "sure_request": "You are about to withdraw your request for the badge “{name}”. Your evidence will be deleted. "
                    "You cannot undo this.",
    "sure_proposal": "You are about to withdraw your proposal for the badge “{name}”. You cannot undo this.",
    "sure_yes": "Yes, withdraw my request", "sure_yes_proposal": "Yes, withdraw my proposal",
    "sure_no": "No, back to my request", "sure_no_proposal": "No, back to my proposal",
    "closed_now": "This request is closed: it can no longer be changed.",
    "closed_now_proposal": "This proposal is closed: it can no longer be changed.",
    "keep_link_proposal": "Keep this page's address: it is the only way back to your proposal.",
    "propose_title": "Propose a new badge",
    "propose_intro": "Do you have an idea of a badge for {org}? Describe it. The committee will read it, then "
                     "decide.",
    "badge_name": "The badge's name", "badge_name_hint": "Short and clear. For example: World cooking",
    "description": "What the badge recognises", "description_hint": "Which knowledge, which skill?",
    "proposal_criteria": "What it takes to earn it", "proposal_criteria_hint": "For example: having run a "
                                                                               "cooking workshop.",
    "levels": "The levels", "levels_hint": "One level a line, from the simplest to the most advanced. At most 10. "
                                           "For example: I support, I explore, I act.",
    "proposers": "Your first names or nicknames",
    "proposers_hint": "One person a line, at most 10: the badge will say who proposed it.",
    "proposal_email": "Your email address",
    "proposal_email_hint": "To tell you the decision. Without an email, keep your proposal's link safe.",
    "propose_submit": "Send my proposal",
    "proposal_page_title": "My badge proposal", "proposal": "My proposal",
    "proposal_states": {"received": "Proposal received", "more_info": "The committee has a question",
                        "adopted": "Proposal adopted", "declined": "Proposal not adopted",
                        "withdrawn": "Proposal withdrawn"},
    "proposal_explain": {"received": "The committee will review your proposal.",
                         "more_info": "The committee needs to know more. Change your proposal to answer it.",
                         "adopted": "Well done: your badge is adopted. The staff prepare it, then will publish it.",
                         "declined": "The committee did not adopt your proposal.",
                         "withdrawn": "You withdrew this proposal."},
    "draft_title": "The adopted badge", "proposed_by": "Proposed by",
    "revise_title": "Change my proposal", "revise_submit": "Save the changes", "revise_link": "Change my proposal",
    "withdraw_proposal_title": "Withdraw my proposal",
    "withdraw_proposal_intro": "You no longer want to propose this badge?",
    "required": {"level": "Choose a level.", "contact": "Choose how to tell you.",
                 "email": "Write your email address, or choose “No contact”.",
                 "phone": "Write your phone number, or choose “No contact”.",
                 "narrative": "Write what you did.", "group_name": "Write the group's name.",
                 "members": "Write the group's members, one a line.", "name": "Write the badge's name.",
                 "description": "Write what the badge recognises.", "criteria": "Write what it takes to earn it.",
                 "proposers": "Write at least one first name or nickname.", "": "This field is required."},
    "codes": {"too_long": "This text is too long: at most {max} characters (it has {count}).",
              "too_many": "Too many lines: at most {max}.",
              "email": "This email address is not valid. Check it, for example: first.last@example.org",
              "phone": "This number is not valid. Check it, for example: 06 12 34 56 78",
              "publish_name": "To write your name in the badge, first write your first name or a nickname. Or untick "
                              "this box.",
              "line": "Line {line}: write a name, of at most 100 characters (200 for a level).",
              "line_email": "Line {line}: this email address is not valid."},
    "file": "“{file}”: {message}",
    "headlines": {"csrf_failed": "Form expired", "too_many_submits": "Too many submissions",
                  "form_refused": "Form refused", "form_unreadable": "Form unreadable",
                  "payload_too_large": "Files too large", "request_closed": "Request closed",
                  "proposal_closed": "Proposal closed", "not_found": "Page not found"},
    "labels": {"level": "Your level", "kind": "Who for", "group_name": "The group's name",
               "members": "The group's members", "name": "Your first name or a nickname", "contact": "Contact",
               "email": "Your email address", "phone": "Your phone number", "narrative": "What I did",
               "evidence": "Photos or documents", "text_evidence": "The short text", "text": "The short text",
               "publish_name": "Your consent", "description": "What the badge recognises",
               "criteria": "What it takes", "levels": "The levels", "proposers": "Your first names or nicknames"},
}


def _minutes(seconds: int, lang: Lang) -> str:
    minutes = max(1, -(-seconds // 60))
    if minutes >= 60:
        return "une heure" if lang == "fr" else "an hour"
    return f"{minutes} minute{'s' if minutes > 1 else ''}"  # the same word in both languages


def too_many_submits(retry_after: int) -> TooManyRequests:
    """Too many forms sent from one connection, or to one organisation: the wait in words."""
    return TooManyRequests(f"Too many forms were sent from here. Wait {_minutes(retry_after, 'en')}, then send "
                           "yours again: what you typed is kept below.",
                           f"Trop de formulaires ont été envoyés d'ici. Attendez {_minutes(retry_after, 'fr')}, puis "
                           "envoyez à nouveau le vôtre : ce que vous avez écrit est gardé ci-dessous.",
                           code="too_many_submits", headers={"Retry-After": str(retry_after)})


def trap_filled() -> BadRequest:
    """The field people never see was filled (a program, not a person): nothing is stored."""
    return BadRequest("The form was not sent. If you are a person, send it again.",
                      "Le formulaire n'a pas été envoyé. Si vous êtes une personne, envoyez-le à nouveau.",
                      code="form_refused")


def form_unreadable() -> BadRequest:
    return BadRequest("The form could not be read. Open the page again and retry.",
                      "Le formulaire n'a pas pu être lu. Rouvrez la page et recommencez.", code="form_unreadable")


def files_too_large() -> PayloadTooLarge:
    return PayloadTooLarge("Your files are too large together. Choose fewer photos, or smaller ones.",
                           "Vos fichiers sont trop lourds ensemble. Choisissez moins de photos, ou des photos plus "
                           "petites.")
