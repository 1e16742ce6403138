"""The directory's models: organisations, people, accounts and import batches."""

from stakeholders.models.accounts import (
    AccountLink,
    EmailChoice,
    LoginSession,
    PasswordResetRequest,
    UnsubscribeLink,
    User,
    UserManager,
)
from stakeholders.models.choices import (
    IatiOrganisationType,
    Language,
    MechanismRole,
    Role,
    Sex,
    StakeholderGroup,
)
from stakeholders.models.directory import Organisation, Person
from stakeholders.models.imports import ImportBatch

__all__ = [
    "AccountLink",
    "EmailChoice",
    "IatiOrganisationType",
    "ImportBatch",
    "Language",
    "LoginSession",
    "MechanismRole",
    "Organisation",
    "PasswordResetRequest",
    "Person",
    "Role",
    "Sex",
    "StakeholderGroup",
    "UnsubscribeLink",
    "User",
    "UserManager",
]
