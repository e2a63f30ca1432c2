"""Persistence models (SQLAlchemy 2, typed). Importing this package registers every table."""

from app.models.audit import AuditEvent
from app.models.base import Base
from app.models.organisation import ApiKey, Organisation
from app.models.signing_key import SigningKey

__all__ = ["ApiKey", "AuditEvent", "Base", "Organisation", "SigningKey"]
