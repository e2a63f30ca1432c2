"""How a fetch fails: one :class:`FetchError` with a stable ``reason`` and a message in French and English."""

from __future__ import annotations

from app.errors import SavoirsError

__all__ = ["REASONS", "FetchError"]

URL_SHOWN = 200  # characters of the URL kept in an error

REASONS: dict[str, tuple[str, str]] = {
    # reason: (English, French)
    "invalid_url": ("The address is not a valid web address.", "L'adresse n'est pas une adresse web valide."),
    "scheme_not_allowed": ("Only http and https addresses can be fetched.",
                           "Seules les adresses http et https peuvent être consultées."),
    "userinfo_not_allowed": ("Addresses containing a user name or password are refused.",
                             "Les adresses contenant un nom d'utilisateur ou un mot de passe sont refusées."),
    "address_not_allowed": ("The address points to a private or reserved network; it is not fetched.",
                            "L'adresse mène à un réseau privé ou réservé ; elle n'est pas consultée."),
    "dns_failed": ("The server name could not be found.", "Le nom du serveur est introuvable."),
    "timeout": ("The server took too long to answer.", "Le serveur a mis trop de temps à répondre."),
    "connect_failed": ("The server could not be reached.", "Le serveur est injoignable."),
    "tls_failed": ("The server's secure connection (TLS certificate) could not be verified.",
                   "La connexion sécurisée du serveur (certificat TLS) n'a pas pu être vérifiée."),
    "protocol_error": ("The server sent an invalid HTTP response.", "Le serveur a envoyé une réponse HTTP invalide."),
    "too_many_redirects": ("The server redirected too many times.", "Le serveur a redirigé trop de fois."),
    "bad_redirect": ("The server sent an invalid redirect.", "Le serveur a envoyé une redirection invalide."),
    "insecure_redirect": ("The server redirected from https to plain http.",
                          "Le serveur a redirigé de https vers http non sécurisé."),
    "http_status": ("The server answered with an error.", "Le serveur a répondu par une erreur."),
    "unexpected_content_type": ("The server sent a document of an unexpected type.",
                                "Le serveur a envoyé un document d'un type inattendu."),
    "unexpected_content_encoding": ("The server sent a compressed or encoded document, which is refused.",
                                    "Le serveur a envoyé un document compressé ou encodé, ce qui est refusé."),
    "too_large": ("The document is too large.", "Le document est trop volumineux."),
    "invalid_did": ("The did:web identifier is malformed.", "L'identifiant did:web est mal formé."),
}


class FetchError(SavoirsError):
    """A refused or failed fetch (502 if it ever reached a client). ``reason`` is a stable sub-code (see
    ``REASONS``)."""

    status = 502
    code = "fetch_failed"

    def __init__(self, reason: str, url: str, *, detail_en: str = "", detail_fr: str = "") -> None:
        en, fr = REASONS.get(reason, ("The document could not be fetched.", "Le document n'a pas pu être obtenu."))
        self.reason = reason
        self.url = str(url)[:URL_SHOWN]
        super().__init__(f"{en} {detail_en}".strip(), f"{fr} {detail_fr}".strip())
