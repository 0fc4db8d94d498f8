from django.urls import path

from portal.views import accessibility, jobs, tokens

app_name = "portal"

urlpatterns = [
    path("jobs/", jobs.JobListView.as_view(), name="job_list"),
    path("jobs/<int:pk>/", jobs.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:pk>/status/", jobs.JobStatusView.as_view(), name="job_status"),
    path("jobs/<int:pk>/file/", jobs.JobFileView.as_view(), name="job_file"),
    path("api-tokens/", tokens.TokenListView.as_view(), name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", tokens.TokenRevokeView.as_view(), name="api_token_revoke"),
    path("low-vision/", accessibility.LowVisionView.as_view(), name="low_vision"),
]
