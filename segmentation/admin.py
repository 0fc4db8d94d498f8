"""«Справочники» of the survey kit: the tags of free-text answers and the question templates
per process group (reference data, loaded by migration 0008; coordinators and administrators
edit them, nobody deletes)."""

from django.contrib import admin

from portal.admin_access import RoleGatedMixin
from segmentation.models import AnswerTag, SurveyTemplate


class SurveyReferenceAdmin(RoleGatedMixin, admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False  # answers keep their tags; nothing is hard-deleted


@admin.register(AnswerTag)
class AnswerTagAdmin(SurveyReferenceAdmin):
    list_display = ("order", "name")


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(SurveyReferenceAdmin):
    list_display = ("group_code", "order", "title", "free_text_question")
    list_filter = ("group_code",)
