"""«Мои ключи API»: a user makes a token (its key shown once) and revokes his tokens; an
administrator sees and revokes every token (APIToken.scoping)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView, View

from portal.api import tokens
from portal.models import APIToken
from portal.scoping import CHANGE
from portal.views.scoped import ScopedViewMixin
from portal.widgets import style_widgets


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Назначение",
        max_length=200,
        required=False,
        help_text="Например, «Сайт органа власти: публикация реестра».",
    )
    expires_on = forms.DateField(
        label="Действует по (включительно)",
        # the browser's date picker reads and writes ISO dates only
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    writable = forms.BooleanField(
        label="Чтение и запись (иначе только чтение)",
        required=False,
        help_text="Запись — строки реестра и статусы мероприятий с вашими правами.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault(
            "expires_on", timezone.localdate() + timedelta(days=settings.API_TOKEN_DAYS)
        )
        style_widgets(self)

    def clean_expires_on(self):
        # The service checks the term; a day near date.max would overflow before it.
        day = self.cleaned_data["expires_on"]
        if day > timezone.localdate() + timedelta(days=settings.API_TOKEN_MAX_DAYS):
            raise ValidationError(tokens.too_long())
        return day

    def expires_at(self):
        day = self.cleaned_data["expires_on"] + timedelta(days=1)
        return timezone.make_aware(datetime.combine(day, time.min))


class TokenListView(ScopedViewMixin, TemplateView):
    model = APIToken
    template_name = "portal/api_tokens.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", TokenForm())
        context["tokens"] = self.get_queryset().select_related("user", "revoked_by")[:200]
        context["now"] = timezone.now()
        return context

    def post(self, request):
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token, key = tokens.create_token(
                    request.user,
                    name=form.cleaned_data["name"],
                    writable=form.cleaned_data["writable"],
                    expires_at=form.expires_at(),
                )
            except ValidationError as refused:
                form.add_error("expires_on", refused.messages)
            else:
                response = self.render_to_response(
                    self.get_context_data(new_key=key, new_token=token)
                )
                response["Cache-Control"] = "no-store"  # the key is on this page only
                return response
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response


class TokenRevokeView(ScopedViewMixin, View):
    model = APIToken
    scope_action = CHANGE

    def post(self, request, pk):
        token = tokens.revoke_token(self.scoped_object(pk=pk), request.user)
        messages.success(request, f"Ключ {token.prefix}… отозван: он больше не действует.")
        return redirect("portal:api_tokens")
