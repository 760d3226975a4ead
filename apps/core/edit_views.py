from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from apps.core.forms import REFUSED, call_service
from apps.core.mixins import MunicipalityRequiredMixin


class ScopedEditView(MunicipalityRequiredMixin, FormView):
    """Create (no pk in the URL) or change (pk) one municipality-owned object
    through a service. Subclasses set `model`, `form_class`, `success_url_name`,
    `title_new` and implement `save(form, instance)` calling the service."""

    model = None
    template_name = "core/edit_form.html"
    success_url_name: str = ""
    title_new = ""
    m2m_fields: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        if self.object is None and "pk" in self.kwargs:
            # The scoped manager only knows the active municipality's objects:
            # an id of another municipality is a 404.
            self.object = get_object_or_404(self.model.objects.all(), pk=self.kwargs["pk"])
        return self.object

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        instance = self.get_object()
        if instance is None:
            instance = self.model(municipality=self.request.municipality)
        kwargs["instance"] = instance
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.get_object()
        ctx["object"] = obj
        ctx["title"] = str(obj) if obj else self.title_new
        ctx["cancel_url"] = self.get_success_url()
        return ctx

    def get_success_url(self):
        return reverse(self.success_url_name)

    def save(self, form, instance):
        raise NotImplementedError

    def form_valid(self, form):
        instance = form.save(commit=False)
        if call_service(form, lambda: self.save(form, instance)) is REFUSED:
            return self.form_invalid(form)
        messages.success(self.request, _("Opgeslagen: %(name)s.") % {"name": instance})
        return HttpResponseRedirect(self.get_success_url())
