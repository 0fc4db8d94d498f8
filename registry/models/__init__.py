from .accounts import Role, User
from .catalogue import (
    CatalogueEdition,
    PlacementPoint,
    ProcessGroup,
    ProcessKind,
    ReengineeringStatus,
    RegistryColumn,
    TypicalProcess,
)
from .organizations import Level, Organization, OrganizationAlias, OrganizationKind
from .processes import (
    LifeSituation,
    LinkType,
    Process,
    ProcessLink,
    normalize_identifier,
    normalize_text,
)

__all__ = [
    "CatalogueEdition",
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
    "ReengineeringStatus",
    "RegistryColumn",
    "Role",
    "TypicalProcess",
    "User",
    "normalize_identifier",
    "normalize_text",
]
