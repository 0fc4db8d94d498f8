from ..choices import (
    AnswerState,
    CampaignKind,
    Directory,
    ImportStatus,
    Level,
    LinkType,
    OrganizationKind,
    ProposalAction,
    ProposalState,
    Role,
)
from .accounts import DirectoryGroup, User
from .campaigns import Campaign, CampaignParticipant, ReminderSent
from .catalogue import (
    ActivityDirection,
    CatalogueEdition,
    CellVariant,
    ExclusionGround,
    InclusionReason,
    PlacementPoint,
    ProcessGroup,
    ProcessKind,
    ReengineeringStatus,
    RegistryColumn,
    TypicalProcess,
)
from .figures import CatalogueFigures
from .imports import ImportBatch
from .organizations import Organization, OrganizationAlias, organization_field
from .processes import (
    LifeSituation,
    Process,
    ProcessLink,
    identifier_number,
    normalize_identifier,
    normalize_text,
)
from .proposals import Proposal, ProposalItem
from .reengineering import ReengineeringPlanEntry
from .versions import RegistryVersion, VersionApproval, VersionPlacement

__all__ = [
    "AnswerState",
    "Campaign",
    "CampaignKind",
    "CampaignParticipant",
    "CatalogueFigures",
    "ReminderSent",
    "ActivityDirection",
    "CatalogueEdition",
    "CellVariant",
    "Directory",
    "DirectoryGroup",
    "ExclusionGround",
    "InclusionReason",
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
    "ReengineeringPlanEntry",
    "ReengineeringStatus",
    "RegistryColumn",
    "RegistryVersion",
    "VersionApproval",
    "VersionPlacement",
    "Role",
    "TypicalProcess",
    "User",
    "identifier_number",
    "normalize_identifier",
    "normalize_text",
    "organization_field",
]
