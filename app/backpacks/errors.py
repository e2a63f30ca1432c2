"""How talking to a backpack fails: the address typed is not one (400), the backpack cannot be reached or answers
outside the protocol (502), or it refuses what we ask (502, with its own words kept out of our answer)."""

from __future__ import annotations

from app.errors import BadRequest, SavoirsError

__all__ = ["BackpackAddressInvalid", "BackpackRefused", "BackpackUnreachable", "RegistrationUnknown"]


class BackpackAddressInvalid(BadRequest):
    code = "backpack_address_invalid"
    message_en = "This is not the address of a backpack. Copy it from your backpack (it starts with https://)."
    message_fr = ("Ce n'est pas l'adresse d'un sac à badges. Copiez-la depuis votre sac à badges (elle commence "
                  "par https://).")


class BackpackUnreachable(SavoirsError):
    """The backpack could not be reached, or did not answer as the Open Badges 3.0 API says."""

    status = 502
    code = "backpack_unreachable"
    message_en = ("Your backpack could not be reached, or it does not speak the Open Badges 3.0 API. Check its "
                  "address, or try again later. Nothing was sent.")
    message_fr = ("Votre sac à badges est injoignable, ou il ne parle pas l'API Open Badges 3.0. Vérifiez son "
                  "adresse, ou réessayez plus tard. Rien n'a été envoyé.")


class BackpackRefused(SavoirsError):
    """The backpack answered, and said no (registration, token or credential)."""

    status = 502
    code = "backpack_refused"
    message_en = "Your backpack refused the badge. Nothing was sent. Try again later, or ask your backpack's help."
    message_fr = ("Votre sac à badges a refusé le badge. Rien n'a été envoyé. Réessayez plus tard, ou demandez "
                  "de l'aide à votre sac à badges.")


class RegistrationUnknown(BackpackRefused):
    """The backpack no longer knows our registration (its token endpoint refused our client authentication)."""

    code = "backpack_refused"
