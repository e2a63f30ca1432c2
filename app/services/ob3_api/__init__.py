"""The Open Badges 3.0 API, service provider side: the service description (:mod:`.discovery`), the OAuth 2.0
authorisation server (:mod:`.oauth`, the clients it registered in :mod:`.clients`), and the resources a holder
lets a backpack read and write (:mod:`.credentials`, :mod:`.profile`)."""
