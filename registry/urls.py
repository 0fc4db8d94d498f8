from django.urls import path

from registry.views import autocomplete as ac
from registry.views import campaigns as c
from registry.views import imports as i
from registry.views import processes as p
from registry.views import proposals as pr
from registry.views import reengineering as re
from registry.views import versions as v

app_name = "registry"

urlpatterns = [
    path("processes/", p.ProcessListView.as_view(), name="process_list"),
    path("processes/add/", p.ProcessCreateView.as_view(), name="process_add"),
    path("processes/<int:pk>/", p.ProcessDetailView.as_view(), name="process_detail"),
    path("processes/<int:pk>/edit/", p.ProcessUpdateView.as_view(), name="process_edit"),
    path("processes/<int:pk>/exclude/", p.ProcessExcludeView.as_view(), name="process_exclude"),
    path("processes/<int:pk>/restore/", p.ProcessRestoreView.as_view(), name="process_restore"),
    path("processes/<int:pk>/history/", p.ProcessHistoryView.as_view(), name="process_history"),
    path(
        "processes/<int:pk>/history/<int:history_id>/restore/",
        p.ProcessRestoreStateView.as_view(),
        name="process_restore_state",
    ),
    path("link-targets/", p.LinkTargetsView.as_view(), name="link_targets"),
    # The registry list's filters: choices as one types (registry.filters.ChoiceAutocomplete).
    path(
        "choices/authorities/",
        ac.AuthorityChoicesView.as_view(),
        name="authority_autocomplete",
    ),
    path("choices/units/", ac.UnitChoicesView.as_view(), name="unit_autocomplete"),
    path(
        "choices/typical-processes/",
        ac.TypicalProcessChoicesView.as_view(),
        name="typical_process_autocomplete",
    ),
    path("import/", i.ImportUploadView.as_view(), name="import_upload"),
    path("import/<int:pk>/", i.ImportDetailView.as_view(), name="import_detail"),
    path("import/<int:pk>/confirm/", i.ImportConfirmView.as_view(), name="import_confirm"),
    path("import/<int:pk>/cancel/", i.ImportCancelView.as_view(), name="import_cancel"),
    path("versions/", v.VersionListView.as_view(), name="versions"),
    path("versions/publish/", v.PublishView.as_view(), name="publish"),
    path("versions/compare/", v.VersionCompareView.as_view(), name="version_compare"),
    path("versions/<int:pk>/xlsx/", v.VersionDownloadView.as_view(), name="version_xlsx"),
    path("versions/<int:pk>/record/", v.VersionRecordView.as_view(), name="version_record"),
    path("versions/act/<int:pk>/file/", v.VersionActFileView.as_view(), name="version_act_file"),
    path("proposals/", pr.ProposalListView.as_view(), name="proposal_list"),
    path("proposals/<int:pk>/", pr.ProposalDetailView.as_view(), name="proposal_detail"),
    path("proposals/<int:pk>/<str:action>/", pr.ProposalActionView.as_view(), name="proposal_act"),
    path("proposal-items/<int:pk>/<str:action>/", pr.ItemActionView.as_view(), name="item_act"),
    path("tasks/", pr.TaskListView.as_view(), name="tasks"),
    path("campaigns/", c.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/open/", c.CampaignOpenView.as_view(), name="campaign_open"),
    path("campaigns/<int:pk>/", c.CampaignDetailView.as_view(), name="campaign_detail"),
    path(
        "campaigns/<int:pk>/authorities/<int:authority_pk>/",
        c.CampaignAuthorityView.as_view(),
        name="campaign_authority",
    ),
    path("campaigns/<int:pk>/close/", c.CampaignCloseView.as_view(), name="campaign_close"),
    path(
        "campaign-answers/<int:pk>/no-changes/",
        c.NoChangesView.as_view(),
        name="campaign_no_changes",
    ),
    path("reengineering/", re.PlanView.as_view(), name="reengineering"),
    path("reengineering/<int:pk>/", re.PlanEntryView.as_view(), name="reengineering_entry"),
    path("coverage/", c.CoverageView.as_view(), name="coverage"),
    path("coverage/recompute/", c.CoverageRecomputeView.as_view(), name="coverage_recompute"),
]
