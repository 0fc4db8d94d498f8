from django.urls import path

from segmentation import survey_views, views

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
    # Surveys (issue 16); the public page of each is /s/<code>/ (config/urls.py)
    path("surveys/", survey_views.SurveyListView.as_view(), name="survey_list"),
    path("surveys/add/", survey_views.SurveyFormView.as_view(), name="survey_add"),
    path("surveys/overview/", survey_views.SurveyOverviewView.as_view(), name="survey_overview"),
    path("surveys/<int:pk>/", survey_views.SurveyDetailView.as_view(), name="survey_detail"),
    path("surveys/<int:pk>/edit/", survey_views.SurveyFormView.as_view(), name="survey_edit"),
    path("surveys/<int:pk>/print/", survey_views.SurveyPrintView.as_view(), name="survey_print"),
    path(
        "surveys/<int:pk>/assessment/",
        survey_views.AssessView.as_view(),
        {"kind": "survey"},
        name="survey_assess",
    ),
    path(
        "surveys/groups/<int:pk>/",
        survey_views.GroupResultsView.as_view(),
        name="survey_group_results",
    ),
    path(
        "surveys/groups/<int:pk>/assessment/",
        survey_views.AssessView.as_view(),
        {"kind": "group"},
        name="survey_group_assess",
    ),
    path("surveys/answers/<int:pk>/tag/", survey_views.AnswerTagView.as_view(), name="survey_tag"),
]
