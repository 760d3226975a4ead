"""Serializers of the cases API. Relations are `ScopedPrimaryKeyRelatedField`s:
an id of another municipality "does not exist" (400), exactly like an unknown
id. The request serializers only read input; the services decide and write."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.cases.models import (
    Activity,
    ActivityNoteRevision,
    Assessment,
    AssessmentScore,
    Case,
    CaseJoin,
    CaseUserObjectPermission,
    DirectorChange,
    FollowUp,
    Goal,
    Solution,
    SupportPlan,
    TeamChange,
    WorkReassignment,
)
from apps.cases.services import MAX_FOLLOW_UPS
from apps.core.api import ScopedPrimaryKeyRelatedField
from apps.intake.api.serializers import (
    QuestionDescriptionRevisionSerializer,
    ResidentFoundSerializer,
)
from apps.intake.models import LifeDomain, Question
from apps.teams.models import Team
from apps.tenants.models import StaffMember

SCORE_MESSAGE = _("Een score is een heel getal van 1 tot en met 5.")


class VersionField(serializers.IntegerField):
    """The version the client read: a change based on an older one is refused
    with 409 (someone else changed it meanwhile)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "help_text",
            "The version you read. If someone changed it since, the request is refused "
            "with 409: read it again.",
        )
        super().__init__(**kwargs)


def staff_name(field="director"):
    return serializers.CharField(source=f"{field}.user.full_name", read_only=True)


# --- cases ---------------------------------------------------------------------------


class CaseListItemSerializer(serializers.ModelSerializer):
    """A case as the lists show it; its contents come from the case's own
    endpoint, whose read is logged."""

    resident = ResidentFoundSerializer(read_only=True)
    household = ScopedPrimaryKeyRelatedField(read_only=True)
    team = ScopedPrimaryKeyRelatedField(read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)
    director = ScopedPrimaryKeyRelatedField(read_only=True)
    director_name = staff_name()

    class Meta:
        model = Case
        fields = [
            "id",
            "title",
            "status",
            "resident",
            "household",
            "team",
            "team_name",
            "director",
            "director_name",
            "opened_on",
            "closed_on",
            "version",
        ]
        read_only_fields = fields


class DirectorChangeSerializer(serializers.ModelSerializer):
    from_director = ScopedPrimaryKeyRelatedField(read_only=True)
    to_director = ScopedPrimaryKeyRelatedField(read_only=True)
    to_director_name = staff_name("to_director")
    by = ScopedPrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = DirectorChange
        fields = ["id", "from_director", "to_director", "to_director_name", "by", "at", "reason"]
        read_only_fields = fields


class FollowUpSerializer(serializers.ModelSerializer):
    done_by = ScopedPrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "due_on", "done_on", "done_by", "outcome", "version"]
        read_only_fields = fields


class ShareSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.full_name", read_only=True)
    granted_by = ScopedPrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = CaseUserObjectPermission
        fields = ["id", "user_name", "granted_by", "granted_at", "reason"]
        read_only_fields = fields


class CaseDetailSerializer(CaseListItemSerializer):
    questions = ScopedPrimaryKeyRelatedField(many=True, read_only=True)
    director_changes = DirectorChangeSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)
    shares = ShareSerializer(
        source="user_grants", many=True, read_only=True, help_text="Who it is shared with."
    )
    updated_by = ScopedPrimaryKeyRelatedField(read_only=True)

    class Meta(CaseListItemSerializer.Meta):
        fields = [
            *CaseListItemSerializer.Meta.fields,
            "closure_note",
            "questions",
            "director_changes",
            "follow_ups",
            "shares",
            "created_at",
            "updated_at",
            "updated_by",
        ]
        read_only_fields = fields


class CaseWriteSerializer(serializers.Serializer):
    """POST: open a case from a question (you become its director). PATCH: change
    the title, or add another question of the household (`question`); `version`
    is required then."""

    question = ScopedPrimaryKeyRelatedField(
        model=Question,
        required=False,
        help_text="POST: the question the case starts from (required). PATCH: another "
        "question of the same household to add to the case.",
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    version = VersionField(required=False, help_text="Required on PATCH.")


class CaseHandOverSerializer(serializers.Serializer):
    to_director = ScopedPrimaryKeyRelatedField(
        model=StaffMember,
        filters={"is_active": True},
        help_text="A colleague of the case's team.",
    )
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    version = VersionField()


class CaseTransferSerializer(serializers.Serializer):
    to_team = ScopedPrimaryKeyRelatedField(
        model=Team,
        help_text="An active team of this municipality that runs cases (a case team or the loket).",
    )
    to_director = ScopedPrimaryKeyRelatedField(
        model=StaffMember,
        filters={"is_active": True},
        help_text="The new director: a colleague in the receiving team.",
    )
    reason = serializers.CharField(max_length=2000, help_text="Why the case moves (required).")
    version = VersionField()


class TeamChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamChange
        fields = ["id", "case", "from_team", "to_team", "from_director", "to_director", "by", "at"]
        fields += ["reason"]
        read_only_fields = fields


class WorkPreviewSerializer(serializers.Serializer):
    questions = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    cases = serializers.ListField(child=serializers.IntegerField(), read_only=True)


class WorkReassignSerializer(serializers.Serializer):
    """Input: every open question and case of `from_staff` in `team` to `to_staff`."""

    team = ScopedPrimaryKeyRelatedField(model=Team, help_text="A team you coordinate.")
    from_staff = ScopedPrimaryKeyRelatedField(
        model=StaffMember, help_text="The person whose open work moves (may have left)."
    )
    to_staff = ScopedPrimaryKeyRelatedField(
        model=StaffMember,
        filters={"is_active": True},
        help_text="A colleague in the same team who takes the work.",
    )
    reason = serializers.CharField(max_length=2000, help_text="Why the work moves (required).")
    # Required (an empty list when there is none): what moves is what was seen.
    questions = ScopedPrimaryKeyRelatedField(
        model=Question,
        many=True,
        allow_empty=True,
        help_text="The questions the preview showed (`GET /api/v1/teams/{team}/work/{staff}/`); "
        "when the work changed since, nothing moves.",
    )
    cases = ScopedPrimaryKeyRelatedField(
        model=Case,
        many=True,
        allow_empty=True,
        help_text="The cases the preview showed; when the work changed since, nothing moves.",
    )


class WorkReassignmentSerializer(serializers.ModelSerializer):
    """A recorded work reassignment, with what moved."""

    questions = serializers.SerializerMethodField()
    cases = serializers.SerializerMethodField()

    class Meta:
        model = WorkReassignment
        fields = ["id", "team", "from_staff", "to_staff", "by", "at", "reason"]
        fields += ["questions", "cases"]
        read_only_fields = fields

    def get_questions(self, obj) -> list[int]:
        return [item.question_id for item in obj.items.all() if item.question_id]

    def get_cases(self, obj) -> list[int]:
        return [item.case_id for item in obj.items.all() if item.case_id]


class CaseCloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000, help_text="How the case was concluded.")
    follow_up_dates = serializers.ListField(
        child=serializers.DateField(),
        required=False,
        default=list,
        max_length=MAX_FOLLOW_UPS,
        help_text="Check-ins after closing (borging), each after the closing date.",
    )
    closed_on = serializers.DateField(required=False, allow_null=True, default=None)
    version = VersionField()


class VersionOnlySerializer(serializers.Serializer):
    version = VersionField()


class CaseShareSerializer(serializers.Serializer):
    staff_member = ScopedPrimaryKeyRelatedField(model=StaffMember, filters={"is_active": True})
    reason = serializers.CharField(max_length=2000)


class CaseJoinSerializer(serializers.Serializer):
    staff_member = ScopedPrimaryKeyRelatedField(
        model=StaffMember,
        filters={"is_active": True},
        help_text="A shell partner (schilpartner) of the case's team.",
    )
    reason = serializers.CharField(max_length=2000, help_text="Why they join (required).")


class CaseJoinRevokeSerializer(serializers.Serializer):
    join = serializers.IntegerField(
        min_value=1, help_text="The id of the join (from `POST …/join/` or the case's joins)."
    )


class CaseJoinRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseJoin
        fields = [
            "id",
            "case",
            "staff_member",
            "asked_by",
            "asked_at",
            "reason",
            "revoked_at",
            "revoked_by",
        ]
        read_only_fields = fields


class CaseUnshareSerializer(serializers.Serializer):
    share = serializers.IntegerField(
        min_value=1, help_text="The id of the share (from the case's `shares`)."
    )


# --- activities ------------------------------------------------------------------------


class ActivityListItemSerializer(serializers.ModelSerializer):
    """An activity as a list shows it; the note comes from its own endpoint."""

    case = ScopedPrimaryKeyRelatedField(read_only=True)
    participants = ScopedPrimaryKeyRelatedField(many=True, read_only=True)
    recorded_by = ScopedPrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "case",
            "kind",
            "date",
            "participants",
            "is_joint",
            "joint_laws",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


class ActivityNoteRevisionSerializer(QuestionDescriptionRevisionSerializer):
    class Meta(QuestionDescriptionRevisionSerializer.Meta):
        model = ActivityNoteRevision


class ActivitySerializer(ActivityListItemSerializer):
    note_revisions = ActivityNoteRevisionSerializer(
        many=True,
        read_only=True,
        help_text="The earlier versions of the note, oldest first (empty: never corrected).",
    )

    class Meta(ActivityListItemSerializer.Meta):
        fields = [
            *ActivityListItemSerializer.Meta.fields,
            "other_participants",
            "note",
            "note_revisions",
            "version",
        ]
        read_only_fields = fields


class ActivityCorrectSerializer(serializers.Serializer):
    """Correct the note of an activity: its author or the case's director."""

    text = serializers.CharField(
        max_length=10_000, allow_blank=True, help_text="The corrected note (may be empty)."
    )
    reason = serializers.CharField(
        max_length=2000, help_text="Why it is corrected (kept with the earlier note)."
    )
    version = VersionField()


class ActivityCreateSerializer(serializers.Serializer):
    case = ScopedPrimaryKeyRelatedField(model=Case)
    kind = serializers.ChoiceField(choices=Activity.Kind.choices)
    date = serializers.DateField(help_text="Not in the future.")
    participants = ScopedPrimaryKeyRelatedField(
        model=StaffMember,
        filters={"is_active": True},
        many=True,
        required=False,
        default=list,
        help_text="Staff who took part. A home visit with a loket consultant and a team "
        "member is a joint home visit.",
    )
    other_participants = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")


# --- assessments (ZRM) -------------------------------------------------------------------


class ScoreSerializer(serializers.ModelSerializer):
    life_domain = ScopedPrimaryKeyRelatedField(read_only=True)
    life_domain_name = serializers.CharField(source="life_domain.name", read_only=True)

    class Meta:
        model = AssessmentScore
        fields = ["life_domain", "life_domain_name", "score"]
        read_only_fields = fields


class AssessmentListItemSerializer(serializers.ModelSerializer):
    case = ScopedPrimaryKeyRelatedField(read_only=True)
    assessed_by = ScopedPrimaryKeyRelatedField(read_only=True)
    scores = ScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "case", "assessed_on", "assessed_by", "scores", "created_at"]
        read_only_fields = fields


class AssessmentSerializer(AssessmentListItemSerializer):
    class Meta(AssessmentListItemSerializer.Meta):
        fields = [*AssessmentListItemSerializer.Meta.fields, "note"]
        read_only_fields = fields


class ScoreInputSerializer(serializers.Serializer):
    life_domain = ScopedPrimaryKeyRelatedField(model=LifeDomain, filters={"is_active": True})
    score = serializers.IntegerField(
        min_value=1,
        max_value=5,
        help_text="1 acute problems … 5 fully self-sufficient.",
        error_messages={
            "min_value": SCORE_MESSAGE,
            "max_value": SCORE_MESSAGE,
            "invalid": SCORE_MESSAGE,
        },
    )


def _row_messages(errors) -> list[str]:
    """{row index: {field: [messages]}} as "score N: message" lines."""
    lines = []
    for index, row in errors.items():
        if not row:
            continue
        messages = row.values() if isinstance(row, dict) else [row]
        for group in messages:
            for message in group if isinstance(group, list) else [group]:
                if not str(index).isdigit():  # about the list as a whole
                    lines.append(str(message))
                    continue
                lines.append(
                    _("Score %(number)s: %(message)s")
                    % {"number": int(index) + 1, "message": message}
                )
    return lines


class AssessmentCreateSerializer(serializers.Serializer):
    case = ScopedPrimaryKeyRelatedField(model=Case)
    assessed_on = serializers.DateField(help_text="Not in the future.")
    scores = ScoreInputSerializer(
        many=True,
        min_length=1,
        max_length=100,
        error_messages={
            "min_length": _("Geef voor minstens één leefgebied een score."),
            "max_length": _("Geef ten hoogste 100 scores."),
        },
        help_text="A score per life domain (at least one; each domain once).",
    )
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")

    def to_internal_value(self, data):
        # The errors of a score come as one list of messages under `scores`, like
        # every other field's (not nested per row and field).
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = exc.detail
            if isinstance(detail, dict) and not isinstance(detail.get("scores", []), list):
                detail["scores"] = _row_messages(detail["scores"])
            elif isinstance(detail, dict) and any(
                isinstance(e, dict) for e in detail.get("scores", [])
            ):
                detail["scores"] = _row_messages(dict(enumerate(detail["scores"])))
            raise serializers.ValidationError(detail) from exc

    def validate_scores(self, value):
        domains = [row["life_domain"].pk for row in value]
        if len(domains) != len(set(domains)):
            raise serializers.ValidationError(_("Geef per leefgebied één score."))
        return value


# --- support plans ---------------------------------------------------------------------


class SolutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Solution
        fields = ["id", "level", "description"]
        read_only_fields = fields


class GoalSerializer(serializers.ModelSerializer):
    life_domain = ScopedPrimaryKeyRelatedField(read_only=True)
    solutions = SolutionSerializer(
        many=True, read_only=True, help_text="In the order of preference (own strength first)."
    )

    class Meta:
        model = Goal
        fields = ["id", "life_domain", "description", "position", "solutions"]
        read_only_fields = fields


class PlanListItemSerializer(serializers.ModelSerializer):
    case = ScopedPrimaryKeyRelatedField(read_only=True)
    updated_by = ScopedPrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = SupportPlan
        fields = [
            "id",
            "case",
            "number",
            "status",
            "agreed_on",
            "updated_at",
            "updated_by",
            "version",
        ]
        read_only_fields = fields


class PlanSerializer(PlanListItemSerializer):
    goals = GoalSerializer(many=True, read_only=True)
    created_by = ScopedPrimaryKeyRelatedField(read_only=True)

    class Meta(PlanListItemSerializer.Meta):
        fields = [
            *PlanListItemSerializer.Meta.fields,
            "summary",
            "goals",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class PlanWriteSerializer(serializers.Serializer):
    """POST: start a draft plan for the case (or a new version of the agreed
    one; the draft there is, if any). PATCH: change the summary of the draft."""

    case = ScopedPrimaryKeyRelatedField(
        model=Case, required=False, help_text="POST only (required there)."
    )
    summary = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    version = VersionField(required=False, help_text="Required on PATCH.")


# A change of a support plan: the subclass's fields, then the version of the plan
# the client read (last, as the clients and the schema know it). No docstring:
# drf-spectacular would give it to every subclass's schema as its description.
class PlanChangeSerializer(serializers.Serializer):
    version = VersionField(help_text="The version of the plan you read.")

    def get_fields(self):
        fields = super().get_fields()
        fields["version"] = fields.pop("version")
        return fields


class GoalAddSerializer(PlanChangeSerializer):
    life_domain = ScopedPrimaryKeyRelatedField(model=LifeDomain, filters={"is_active": True})
    description = serializers.CharField(max_length=2000)


class GoalRemoveSerializer(PlanChangeSerializer):
    goal = ScopedPrimaryKeyRelatedField(model=Goal)


class SolutionAddSerializer(PlanChangeSerializer):
    goal = ScopedPrimaryKeyRelatedField(model=Goal)
    level = serializers.ChoiceField(choices=Solution.Level.choices)
    description = serializers.CharField(max_length=2000)


class SolutionRemoveSerializer(PlanChangeSerializer):
    solution = ScopedPrimaryKeyRelatedField(model=Solution)


class PlanAgreeSerializer(PlanChangeSerializer):
    agreed_on = serializers.DateField(help_text="The day the resident agreed; not in the future.")


class TeamEndSerializer(serializers.Serializer):
    """Input: end a team, handing its open work over (or refused while open)."""

    ended_on = serializers.DateField(help_text="The day the team stops: today or earlier.")
    reason = serializers.CharField(max_length=2000, help_text="Why the team stops (required).")
    successor = ScopedPrimaryKeyRelatedField(
        model=Team,
        required=False,
        allow_null=True,
        help_text="The active team that continues its work, if there is one.",
    )
    hand_over_to = ScopedPrimaryKeyRelatedField(
        model=Team,
        required=False,
        allow_null=True,
        help_text=(
            "The active team that takes its open questions and running cases (to its "
            "coordinator). Without it, ending is refused while any are open."
        ),
    )
    version = VersionField()


class TeamEndedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "is_active",
            "started_on",
            "ended_on",
            "successor",
            "end_reason",
            "ended_by",
            "version",
        ]
        read_only_fields = fields


class TeamOpenWorkSerializer(serializers.Serializer):
    """The open questions (outside a case) and running cases of a team (ids)."""

    questions = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    cases = serializers.ListField(child=serializers.IntegerField(), read_only=True)
