from django.urls import path

from segmentation import views

app_name = "segmentation"

urlpatterns = [
    path("", views.ProfileListView.as_view(), name="profile_list"),
    path("profiles/add/", views.ProfileFormView.as_view(), name="profile_add"),
    path("profiles/<int:pk>/", views.ProfileDetailView.as_view(), name="profile_detail"),
    path("profiles/<int:pk>/edit/", views.ProfileFormView.as_view(), name="profile_edit"),
    path("touchpoints/", views.TouchpointListView.as_view(), name="touchpoint_list"),
    path("assessments/", views.AssessmentListView.as_view(), name="assessment_list"),
    path("touchpoints/add/", views.TouchpointCreateView.as_view(), name="touchpoint_add"),
    path("assessments/add/", views.AssessmentCreateView.as_view(), name="assessment_add"),
    path(
        "touchpoints/<int:pk>/edit/", views.TouchpointCreateView.as_view(), name="touchpoint_edit"
    ),
    path(
        "assessments/<int:pk>/edit/", views.AssessmentCreateView.as_view(), name="assessment_edit"
    ),
    path("<str:kind>/<int:pk>/archive/", views.ArchiveView.as_view(), name="archive"),
    path("profiles/report/", views.ProfileReportView.as_view(), name="profile_report"),
    path("touchpoints/report/", views.TouchpointReportView.as_view(), name="touchpoint_report"),
    path("assessments/report/", views.AssessmentReportView.as_view(), name="assessment_report"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("coverage/recompute/", views.CoverageRecomputeView.as_view(), name="coverage_recompute"),
]
