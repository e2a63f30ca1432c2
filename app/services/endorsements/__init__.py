"""Endorsements (issue 15): organisations ask others to vouch for them, one of their achievements or one award;
endorsers answer by link or through the API; accepted endorsements are signed EndorsementCredentials, published
with what they endorse, and revocable by their endorsers."""
