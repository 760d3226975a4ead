"""The building blocks of the pages about one case, for the cases app's pages
and those of the apps above it (the voorwerk pages of decisions): the case of
the URL (404 unless visible, 403 without work on it), an object of a case,
and a form on a case saved through a service."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from apps.access import rules
from apps.cases import selectors
from apps.cases.models import Case
from apps.core.edit_views import DeclaredServiceCallMixin, ServiceFormView
from apps.core.mixins import MunicipalityRequiredMixin
from apps.intake.services import staff_member_of
from apps.tenants.permissions import Action


def worker_flags(user, case) -> dict:
    """What the user may do on the case page (the services check it again)."""
    municipality = case.municipality
    worker = rules.is_case_worker(user, case)
    staff = staff_member_of(user, municipality)
    records = worker or rules.is_linked_consultant(user, case)
    steer = worker and (
        (staff is not None and case.director_id == staff.pk)
        or rules.is_coordinator_of(user, case.team)
    )
    return {"may_work": worker, "may_steer": steer, "may_record": records, "staff": staff}


class CaseMixin(MunicipalityRequiredMixin):
    """Loads the case of the URL: 404 unless the user may see it. With
    `work = True` the user must also work on it (403)."""

    model = Case
    required_action = Action.CASE_VIEW
    work = False
    case_kwarg = "pk"

    def case_queryset(self):
        return selectors.visible_cases(self.request.user, self.request.municipality)

    @cached_property
    def case(self):
        case = get_object_or_404(
            self.case_queryset().select_related("household", "resident", "team", "director__user"),
            pk=self.kwargs[self.case_kwarg],
        )
        if self.work and not self.may_work_on(case):
            raise PermissionDenied(_("U werkt niet aan deze casus."))
        return case

    # The team's linked loket consultant records activities (a joint home visit),
    # nothing else.
    linked_consultant_may = False

    def may_work_on(self, case) -> bool:
        user = self.request.user
        return rules.is_case_worker(user, case) or (
            self.linked_consultant_may and rules.is_linked_consultant(user, case)
        )

    def before_handler(self, request):
        self.case  # noqa: B018 (404/403 before anything else)
        return super().before_handler(request)

    def case_url(self):
        return reverse("cases:detail", args=[self.case.pk])


class CaseChildMixin(CaseMixin):
    """A page about an object of a case (a plan, goal, solution, follow-up,
    proposal): 404 when the object does not exist here or its case is not
    visible."""

    child_path = "case"

    def child_queryset(self):
        # The object with those on its way to the case (a goal's plan): one query.
        via = self.child_path.rpartition("__")[0]
        return self.model.objects.select_related(via) if via else self.model.objects.all()

    @cached_property
    def obj(self):
        return get_object_or_404(self.child_queryset(), pk=self.kwargs["pk"])

    @cached_property
    def case(self):
        obj = self.obj
        case_id = obj
        for part in self.child_path.split("__"):
            case_id = getattr(case_id, part)
        case = get_object_or_404(
            self.case_queryset().select_related("household", "resident", "team", "director__user"),
            pk=case_id.pk,
        )
        if self.work and not self.may_work_on(case):
            raise PermissionDenied(_("U werkt niet aan deze casus."))
        return case

    def before_handler(self, request):
        self.obj  # noqa: B018
        return super().before_handler(request)


class CaseFormPageMixin(DeclaredServiceCallMixin):
    """What the form pages about a case share: `cases/case_form.html` with the
    case, a title and the way back (`return_url()`, also where a saved form
    goes), saved through a service (`DeclaredServiceCallMixin`, or a `call` of
    its own); a GET shows the form on its own page."""

    required_action = Action.CASE_WORK
    work = True
    template_name = "cases/case_form.html"
    title = ""
    success_message = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            case=self.case, title=self.get_title(), cancel_url=self.return_url(), **kwargs
        )

    def get_title(self):
        return self.title % {"case": self.case}

    def return_url(self):
        return self.case_url()

    def get_success_url(self):
        return self.return_url()


class CaseFormView(CaseFormPageMixin, CaseMixin, ServiceFormView):
    """A form on a case, saved through a service, with the case's version."""

    def service_objects(self) -> dict:
        return {"case": self.case}

    def get_initial(self):
        initial = super().get_initial()
        initial["version"] = self.case.version
        return initial


class CaseChildFormView(CaseFormPageMixin, CaseChildMixin, ServiceFormView):
    """A form on an object of a case (a follow-up, a plan, a goal…), saved
    through a service that takes the object as `service_object`."""

    service_object = ""

    def service_objects(self) -> dict:
        return {self.service_object: self.obj}
