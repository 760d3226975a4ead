"""The agenda API: planned appointments. Thin, like the pages: who sees an
appointment is who sees its case or question (another one is 404), the services
decide and write. What the OpenAPI schema says is in `apps.agenda.api.schema`."""

from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from apps.access import rules
from apps.agenda import selectors, services
from apps.agenda.api.serializers import (
    AppointmentCancelSerializer,
    AppointmentFilterSerializer,
    AppointmentRecordSerializer,
    AppointmentSerializer,
    AppointmentWriteSerializer,
)
from apps.agenda.models import Appointment
from apps.core.api import logged_object_response, logged_page_response, municipality_of
from apps.core.pagination import CursorPagination
from apps.core.versioning import call_versioned
from apps.intake.services import staff_member_of
from apps.tenants.permissions import Action, has_action


class AppointmentPagination(CursorPagination):
    ordering = ("starts_at", "id")


def appointment_resident(appointment):
    return appointment.subject.resident


class AppointmentViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Appointments (afspraken): kitchen-table talks, home visits and meetings
    planned on a case or a question. You see those of the cases and questions
    you see; another one, of this municipality or another, is 404. Planning,
    rescheduling, cancelling and recording need work on the case (`case.work`)
    or the question (`question.handle`); the service checks the object."""

    read_action = Action.START_VIEW
    write_action = Action.START_VIEW  # the service checks case.work / question.handle
    serializer_class = AppointmentWriteSerializer
    filter_serializer_class = AppointmentFilterSerializer
    filter_backends = []
    pagination_class = AppointmentPagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # A write needs a role that plans appointments at all (403 for any id);
        # the service checks the case or question.
        if request.method not in ("GET", "HEAD", "OPTIONS") and not (
            has_action(request.user, municipality_of(request), Action.CASE_WORK)
            or has_action(request.user, municipality_of(request), Action.QUESTION_HANDLE)
        ):
            raise PermissionDenied(_("U plant geen afspraken."))

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no scope
            return Appointment.objects.none()
        return selectors.with_details(Appointment.objects.all())

    def get_serializer_class(self):
        if self.action in ("list", "retrieve"):
            return AppointmentSerializer
        return super().get_serializer_class()

    def get_object(self):
        appointment = super().get_object()  # of another municipality: 404
        if not rules.can_see_appointment(self.request.user, appointment):
            raise NotFound()
        return appointment

    def validated(self):
        serializer = self.get_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _detail(self, appointment, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=appointment.pk)
        return Response(AppointmentSerializer(fresh).data, status=code)

    def list(self, request):
        params = AppointmentFilterSerializer(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        municipality = municipality_of(request)
        qs = selectors.with_details(selectors.visible_appointments(request.user, municipality))
        if data.get("case") is not None:
            qs = qs.filter(case=data["case"])
        if data.get("question") is not None:
            qs = qs.filter(question=data["question"])
        if data.get("mine"):
            staff = staff_member_of(request.user, municipality)
            qs = qs.filter(pk__in=Appointment.objects.filter(selectors.mine(staff)).values("pk"))
        if data.get("from") is not None:
            qs = qs.filter(ends_at__gte=data["from"])
        if data.get("to") is not None:
            qs = qs.filter(starts_at__lt=data["to"])
        return logged_page_response(
            self,
            qs,
            AppointmentSerializer,
            _("lijst van afspraken"),
            resident_of=lambda a: (a.case or a.question).resident_id,
        )

    def retrieve(self, request, pk=None):
        return logged_object_response(self, AppointmentSerializer, resident_of=appointment_resident)

    def create(self, request):
        data = self.validated()
        required = {
            name: [_("Dit veld is vereist.")]
            for name in ("kind", "starts_at", "ends_at")
            if data.get(name) is None
        }
        if not data.get("case") and not data.get("question"):
            required["case"] = [_("Kies een casus of een vraag.")]
        if required:
            raise serializers.ValidationError(required)
        # A case one may not see does not exist for the caller (as on the case pages).
        if data.get("case") and not rules.can_view_case(request.user, data["case"]):
            raise NotFound()
        appointment = services.appointment_plan(
            actor=request.user,
            case=data.get("case"),
            question=data.get("question"),
            kind=data["kind"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data.get("place", ""),
            participants=data.get("participants", []),
            other_participants=data.get("other_participants", ""),
        )
        return self._detail(appointment, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        appointment = self.get_object()
        data = self.validated()
        if data.get("version") is None:
            raise serializers.ValidationError(
                {"version": [_("Geef de versie mee die u heeft gelezen (veld version).")]}
            )
        if "case" in data and data["case"] != appointment.case:
            raise serializers.ValidationError(
                {"case": [_("Een afspraak hoort bij één casus; die verandert niet.")]}
            )
        appointment = services.appointment_update(
            actor=request.user,
            appointment=appointment,
            kind=data.get("kind"),
            question=data.get("question"),
            starts_at=data.get("starts_at", appointment.starts_at),
            ends_at=data.get("ends_at", appointment.ends_at),
            place=data.get("place", appointment.place),
            participants=data.get("participants"),
            other_participants=data.get("other_participants", appointment.other_participants),
            expected_version=data["version"],
        )
        return self._detail(appointment)

    def changed(self, service, *fields):
        appointment = self.get_object()
        data = self.validated()
        appointment = call_versioned(
            service, actor=self.request.user, data=data, fields=fields, appointment=appointment
        )
        return self._detail(appointment)

    @action(detail=True, methods=["post"], serializer_class=AppointmentCancelSerializer)
    def cancel(self, request, pk=None):
        return self.changed(services.appointment_cancel, "reason")

    @action(detail=True, methods=["post"], serializer_class=AppointmentRecordSerializer)
    def record(self, request, pk=None):
        return self.changed(services.appointment_record_held, "note")
