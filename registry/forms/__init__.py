"""Forms of the registry. Labels are the typical form's column headers of the row's edition."""

from .campaigns import CampaignForm
from .imports import ImportUploadForm
from .links import ProcessLinkForm, ProcessLinkFormSet, foreign_links, link_initial
from .processes import ExcludeForm, ProcessForm
from .proposals import ProposalDetailsForm
from .public import PublicSearchForm
from .tasks import TaskFilterForm

__all__ = [
    "CampaignForm",
    "ExcludeForm",
    "ImportUploadForm",
    "ProcessForm",
    "ProcessLinkForm",
    "ProcessLinkFormSet",
    "ProposalDetailsForm",
    "TaskFilterForm",
    "PublicSearchForm",
    "foreign_links",
    "link_initial",
]
