"""A user's jobs: the list, one job's page with its progress, the status its page polls and
the result file. Only the user who asked reaches any of them (Job.scoping: Reach.SELF);
everyone else gets a 404, as for any row out of reach."""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, ListView

from portal.downloads import stored_file_response
from portal.models import Job, JobState
from portal.views.scoped import ScopedViewMixin

FILE_MISSING = "Файл задания не найден в хранилище: запустите задание еще раз."


def job_status(job: Job) -> dict:
    """What the job's page shows, as its script reads it (static/portal/portal.js)."""
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": job.get_state_display(),
        "finished": job.finished,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "progress_text": job.progress_text,
        "summary": job.summary,
        "message": job.message if job.state == JobState.FAILED else "",
        "file_name": job.result_name if job.has_file else "",
        "download_url": reverse("portal:job_file", args=[job.pk]) if job.has_file else "",
    }


class JobListView(ScopedViewMixin, ListView):
    model = Job
    template_name = "portal/job_list.html"
    context_object_name = "jobs"
    paginate_by = 50


class JobDetailView(ScopedViewMixin, DetailView):
    model = Job
    template_name = "portal/job_detail.html"
    context_object_name = "job"


class JobStatusView(ScopedViewMixin, View):
    model = Job

    def get(self, request, pk):
        response = JsonResponse(job_status(self.scoped_object(pk=pk)))
        response["Cache-Control"] = "no-store"
        return response


class JobFileView(ScopedViewMixin, View):
    queryset = Job.objects.filter(state=JobState.DONE, purged_at__isnull=True).exclude(result="")

    def get(self, request, pk):
        job = self.scoped_object(pk=pk)
        return stored_file_response(job.result, job.result_name, job.result_type, FILE_MISSING)
