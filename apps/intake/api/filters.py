"""The query parameters of the question list: the inbox filters of the pages,
with the names of the inbox's filter form, turned into `selectors.InboxFilters`
by the same `InboxFilters.from_data` so that the API filters exactly as the
inbox does (`selectors.inbox_questions`)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.core.api import ScopedPrimaryKeyRelatedField
from apps.intake import selectors
from apps.intake.api.serializers import SearchTermField
from apps.intake.models import Channel
from apps.teams.models import Area, Law, Team

STATUS_CHOICES = [
    ("open", "open: new and in progress"),
    ("new", "new (not yet taken)"),
    ("in_progress", "in progress"),
    ("closed", "closed"),
    ("all", "all"),
]


def _optional_id(model, help_text: str, unknown: str) -> ScopedPrimaryKeyRelatedField:
    """An optional filter on an object of the municipality, by id; an id of
    nothing here (or of another municipality) is refused with `unknown`."""
    return ScopedPrimaryKeyRelatedField(
        model=model,
        required=False,
        help_text=help_text,
        error_messages={"does_not_exist": unknown},
    )


class QuestionFilterSerializer(serializers.Serializer):
    team = _optional_id(
        Team,
        "Only the questions now at this team.",
        _("Er is in deze gemeente geen team met dit id."),
    )
    status = serializers.ChoiceField(
        choices=STATUS_CHOICES,
        default="open",
        help_text="Default `open`. New questions come first, then those in progress (then "
        "closed ones); within each, the oldest first.",
    )
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    law = serializers.ChoiceField(choices=Law.choices, required=False)
    area = _optional_id(
        Area,
        "The resident's area when the question came in.",
        _("Er is in deze gemeente geen gebied met dit id."),
    )
    youth = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Only youth (true) or adults."
    )
    received_from = serializers.DateField(required=False, help_text="Received on or after.")
    received_until = serializers.DateField(required=False, help_text="Received on or before.")
    q = SearchTermField(
        help_text="The start of the resident's surname or of a first name ('Berg' finds "
        "'van den Berg'), or a full BSN. A search is recorded in the access log."
    )
    cursor = serializers.CharField(
        required=False, help_text="From the `next` link of the previous page."
    )
    page_size = serializers.IntegerField(
        min_value=1, max_value=100, default=selectors.PAGE_SIZE, help_text="At most 100."
    )

    def validate_cursor(self, value):
        if value and selectors.decode_cursor(value) is None:
            raise serializers.ValidationError(_("Deze cursor is ongeldig."))
        return value

    def validate(self, attrs):
        start, end = attrs.get("received_from"), attrs.get("received_until")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"received_until": [_("De einddatum ligt voor de begindatum.")]}
            )
        return attrs
