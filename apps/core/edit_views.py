from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from apps.core.forms import REFUSED, call_service
from apps.core.mixins import MunicipalityRequiredMixin
from apps.core.versioning import call_versioned


class ServiceFormView(FormView):
    """A page whose form is saved by one service call: the one `form_valid`.

    A subclass implements `call(form, data)` (the service call, `data` the
    cleaned data) and says where to go next (`get_success_url`, which may read
    `self.result`, what the service returned). A ValidationError of the service
    goes onto the form's fields (renamed by `rename` where the form names a
    field otherwise), a DomainError or ConcurrentEditError above the form; the
    form is shown again and nothing is saved. On success `success_message` (or
    `get_success_message(result)`) is shown on the next page."""

    success_message = ""
    rename: dict = {}
    result = None

    def call(self, form, data):
        raise NotImplementedError

    def get_success_message(self, result) -> str:
        return self.success_message

    def renamed(self, exc):
        """A service's error about a field the form names otherwise."""
        if not self.rename or not hasattr(exc, "error_dict"):
            return exc
        return ValidationError(
            {self.rename.get(key, key): value for key, value in exc.error_dict.items()}
        )

    def form_valid(self, form):
        result = call_service(form, lambda: self.call(form, form.cleaned_data), errors=self.renamed)
        if result is REFUSED:
            return self.form_invalid(form)
        self.result = result
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())


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


class DeclaredServiceCallMixin:
    """For a `ServiceFormView` whose `call` only passes the input on: the page
    names the `service` (a `staticmethod`), what it changes
    (`service_objects()`, e.g. `{"case": self.case}`), the form fields it takes
    under the same names (`service_fields`), the values the form works out
    (`service_values(form)`) and whether it takes the version read
    (`service_versioned`: then through `apps.core.versioning.call_versioned`).
    The acting user is the request's."""

    service = None
    service_fields: tuple[str, ...] = ()
    service_versioned = True

    def service_objects(self) -> dict:
        raise NotImplementedError

    def service_values(self, form) -> dict:
        return {}

    def call(self, form, data):
        actor, fields = self.request.user, self.service_fields
        kwargs = {**self.service_objects(), **self.service_values(form)}
        if self.service_versioned:
            return call_versioned(self.service, actor=actor, data=data, fields=fields, **kwargs)
        return self.service(actor=actor, **kwargs, **{name: data[name] for name in fields})
