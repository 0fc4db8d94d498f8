from .accounts import Role, User
from .calendar import CalendarCorrection
from .campaigns import AnswerState, Campaign, CampaignKind, CampaignParticipant, ReminderSent
from .catalogue import (
    CatalogueEdition,
    PlacementPoint,
    ProcessGroup,
    ProcessKind,
    ReengineeringStatus,
    RegistryColumn,
    TypicalProcess,
)
from .imports import ImportBatch, ImportStatus
from .organizations import Level, Organization, OrganizationAlias, OrganizationKind
from .processes import (
    LifeSituation,
    LinkType,
    Process,
    ProcessLink,
    identifier_number,
    normalize_identifier,
    normalize_text,
)
from .proposals import Proposal, ProposalAction, ProposalItem, ProposalState
from .versions import RegistryVersion

__all__ = [
    "AnswerState",
    "Campaign",
    "CampaignKind",
    "CampaignParticipant",
    "ReminderSent",
    "CalendarCorrection",
    "CatalogueEdition",
    "ImportBatch",
    "ImportStatus",
    "Level",
    "LifeSituation",
    "LinkType",
    "Organization",
    "OrganizationAlias",
    "OrganizationKind",
    "PlacementPoint",
    "Process",
    "ProcessGroup",
    "ProcessKind",
    "ProcessLink",
    "Proposal",
    "ProposalAction",
    "ProposalItem",
    "ProposalState",
    "ReengineeringStatus",
    "RegistryColumn",
    "RegistryVersion",
    "Role",
    "TypicalProcess",
    "User",
    "identifier_number",
    "normalize_identifier",
    "normalize_text",
]
