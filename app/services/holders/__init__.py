"""The holder's side: claim an award (the recipient's address proven by signing in, or the printed claim code
typed), a holder space across organisations, the holder's choices per award (public or private, the name shown),
downloads that go anywhere, and erasure.

Modules: :mod:`.spaces` (who the holder is, claiming, the list), :mod:`.privacy` (the choices, re-issuing),
:mod:`.downloads` (files), :mod:`.erasure`.
"""
