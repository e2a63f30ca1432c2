"""Signing in without a password: a person types their email address, receives a link and a 6-digit code, and
opens the link or types the code. This proves they control the address and opens a session; what they may then do
is each use case's decision (e.g. "is this address a committee member of organisation X?").

Modules: :mod:`.service` (the use cases), :mod:`.tokens` (secrets and their digests), :mod:`.address` (addresses
and local paths), :mod:`.audiences` (who may receive a message), :mod:`.errors`, :mod:`.limits` (per-client
windows), :mod:`.message` (the email), and for HTTP :mod:`.web` (cookie, :data:`~app.signin.web.SignedInDep`, CSRF),
:mod:`.pages`, :mod:`.text`, :mod:`.schemas`. Routes: :mod:`app.routers.signin`.
"""
