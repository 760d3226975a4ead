from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from apps.audit.models import AccessLogEntry
from apps.audit.selectors import LogFilters
from apps.core.forms import DateInput, StyledForm
from apps.intake.models import Resident
from apps.tenants.models import StaffMember


class StaffMemberChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj):
        label = obj.user.full_name or obj.user.email
        if not obj.is_active:
            label = _("%(name)s (geen toegang meer)") % {"name": label}
        return label


class LogFilterForm(StyledForm):
    """The filters of the log page. A resident is found by name or BSN
    (`resident_q`) and then picked (`resident`, carried in a hidden field)."""

    staff_member = StaffMemberChoiceField(
        label=_("Medewerker"),
        queryset=StaffMember.objects.none(),
        required=False,
        empty_label=_("alle medewerkers"),
    )
    resident_q = forms.CharField(
        label=_("Inwoner zoeken"),
        help_text=_("Naam of BSN; kies daarna de inwoner uit de lijst."),
        max_length=100,
        required=False,
    )
    resident = SafeModelChoiceField(
        queryset=Resident.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("Deze inwoner is niet gevonden; zoek de inwoner opnieuw.")
        },
    )
    action = forms.ChoiceField(
        label=_("Handeling"),
        choices=[("", _("alle handelingen")), *AccessLogEntry.Action.choices],
        required=False,
    )
    date_from = forms.DateField(label=_("Vanaf"), required=False, widget=DateInput())
    date_until = forms.DateField(label=_("Tot en met"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Everyone who has or had access to the municipality: the log keeps
        # what people did after their access ended.
        self.fields["staff_member"].queryset = StaffMember.objects.select_related("user").order_by(
            "user__full_name", "pk"
        )
        self.fields["resident"].queryset = Resident.objects.all()
        self.style_fields()

    def use_staff(self, staff: list[StaffMember]):
        """Show these (already loaded) people as the choices, so the page reads
        them once for the choices and for its links."""
        field = self.fields["staff_member"]
        field.choices = [("", field.empty_label)] + [
            (s.pk, field.label_from_instance(s)) for s in staff
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_until")
        if start and end and start > end:
            self.add_error("date_until", _("De einddatum ligt voor de begindatum."))
        return data

    def filters(self) -> LogFilters:
        data = self.cleaned_data
        return LogFilters(
            user_id=data["staff_member"].user_id if data.get("staff_member") else None,
            resident_id=data["resident"].pk if data.get("resident") else None,
            action=data.get("action") or "",
            date_from=data.get("date_from"),
            date_until=data.get("date_until"),
        )
