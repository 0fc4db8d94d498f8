from django.urls import path

from registry import views

app_name = "registry"

urlpatterns = [
    path("processes/", views.ProcessListView.as_view(), name="process_list"),
    path("processes/add/", views.ProcessCreateView.as_view(), name="process_add"),
    path("processes/<int:pk>/", views.ProcessDetailView.as_view(), name="process_detail"),
    path("processes/<int:pk>/edit/", views.ProcessUpdateView.as_view(), name="process_edit"),
    path("processes/<int:pk>/exclude/", views.ProcessExcludeView.as_view(), name="process_exclude"),
    path("processes/<int:pk>/restore/", views.ProcessRestoreView.as_view(), name="process_restore"),
    path("processes/<int:pk>/history/", views.ProcessHistoryView.as_view(), name="process_history"),
    path(
        "processes/<int:pk>/history/<int:history_id>/restore/",
        views.ProcessRestoreStateView.as_view(),
        name="process_restore_state",
    ),
    path("versions/", views.VersionListView.as_view(), name="versions"),
    path("versions/publish/", views.PublishView.as_view(), name="publish"),
    path("versions/compare/", views.VersionCompareView.as_view(), name="version_compare"),
    path("versions/<int:pk>/xlsx/", views.VersionDownloadView.as_view(), name="version_xlsx"),
    path("link-targets/", views.LinkTargetsView.as_view(), name="link_targets"),
    path("import/", views.ImportUploadView.as_view(), name="import_upload"),
    path("import/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("import/<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="import_confirm"),
    path("import/<int:pk>/cancel/", views.ImportCancelView.as_view(), name="import_cancel"),
]
