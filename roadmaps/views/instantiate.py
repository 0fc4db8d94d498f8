"""An authority's plan made from a typical (model) plan."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from portal.scoping import CHANGE
from portal.views.scoped import ScopedViewMixin
from registry.models import Organization
from roadmaps.forms import (
    InstantiateForm,
    LegalActForm,
)
from roadmaps.models import (
    LegalActKind,
    Roadmap,
)
from roadmaps.services import (
    templates,
)


class RoadmapInstantiateView(ScopedViewMixin, TemplateView):
    """The authority's own plan made from a typical one (services.templates.instantiate): its
    officer (or an administrator for any authority of the region) gives the unit, the dates
    and, if there is one already, the act that approves it."""

    template_name = "roadmaps/roadmap_instantiate.html"
    breadcrumb_object = "template"
    breadcrumb_title = "План органа по типовому плану"
    queryset = Roadmap.objects.filter(is_template=True)
    refusal = "План органа власти по типовому плану создает уполномоченное лицо этого органа."

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.template = self.scoped_object(pk=kwargs["pk"])
        self.authorities = templates.authorities_for(request.user, self.template)
        if not self.authorities.exists():
            return self.nothing_to_make(request)
        return super().dispatch(request, *args, **kwargs)

    def nothing_to_make(self, request):
        """A second submit, a stale tab: the plan is there already — say so and show it."""
        user = request.user
        own = (
            self.scoped(Roadmap, CHANGE).filter(template=self.template).first()
            if user.is_authorized_officer
            else None
        )
        if own is not None:
            messages.info(
                request,
                f"У органа «{own.owner.display_name}» уже есть план по этому типовому плану.",
            )
            return redirect("roadmaps:roadmap_detail", pk=own.pk)
        if user.is_administrator:
            messages.info(
                request, "У всех органов власти региона уже есть планы по этому типовому плану."
            )
            return redirect("roadmaps:roadmap_detail", pk=self.template.pk)
        raise PermissionDenied(self.refusal)

    def forms(self, data=None):
        today = timezone.localdate()
        units = Organization.objects.units().active_on(today).filter(authority__in=self.authorities)
        form = InstantiateForm(
            data,
            template=self.template,
            authorities=self.authorities,
            units=units.order_by("full_name"),
            addressees=templates.addressees(self.template),
        )
        act_form = LegalActForm(data, initial={"kind": LegalActKind.ORDER})
        return form, act_form

    def get(self, request, *args, **kwargs):
        form, act_form = self.forms()
        return self.render_to_response(self.get_context_data(form=form, act_form=act_form))

    def post(self, request, *args, **kwargs):
        form, act_form = self.forms(request.POST)
        with_act = bool(request.POST.get("act-number") or request.POST.get("act-date"))
        if form.is_valid() and (not with_act or act_form.is_valid()):
            try:
                roadmap = templates.instantiate_with_act(
                    self.template,
                    form.cleaned_data["authority"],
                    user=request.user,
                    unit=form.cleaned_data["unit"],
                    units=form.units(),
                    deadlines=form.deadlines(),
                    act_values=act_form.values() if with_act else None,
                )
            except ValidationError as refused:
                for message in refused.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    f"Создан план «{roadmap}»: пунктов — {roadmap.items.count()}. Пункты "
                    "связаны с типовым планом.",
                )
                return redirect("roadmaps:roadmap_detail", pk=roadmap.pk)
        context = self.get_context_data(form=form, act_form=act_form, show_act_errors=with_act)
        response = self.render_to_response(context)
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(template=self.template, **kwargs)
