"""The recognition process (issue 14): residents request badges with evidence (:mod:`.requests`), a steering
committee reviews and votes (:mod:`.review`, deciding by :mod:`.rules`); what they share is in :mod:`.common`."""
