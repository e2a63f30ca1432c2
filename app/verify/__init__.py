"""Verification of credentials presented by third parties (hosted assertions, did:web, status lists)."""
