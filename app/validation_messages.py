"""What a refused field says, in French and English: one sentence per pydantic error, naming the field and the
problem in words a facilitator understands, and one summary for the whole request.

Used for every 422 of the API (``app.problems``) and every refused row of a batch. Pure: no web imports.
"""

from __future__ import annotations

from typing import Any

from app.errors import InvalidValue

__all__ = ["describe", "summary"]

#: French for pydantic's error types; ``{…}`` are filled from the error's context
_FRENCH: dict[str, str] = {
    "missing": "Ce champ est obligatoire.",
    "extra_forbidden": "Ce champ n'est pas accepté (il est fixé par le serveur, ou son nom est mal écrit).",
    "string_too_long": "Texte trop long : {max_length} caractères au plus.",
    "string_too_short": "Ce champ ne peut pas être vide.",
    "too_long": "Trop d'éléments : {max_length} au plus.",
    "too_short": "Il faut au moins {min_length} élément(s).",
    "string_type": "Un texte est attendu (entre guillemets).",
    "list_type": "Une liste est attendue (entre crochets [ ]).",
    "dict_type": "Un objet JSON est attendu (entre accolades { }).",
    "model_type": "Un objet JSON est attendu (entre accolades { }).",
    "model_attributes_type": "Un objet JSON est attendu (entre accolades { }).",
    "bool_type": "true ou false est attendu.",
    "bool_parsing": "true ou false est attendu.",
    "int_type": "Un nombre entier est attendu.",
    "int_parsing": "Un nombre entier est attendu.",
    "greater_than_equal": "Doit valoir au moins {ge}.",
    "less_than_equal": "Doit valoir au plus {le}.",
    "greater_than": "Doit valoir plus de {gt}.",
    "less_than": "Doit valoir moins de {lt}.",
    "literal_error": "Valeur non acceptée : choisissez parmi {expected}.",
    "enum": "Valeur non acceptée : choisissez parmi {expected}.",
    "string_pattern_mismatch": "Format non accepté.",
    "datetime_type": "Une date et une heure sont attendues, par exemple 2026-12-01T10:00:00+01:00.",
    "datetime_parsing": "Date et heure illisibles : écrivez-les comme 2026-12-01T10:00:00+01:00.",
    "datetime_from_date_parsing": "Date et heure illisibles : écrivez-les comme 2026-12-01T10:00:00+01:00.",
    "timezone_aware": "Précisez le fuseau horaire, par exemple 2026-12-01T10:00:00+01:00 (ou Z pour le temps "
                      "universel).",
    "json_invalid": "Le corps de la requête n'est pas du JSON valide ({error}), vers le caractère {position}.",
    "json_type": "Du JSON est attendu.",
}
_ENGLISH: dict[str, str] = {
    "json_invalid": "The request body is not valid JSON ({error}), near character {position}.",
    "timezone_aware": "Give the time zone, e.g. 2026-12-01T10:00:00+01:00 (or Z for UTC).",
    "extra_forbidden": "This field is not accepted (the server sets it, or its name is misspelt).",
    "string_too_short": "This field cannot be empty.",
}


def _filled(template: str, context: dict[str, Any]) -> str:
    try:
        return template.format(**context)
    except (KeyError, IndexError, ValueError):
        return template.split(":")[0].rstrip(" .") + "."


def describe(err: dict[str, Any]) -> dict[str, str]:
    """One pydantic error as ``{"field", "type", "message_en", "message_fr"}``; ``field`` is the dotted path
    (``recipient.email``, ``evidence.0.url``), empty for the whole body."""
    loc = [str(part) for part in err.get("loc", ()) if part != "body"]
    kind = str(err.get("type", "invalid"))
    context = dict(err.get("ctx") or {})
    if kind == "json_invalid":
        context["position"] = loc[0] if loc else "?"
        loc = []
    refusal = context.get("error")
    if isinstance(refusal, InvalidValue):
        english, french = refusal.message_en, refusal.message_fr
    elif isinstance(refusal, ValueError):  # a model validator's plain ValueError: its text is English
        english = str(refusal)
        french = f"Valeur refusée : {english}"
    else:
        english = _filled(_ENGLISH[kind], context) if kind in _ENGLISH else str(err.get("msg", "Invalid value."))
        french = _filled(_FRENCH[kind], context) if kind in _FRENCH else "Valeur invalide."
    return {"field": ".".join(loc), "type": kind, "message_en": english, "message_fr": french}


def summary(errors: list[dict[str, str]]) -> tuple[str, str]:
    """The request's message in English and French: the field and its problem when there is one, else how many
    fields and which."""
    if len(errors) == 1:
        (error,) = errors
        if not error["field"]:
            return error["message_en"], error["message_fr"]
        return f"{error['field']}: {error['message_en']}", f"{error['field']} : {error['message_fr']}"
    fields = ", ".join(dict.fromkeys(e["field"] or "(body)" for e in errors))
    return (f"{len(errors)} problems in the fields: {fields}. See errors.",
            f"{len(errors)} problèmes dans les champs : {fields}. Voir errors.")
