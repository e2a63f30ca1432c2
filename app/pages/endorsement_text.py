"""The words of the endorsement pages (the endorser's link ``/recommander/…``, the award's holder's ``/accord/…``,
a visitor's offer ``…/recommander`` from a public page, a badge's public page), in French (first) and English: short
sentences, one thing each, for people not at ease with computers. Nothing here decides anything.

The site-wide words (header, footer, language switch, ``colon``) stay in :mod:`app.pages.text`.
"""

from __future__ import annotations

from typing import Any

from app.pages.text import Lang

__all__ = ["ENDORSEMENT_TEXT"]

ENDORSEMENT_TEXT: dict[Lang, dict[str, Any]] = {
    "fr": {
        "error": "Erreur", "error_prefix": "Erreur : ", "mandatory": "(obligatoire)",
        "missing_title": "Page introuvable",
        "missing": "Ce lien ne mène à aucune recommandation. Vérifiez le lien reçu : il doit être copié en entier.",
        "badge_missing": "Nous ne trouvons pas de badge publié à cette adresse. Vérifiez-la.",
        "org_missing": "Nous ne trouvons pas d'organisation à cette adresse. Vérifiez-la.",
        # the endorser's page
        "endorse_title": {"organisation": "Recommander une organisation", "achievement": "Recommander un badge",
                          "award": "Recommander un badge décerné"},
        "ask_intro": {"organisation": "{org} vous demande de la recommander.",
                      "achievement": "{org} vous demande de recommander l'un de ses badges.",
                      "award": "{org} vous demande de recommander un badge qu'elle a décerné."},
        "offer_intro": {"organisation": "Vous avez proposé de recommander {org}.",
                        "achievement": "Vous avez proposé de recommander un badge de {org}.",
                        "award": "Vous avez proposé de recommander un badge décerné par {org}."},
        "what_is": "Recommander, c'est dire en quelques mots que vous faites confiance. Vos mots seront publiés "
                   "avec votre nom ({name}) : tout le monde pourra les lire.",
        "subject_title": {"organisation": "L'organisation", "achievement": "Le badge", "award": "Le badge décerné"},
        "criteria": "Pour l'obtenir", "criteria_link": "Voir ce qu'il faut faire", "holder": "Décerné à",
        "message_title": "Le message de {org}", "until": "Vous pouvez répondre jusqu'au {day}.",
        "answer_title": "Votre réponse",
        "sign_in_needed": "Pour recommander, connectez-vous d'abord avec l'adresse e-mail à laquelle cette demande "
                          "a été envoyée : {address}. Vous recevrez un code par e-mail.",
        "sign_in": "Me connecter",
        "other_address": "Vous êtes connecté(e) avec l'adresse {email}. Cette demande a été envoyée à une autre "
                         "adresse : {address}. Pour répondre, connectez-vous avec celle-ci.",
        "sign_in_other": "Me connecter avec la bonne adresse",
        "words_label": "Votre recommandation",
        "words_hint": "Quelques phrases, avec vos mots : ce que vous avez vu, pourquoi vous faites confiance. Elles "
                      "seront publiées avec votre nom ({name}). 2\u202f000 caractères au plus.",
        "endorse_submit": "Je recommande",
        "decline_title": "Vous ne souhaitez pas recommander\u00a0?",
        "decline_intro": "Vous pouvez le dire sans vous connecter. Rien ne sera publié.",
        "decline": "Je préfère ne pas recommander",
        "states": {"requested": "Votre réponse", "accepted": "Votre recommandation est publiée",
                   "declined": "Demande close", "expired": "Demande expirée", "revoked": "Recommandation retirée",
                   "consent": "Pas encore", "offered": "En attente"},
        "explain": {"declined": "Cette demande est close : aucune recommandation ne sera publiée.",
                    "expired": "Cette demande a expiré : il n'est plus possible d'y répondre.",
                    "revoked": "Vous avez retiré votre recommandation : elle n'est plus publiée.",
                    "consent": "La personne qui a reçu ce badge n'a pas encore donné son accord : vous pourrez "
                               "répondre ensuite.",
                    "offered": "{org} n'a pas encore décidé de publier votre recommandation."},
        "your_words": "Vos mots, tels qu'ils sont publiés\u00a0:",
        "published_doc": "Le document publié de votre recommandation (pour les logiciels de vérification)",
        "see_badge": "Voir le badge",
        "revoke_title": "Retirer ma recommandation",
        "revoke_intro": "Vous pouvez retirer votre recommandation à tout moment : elle ne sera plus publiée.",
        "revoke_sign_in": "Pour la retirer, connectez-vous avec l'adresse {address}.",
        "done": {"merci": "Merci : votre recommandation est publiée",
                 "refus": "Votre réponse est enregistrée : rien ne sera publié",
                 "retrait": "Votre recommandation est retirée", "oui": "Merci : votre accord est enregistré",
                 "non": "Votre refus est enregistré : rien ne sera publié"},
        # « Êtes-vous sûr(e) ? »
        "sure_title": "Êtes-vous sûr(e)\u00a0?",
        "sure_decline": "Vous allez répondre à {org} que vous préférez ne pas recommander. Rien ne sera publié. "
                        "Vous ne pourrez pas revenir en arrière.",
        "sure_decline_yes": "Oui, je préfère ne pas recommander",
        "sure_revoke": "Vous allez retirer votre recommandation. Elle ne sera plus publiée. Vous ne pourrez pas "
                       "revenir en arrière.",
        "sure_revoke_yes": "Oui, je retire ma recommandation",
        "sure_no": "Non, revenir à la demande",
        "closed_now": "Cette demande n'attend plus de réponse.",
        "nothing_to_revoke": "Il n'y a pas de recommandation publiée à retirer.",
        # the holder's page
        "consent_title": "Une recommandation pour votre badge",
        "consent_intro": "{org} voudrait que {endorser} recommande votre badge.",
        "consent_what": "Une recommandation, ce sont quelques mots de {endorser}, publiés avec votre badge : toute "
                        "personne qui voit votre badge pourra les lire. Rien n'est publié sans votre accord.",
        "your_badge": "Votre badge", "endorser": "Qui recommanderait votre badge",
        "offered_words": "Les mots de {endorser}\u00a0:",
        "consent_question": "Êtes-vous d'accord\u00a0?", "consent_yes": "J'accepte", "consent_no": "Je refuse",
        "consent_states": {"consent": "Votre réponse", "requested": "Accord donné",
                           "accepted": "Recommandation publiée", "declined": "Pas de recommandation",
                           "expired": "Demande expirée", "revoked": "Recommandation retirée",
                           "offered": "En attente"},
        "consent_explain": {
            "requested": "Vous avez donné votre accord : {endorser} peut maintenant écrire sa recommandation.",
            "accepted": "La recommandation de {endorser} est publiée avec votre badge.",
            "declined": "Cette recommandation ne sera pas publiée.",
            "expired": "Cette demande a expiré : rien ne sera publié.",
            "revoked": "{endorser} a retiré sa recommandation : elle n'est plus publiée.",
            "offered": "{org} n'a pas encore décidé."},
        # refusals
        "headlines": {"csrf_failed": "Formulaire expiré", "wrong_endorser": "Adresse différente",
                      "comment_required": "Recommandation vide", "comment_too_long": "Recommandation trop longue",
                      "choice_required": "Réponse manquante", "form_unreadable": "Formulaire illisible",
                      "payload_too_large": "Formulaire trop long", "endorsement_accepted": "Déjà publiée",
                      "endorsement_declined": "Demande close", "endorsement_expired": "Demande expirée",
                      "endorsement_revoked": "Recommandation retirée", "endorsement_consent": "Pas encore",
                      "endorsement_requested": "Pas encore publiée", "endorsement_offered": "En attente",
                      "unknown_link": "Page introuvable", "not_found": "Page introuvable",
                      "name_required": "Nom manquant", "name_too_long": "Nom trop long",
                      "award_not_active": "Badge plus actif", "achievement_not_published": "Badge non publié"},
        "choice_required": "Choisissez « J'accepte » ou « Je refuse ».",
        # a visitor offers an endorsement (``…/recommander`` of a public page)
        "offer_page_intro": {"organisation": "Vous connaissez {org}\u00a0? Vous pouvez la recommander.",
                             "achievement": "Vous connaissez ce badge de {org}\u00a0? Vous pouvez le recommander.",
                             "award": "Vous connaissez ce badge décerné par {org}\u00a0? Vous pouvez le "
                                      "recommander."},
        "offer_what": "Recommander, c'est dire en quelques mots que vous faites confiance : ce que vous avez vu, "
                      "pourquoi vous y croyez.",
        "offer_when": {"organisation": "Vos mots seront publiés avec votre nom quand {org} aura dit oui. Rien "
                                       "n'est publié avant.",
                       "achievement": "Vos mots seront publiés avec votre nom quand {org} aura dit oui. Rien "
                                      "n'est publié avant.",
                       "award": "Vos mots seront publiés avec votre nom quand {org} et la personne qui a reçu ce "
                                "badge auront dit oui. Rien n'est publié avant."},
        "offer_form_title": "Proposer une recommandation",
        "offer_sign_in": "Pour proposer une recommandation, connectez-vous d'abord avec votre adresse e-mail. Vous "
                         "recevrez un code par e-mail.",
        "offer_signed_in": "Vous êtes connecté(e) avec l'adresse {email}. Elle ne sera pas publiée.",
        "name_label": "Votre nom, tel qu'il sera publié",
        "name_hint": "Votre prénom et votre nom, par exemple. 200 caractères au plus.",
        "offer_words_hint": "Quelques phrases, avec vos mots : ce que vous avez vu, pourquoi vous faites confiance. "
                            "2\u202f000 caractères au plus.",
        "offer_submit": "Proposer ma recommandation",
        "offer_thanks": "Merci : {org} va lire votre recommandation",
        "offer_next": {"organisation": "{org} va décider de publier vos mots. Rien n'est publié avant.",
                       "achievement": "{org} va décider de publier vos mots. Rien n'est publié avant.",
                       "award": "{org} va décider de publier vos mots, puis la personne qui a reçu ce badge donnera "
                                "son accord. Rien n'est publié avant."},
        "offer_link_label": "Le lien de votre recommandation :",
        "offer_link_use": "Ouvrez ce lien pour savoir où en est votre recommandation. Une fois qu'elle est publiée, "
                          "ce lien vous permet aussi de la retirer.",
        "offer_keep": "Gardez bien ce lien : c'est votre clé pour suivre votre recommandation.",
        "offer_print": "Pour garder ce lien sur papier : imprimez cette page (touches Ctrl et P, ou menu "
                       "« Imprimer » de votre navigateur). Sur un téléphone : faites une capture d'écran.",
        "offer_open": "Voir ma recommandation",
        "offer_your_words": "Vos mots",
        "offer_badge_title": "Vous connaissez ce badge\u00a0? Recommandez-le",
        "offer_badge_intro": "Dites en quelques mots pourquoi vous lui faites confiance. {org} lira votre "
                             "recommandation avant de la publier avec votre nom.",
        "offer_badge_link": "Recommander ce badge",
        # a badge's public page
        "badge_intro": "Un badge de {org}.", "awarded_by": "Décerné par", "description": "Ce que le badge reconnaît",
        "levels": "Ses niveaux", "endorsed_by": "Recommandé par", "given_on": "le {day}",
        "org_site": "Site de l'organisation", "image_alt": "Image du badge « {name} »",
    },
}

ENDORSEMENT_TEXT["en"] = {
    "error": "Error", "error_prefix": "Error: ", "mandatory": "(required)",
    "missing_title": "Page not found",
    "missing": "This link leads to no endorsement. Check the link you received: it must be copied whole.",
    "badge_missing": "We find no published badge at this address. Check it.",
    "org_missing": "We find no organisation at this address. Check it.",
    "endorse_title": {"organisation": "Endorse an organisation", "achievement": "Endorse a badge",
                      "award": "Endorse an awarded badge"},
    "ask_intro": {"organisation": "{org} asks you to endorse it.",
                  "achievement": "{org} asks you to endorse one of its badges.",
                  "award": "{org} asks you to endorse a badge it awarded."},
    "offer_intro": {"organisation": "You offered to endorse {org}.",
                    "achievement": "You offered to endorse a badge from {org}.",
                    "award": "You offered to endorse a badge awarded by {org}."},
    "what_is": "Endorsing means saying in a few words that you trust this work. Your words will be published with "
               "your name ({name}): everyone will be able to read them.",
    "subject_title": {"organisation": "The organisation", "achievement": "The badge", "award": "The awarded badge"},
    "criteria": "To earn it", "criteria_link": "See what it takes", "holder": "Awarded to",
    "message_title": "The message from {org}", "until": "You can answer until {day}.",
    "answer_title": "Your answer",
    "sign_in_needed": "To endorse, first sign in with the email address this request was sent to: {address}. You "
                      "will receive a code by email.",
    "sign_in": "Sign in",
    "other_address": "You are signed in with the address {email}. This request was sent to another address: "
                     "{address}. To answer, sign in with that one.",
    "sign_in_other": "Sign in with the right address",
    "words_label": "Your endorsement",
    "words_hint": "A few sentences, in your own words: what you saw, why you trust it. They will be published with "
                  "your name ({name}). At most 2,000 characters.",
    "endorse_submit": "I endorse",
    "decline_title": "You would rather not endorse?",
    "decline_intro": "You can say so without signing in. Nothing will be published.",
    "decline": "I would rather not endorse",
    "states": {"requested": "Your answer", "accepted": "Your endorsement is published",
               "declined": "Request closed", "expired": "Request expired", "revoked": "Endorsement taken back",
               "consent": "Not yet", "offered": "Waiting"},
    "explain": {"declined": "This request is closed: no endorsement will be published.",
                "expired": "This request has expired: it can no longer be answered.",
                "revoked": "You took your endorsement back: it is no longer published.",
                "consent": "The person who received this badge has not agreed yet: you can answer afterwards.",
                "offered": "{org} has not decided yet to publish your endorsement."},
    "your_words": "Your words, as they are published:",
    "published_doc": "Your endorsement's published document (for verification software)",
    "see_badge": "See the badge",
    "revoke_title": "Take my endorsement back",
    "revoke_intro": "You can take your endorsement back at any time: it will no longer be published.",
    "revoke_sign_in": "To take it back, sign in with the address {address}.",
    "done": {"merci": "Thank you: your endorsement is published",
             "refus": "Your answer is recorded: nothing will be published",
             "retrait": "Your endorsement is taken back", "oui": "Thank you: your consent is recorded",
             "non": "Your refusal is recorded: nothing will be published"},
    "sure_title": "Are you sure?",
    "sure_decline": "You are about to tell {org} that you would rather not endorse. Nothing will be published. "
                    "You cannot undo this.",
    "sure_decline_yes": "Yes, I would rather not endorse",
    "sure_revoke": "You are about to take your endorsement back. It will no longer be published. You cannot undo "
                   "this.",
    "sure_revoke_yes": "Yes, take my endorsement back",
    "sure_no": "No, back to the request",
    "closed_now": "This request no longer waits for an answer.",
    "nothing_to_revoke": "There is no published endorsement to take back.",
    "consent_title": "An endorsement for your badge",
    "consent_intro": "{org} would like {endorser} to endorse your badge.",
    "consent_what": "An endorsement is a few words by {endorser}, published with your badge: anyone who sees your "
                    "badge will be able to read them. Nothing is published without your consent.",
    "your_badge": "Your badge", "endorser": "Who would endorse your badge",
    "offered_words": "The words of {endorser}:",
    "consent_question": "Do you agree?", "consent_yes": "I agree", "consent_no": "I refuse",
    "consent_states": {"consent": "Your answer", "requested": "Consent given", "accepted": "Endorsement published",
                       "declined": "No endorsement", "expired": "Request expired",
                       "revoked": "Endorsement taken back", "offered": "Waiting"},
    "consent_explain": {
        "requested": "You gave your consent: {endorser} can now write their endorsement.",
        "accepted": "The endorsement by {endorser} is published with your badge.",
        "declined": "This endorsement will not be published.",
        "expired": "This request has expired: nothing will be published.",
        "revoked": "{endorser} took their endorsement back: it is no longer published.",
        "offered": "{org} has not decided yet."},
    "headlines": {"csrf_failed": "Form expired", "wrong_endorser": "Another address",
                  "comment_required": "Empty endorsement", "comment_too_long": "Endorsement too long",
                  "choice_required": "Answer missing", "form_unreadable": "Form unreadable",
                  "payload_too_large": "Form too long", "endorsement_accepted": "Already published",
                  "endorsement_declined": "Request closed", "endorsement_expired": "Request expired",
                  "endorsement_revoked": "Endorsement taken back", "endorsement_consent": "Not yet",
                  "endorsement_requested": "Not published yet", "endorsement_offered": "Waiting",
                  "unknown_link": "Page not found", "not_found": "Page not found",
                  "name_required": "Name missing", "name_too_long": "Name too long",
                  "award_not_active": "Badge no longer active", "achievement_not_published": "Badge not published"},
    "choice_required": "Choose “I agree” or “I refuse”.",
    "offer_page_intro": {"organisation": "You know {org}? You can endorse it.",
                         "achievement": "You know this badge from {org}? You can endorse it.",
                         "award": "You know this badge awarded by {org}? You can endorse it."},
    "offer_what": "Endorsing means saying in a few words that you trust this work: what you saw, why you believe in "
                  "it.",
    "offer_when": {"organisation": "Your words will be published with your name once {org} says yes. Nothing is "
                                   "published before.",
                   "achievement": "Your words will be published with your name once {org} says yes. Nothing is "
                                  "published before.",
                   "award": "Your words will be published with your name once {org} and the person who received "
                            "this badge say yes. Nothing is published before."},
    "offer_form_title": "Offer an endorsement",
    "offer_sign_in": "To offer an endorsement, first sign in with your email address. You will receive a code by "
                     "email.",
    "offer_signed_in": "You are signed in with the address {email}. It will not be published.",
    "name_label": "Your name, as it will be published",
    "name_hint": "Your first and last name, for example. At most 200 characters.",
    "offer_words_hint": "A few sentences, in your own words: what you saw, why you trust it. At most 2,000 "
                        "characters.",
    "offer_submit": "Offer my endorsement",
    "offer_thanks": "Thank you: {org} will read your endorsement",
    "offer_next": {"organisation": "{org} will decide whether to publish your words. Nothing is published before.",
                   "achievement": "{org} will decide whether to publish your words. Nothing is published before.",
                   "award": "{org} will decide whether to publish your words, then the person who received this "
                            "badge will give their consent. Nothing is published before."},
    "offer_link_label": "Your endorsement's link:",
    "offer_link_use": "Open this link to see where your endorsement stands. Once it is published, this link also "
                      "lets you take it back.",
    "offer_keep": "Keep this link safe: it is your key to follow your endorsement.",
    "offer_print": "To keep this link on paper: print this page (Ctrl and P keys, or your browser's “Print” menu). "
                   "On a phone: take a screenshot.",
    "offer_open": "See my endorsement",
    "offer_your_words": "Your words",
    "offer_badge_title": "You know this badge? Endorse it",
    "offer_badge_intro": "Say in a few words why you trust it. {org} will read your endorsement before publishing it "
                         "with your name.",
    "offer_badge_link": "Endorse this badge",
    "badge_intro": "A badge from {org}.", "awarded_by": "Awarded by", "description": "What the badge recognises",
    "levels": "Its levels", "endorsed_by": "Endorsed by", "given_on": "on {day}",
    "org_site": "The organisation's website", "image_alt": "Image of the badge “{name}”",
}
