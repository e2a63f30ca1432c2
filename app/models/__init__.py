"""Persistence models (SQLAlchemy 2, typed). Importing this package registers every table."""

from app.models.achievement import Achievement, StoredImage
from app.models.audit import AuditEvent
from app.models.award import Award, Group, GroupMember, IdempotencyRecord, StatusList
from app.models.backpack import BackpackConnection, HolderProfile, ReceivedCredential
from app.models.base import Base
from app.models.email import OutgoingEmail
from app.models.endorsement import Endorsement
from app.models.holder import ErasureRequest, Holder, HolderSession
from app.models.job import Job
from app.models.oauth import OAuthClient, OAuthCode, OAuthToken
from app.models.organisation import ApiKey, Organisation
from app.models.ratelimit import RateCount
from app.models.recognition import (
    BadgeProposal,
    BadgeRequest,
    CommitteeMember,
    CommitteeVote,
    RecognitionSettings,
    RequestEvidence,
)
from app.models.signin import SigninChallenge, SigninSession
from app.models.signing_key import SigningKey

__all__ = ["Achievement", "ApiKey", "AuditEvent", "Award", "BackpackConnection", "BadgeProposal", "BadgeRequest",
           "Base", "CommitteeMember", "CommitteeVote", "Endorsement", "ErasureRequest", "Group", "GroupMember",
           "Holder", "HolderProfile", "HolderSession", "IdempotencyRecord", "Job", "OAuthClient", "OAuthCode",
           "OAuthToken", "Organisation", "OutgoingEmail", "RateCount", "ReceivedCredential", "RecognitionSettings",
           "RequestEvidence", "SigninChallenge", "SigninSession", "SigningKey", "StatusList", "StoredImage"]
