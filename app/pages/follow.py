"""The page of a resident's private link (``/suivi/{token}``): where their request stands, in plain words, French
first. Read only for now: adding evidence and withdrawing are in the API (``/api/v1/request-links/{token}/…``)."""

from __future__ import annotations

from typing import Any

from fastapi.responses import HTMLResponse

from app.pages.render import render
from app.pages.text import Lang
from app.schemas.recognition import RequestOut

__all__ = ["WORDS", "follow_page", "missing_page"]

WORDS: dict[Lang, dict[str, Any]] = {
    "fr": {
        "title": "Ma demande de badge", "request": "Ma demande", "badge": "Badge", "level": "Niveau",
        "evidence": "Preuves envoyées", "evidence_count": "{n} fichier(s) ou texte(s)",
        "published": "Preuves publiées dans le badge", "yes": "oui", "no": "non (seul le comité les voit)",
        "question": "La question du comité :", "reason": "Ce que le comité vous dit :",
        "see_badge": "Voir mon badge", "claim_code": "Votre code pour récupérer le badge :",
        "claim_keep": "Gardez ce code : il prouve que ce badge est le vôtre.",
        "keep_link": "Gardez l'adresse de cette page : c'est le seul moyen de revenir à votre demande.",
        "missing": "Nous ne trouvons aucune demande à cette adresse. Vérifiez le lien reçu.",
        "states": {"received": "Demande reçue", "more_info": "Le comité a une question",
                   "accepted": "Demande acceptée", "declined": "Demande non acceptée", "withdrawn": "Demande retirée"},
        "explain": {"received": "Le comité va examiner votre demande. Vous serez prévenu(e) de sa décision.",
                    "more_info": "Le comité a besoin d'en savoir plus avant de décider.",
                    "accepted": "Bravo : le badge est à vous.",
                    "declined": "Le comité n'a pas accepté votre demande.",
                    "withdrawn": "Vous avez retiré cette demande. Vos preuves ont été effacées."},
    },
    "en": {
        "title": "My badge request", "request": "My request", "badge": "Badge", "level": "Level",
        "evidence": "Evidence sent", "evidence_count": "{n} file(s) or text(s)",
        "published": "Evidence published in the badge", "yes": "yes", "no": "no (only the committee sees it)",
        "question": "The committee's question:", "reason": "What the committee tells you:",
        "see_badge": "See my badge", "claim_code": "Your code to collect the badge:",
        "claim_keep": "Keep this code: it proves this badge is yours.",
        "keep_link": "Keep this page's address: it is the only way back to your request.",
        "missing": "We find no request at this address. Check the link you received.",
        "states": {"received": "Request received", "more_info": "The committee has a question",
                   "accepted": "Request accepted", "declined": "Request not accepted",
                   "withdrawn": "Request withdrawn"},
        "explain": {"received": "The committee will review your request. You will be told its decision.",
                    "more_info": "The committee needs to know more before deciding.",
                    "accepted": "Well done: the badge is yours.",
                    "declined": "The committee did not accept your request.",
                    "withdrawn": "You withdrew this request. Your evidence was deleted."},
    },
}


def follow_page(request: RequestOut, lang: Lang, path: str) -> HTMLResponse:
    return render("follow.html", lang, path=path, request=request, w=WORDS[lang],
                  headers={"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"})


def missing_page(lang: Lang, path: str) -> HTMLResponse:
    return render("follow_missing.html", lang, status_code=404, path=path, w=WORDS[lang])
