"""Persistence models (SQLAlchemy 2, typed). Importing this package registers every table."""

from app.models.achievement import Achievement, StoredImage
from app.models.audit import AuditEvent
from app.models.award import Award, Group, GroupMember, IdempotencyRecord, StatusList
from app.models.base import Base
from app.models.job import Job
from app.models.organisation import ApiKey, Organisation
from app.models.signing_key import SigningKey

__all__ = ["Achievement", "ApiKey", "AuditEvent", "Award", "Base", "Group", "GroupMember", "IdempotencyRecord",
           "Job", "Organisation", "SigningKey", "StatusList", "StoredImage"]
