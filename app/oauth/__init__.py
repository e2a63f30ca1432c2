"""The OAuth 2.0 authorisation server of the Open Badges 3.0 API, on Authlib: its scopes (:mod:`.scopes`), the
requests and answers it trades with the web layer (:mod:`.calls`), and the server bound to one database session
(:mod:`.server`). No web framework here: the routers build an :class:`~app.oauth.calls.OAuthCall`."""
