"""No select of any page shows Django's «---------»: a filter's empty choice reads «— все —»,
a form's «— выберите —» (portal.widgets, the one place)."""

from __future__ import annotations

import django_filters
import pytest
from django import forms
from django.db import transaction
from django.urls import reverse

from portal.widgets import ALL_CHOICES, CHOOSE, DASHES, style_filters, style_widgets
from registry.models import Organization, Process
from tests.test_url_matrix import ENTRIES, ROLES, sides, url_name, user_of  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_no_page_of_the_url_matrix_shows_dashes(client, world, sides, role):  # noqa: F811
    user = user_of(world, role)
    if user:
        client.force_login(user)
    own = sides[0]
    pages, shown = 0, []
    for key, entries in sorted(ENTRIES.items()):
        for entry in entries:
            if entry.method != "get":
                continue
            url = reverse(url_name(key), kwargs=entry.kwargs(own) if entry.kwargs else None)
            savepoint = transaction.savepoint()
            try:
                response = client.get(url, entry.data(own) if entry.data else {})
            finally:
                transaction.savepoint_rollback(savepoint)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            if DASHES in response.content.decode():
                shown.append(url)
    assert pages > (2 if role == "anonymous" else 20)  # the walk reached the pages
    assert shown == [], f"«{DASHES}» на страницах: {shown}"


def test_the_process_list_filters_read_all(client, world):
    client.force_login(world.officer)
    page = client.get(reverse("registry:process_list")).content.decode()
    assert f'<option value="" selected>{ALL_CHOICES}</option>' in page


class Filters(django_filters.FilterSet):
    authority = django_filters.ModelChoiceFilter(queryset=Organization.objects.all())
    kind = django_filters.ChoiceFilter(choices=[("a", "А")], empty_label="все")
    plain = django_filters.BooleanFilter(widget=forms.Select(choices=[("", "x"), ("1", "да")]))

    class Meta:
        model = Process
        fields = ["authority", "kind", "plain"]


def test_every_empty_choice_of_a_filter_reads_all():
    form = Filters().form
    style_filters(form)
    assert form.fields["authority"].empty_label == ALL_CHOICES
    assert list(form.fields["kind"].choices)[0] == ("", ALL_CHOICES)
    assert form.fields["plain"].widget.choices[0] == ("", ALL_CHOICES)


class RowForm(forms.ModelForm):
    class Meta:
        model = Process
        fields = ["authority", "unit"]


def test_a_form_prompts_to_choose_and_keeps_its_own_empty_words():
    form = RowForm()
    form.fields["pick"] = forms.ChoiceField(choices=[("", DASHES), ("a", "А")])
    form.fields["own"] = forms.ChoiceField(choices=[("", "не указано"), ("a", "А")])
    style_widgets(form)
    assert form.fields["authority"].empty_label == CHOOSE
    assert list(form.fields["pick"].choices)[0] == ("", CHOOSE)
    assert list(form.fields["own"].choices)[0] == ("", "не указано")
    assert DASHES not in str(form)
