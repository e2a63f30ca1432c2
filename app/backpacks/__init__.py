"""The client side of the Open Badges 3.0 API: a holder sends a badge from their space here to a backpack elsewhere.

:mod:`~app.backpacks.description` reads a backpack's service description document; :mod:`~app.backpacks.client`
registers with it, builds the authorisation request (PKCE S256), exchanges the code, refreshes, and pushes a
credential, every call through the verifier's :class:`~app.verify.fetch.SafeFetcher` (no private addresses, one
deadline, a size cap). The use case (what is remembered, sealed, sent) is :mod:`app.services.holders.backpacks`.
"""
