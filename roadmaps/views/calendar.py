"""The iCalendar feed of a user's measures and the reissue of its secret address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View

from portal.params import int_param
from portal.views.scoped import UnscopedViewMixin
from roadmaps.models import (
    CalendarFeedToken,
)
from roadmaps.services import (
    feeds,
    ical,
)


class CalendarReissueView(UnscopedViewMixin, LoginRequiredMixin, View):
    """ "Получить ссылку на календарь" (the first address) and "Выпустить новую ссылку": the
    old feed address stops working at once. Only by POST: the board's GET writes nothing."""

    unscoped_because = "issues the signed-in user's own feed token; shows no rows"

    def post(self, request):
        if feeds.existing_token(request.user) is None:
            feeds.token_for(request.user)
            messages.success(request, "Ссылка на календарь сроков готова.")
            return redirect(reverse("roadmaps:deadlines") + "#calendar")
        feeds.reissue(request.user)
        messages.success(
            request,
            "Выпущена новая ссылка на календарь сроков. Прежняя ссылка больше не работает: "
            "обновите подписку в календаре.",
        )
        return redirect(reverse("roadmaps:deadlines") + "#calendar")


class CalendarFeedView(UnscopedViewMixin, View):
    """The secret address is the credential: no session, no login."""

    unscoped_because = "the token's owner's feed; its events come from a scoped service"

    def get(self, request, token):
        feed = (
            CalendarFeedToken.objects.select_related("user")
            .filter(token=token, user__is_active=True)
            .first()
        )
        if feed is None:
            raise Http404("Нет такого календаря.")
        authority_id = int_param(request, "authority")
        text = ical.calendar(
            feeds.events(feed.user, authority_id), name="Сроки мероприятий дорожных карт"
        )
        response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="roadmaps.ics"'
        # The user's own deadlines: no shared cache keeps them; calendars ask again each time.
        response["Cache-Control"] = "private, no-cache"
        return response
