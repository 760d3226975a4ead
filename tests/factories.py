"""factory_boy factories for every municipality-owned model.

`FACTORIES` maps each scoped model to its factory; the cross-municipality URL
test uses it to create one object of every kind in another municipality, and a
test fails when a new scoped model has no factory here."""

import itertools
from contextlib import contextmanager, nullcontext
from datetime import timedelta
from unittest import mock

import factory
import time_machine
from django.db import connection
from django.utils import timezone
from django_scopes import scope

from apps.accounts.models import User
from apps.audit.models import AccessLogEntry, AccessLogResident
from apps.cases.models import (
    Activity,
    Assessment,
    AssessmentScore,
    Case,
    DirectorChange,
    FollowUp,
    Goal,
    Solution,
    SupportPlan,
    TeamChange,
    WorkReassignment,
    WorkReassignmentItem,
)
from apps.decisions.models import (
    DeadlineChange,
    Decision,
    DecisionLetter,
    Proposal,
    Provision,
    ProvisionType,
    Unit,
)
from apps.intake.models import (
    Channel,
    Destination,
    Household,
    IntakeSettings,
    LifeDomain,
    Question,
    QuestionForward,
    Resident,
    TriageRule,
)
from apps.reporting.models import Report, ReportSettings
from apps.teams.models import Area, Membership, Organisation, Team
from apps.tenants.models import ApiToken, Municipality, RoleChange, StaffMember
from apps.tenants.tokens import hash_key

_cbs = itertools.count(1000)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    cbs_code = factory.LazyFunction(lambda: f"GM{next(_cbs):04d}")


# The password of every user the factory makes (re-authentication tests type it).
TEST_PASSWORD = "a-Long-test-passw0rd"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Persoon {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    municipality = factory.SubFactory(MunicipalityFactory)
    user = factory.SubFactory(UserFactory)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Kern {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = Organisation.Kind.MOTHER


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Kernteam {n}")
    kind = Team.Kind.KERNTEAM


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    municipality = factory.SubFactory(MunicipalityFactory)
    staff_member = factory.SubFactory(
        StaffMemberFactory, municipality=factory.SelfAttribute("..municipality")
    )
    team = factory.SubFactory(TeamFactory, municipality=factory.SelfAttribute("..municipality"))
    function = Membership.Function.TEAM_MEMBER
    hours_per_week = 24


class ApiTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiToken

    class Params:
        key = factory.Sequence(lambda n: f"tgp_test-key-{n}")

    municipality = factory.SubFactory(MunicipalityFactory)
    staff_member = factory.SubFactory(
        StaffMemberFactory, municipality=factory.SelfAttribute("..municipality")
    )
    name = "integratie"
    prefix = factory.LazyAttribute(lambda o: o.key[:10])
    key_hash = factory.LazyAttribute(lambda o: hash_key(o.key))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class LifeDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeDomain

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Leefgebied {n}")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Huishouden {n}")


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    municipality = factory.SubFactory(MunicipalityFactory)
    first_names = "Jan"
    surname = factory.Sequence(lambda n: f"Jansen{n}")


class IntakeSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntakeSettings
        django_get_or_create = ("municipality",)

    municipality = factory.SubFactory(MunicipalityFactory)


class TriageRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TriageRule

    municipality = factory.SubFactory(MunicipalityFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Regel {n}")
    destination = Destination.LOKET


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    municipality = factory.SubFactory(MunicipalityFactory)
    resident = factory.SubFactory(
        ResidentFactory, municipality=factory.SelfAttribute("..municipality")
    )
    channel = Channel.TELEPHONE
    received_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    received_by = factory.SubFactory(
        StaffMemberFactory, municipality=factory.SelfAttribute("..municipality")
    )
    team = factory.SubFactory(TeamFactory, municipality=factory.SelfAttribute("..municipality"))
    description = "Hulp in het huishouden gevraagd."


class QuestionForwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionForward

    municipality = factory.SubFactory(MunicipalityFactory)
    question = factory.SubFactory(
        QuestionFactory, municipality=factory.SelfAttribute("..municipality")
    )
    from_team = factory.SelfAttribute("question.team")
    to_team = factory.SubFactory(TeamFactory, municipality=factory.SelfAttribute("..municipality"))
    by = factory.SelfAttribute("question.received_by")
    reason = "Hoort bij het andere team."


class AccessLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessLogEntry

    municipality = factory.SubFactory(MunicipalityFactory)
    action = AccessLogEntry.Action.VIEW
    object_type = "intake.resident"


def _same(name="municipality"):
    return factory.SelfAttribute(f"..{name}")


class AccessLogResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessLogResident

    municipality = factory.SubFactory(MunicipalityFactory)
    entry = factory.SubFactory(AccessLogEntryFactory, municipality=_same())
    resident = factory.SubFactory(ResidentFactory, municipality=_same())


class CaseFactory(factory.django.DjangoModelFactory):
    """A case of a household (a resident with a household of their own), run by
    a kernteam with its director."""

    class Meta:
        model = Case

    municipality = factory.SubFactory(MunicipalityFactory)
    household = factory.SubFactory(HouseholdFactory, municipality=_same())
    resident = factory.SubFactory(
        ResidentFactory,
        municipality=_same(),
        household=factory.SelfAttribute("..household"),
        household_relation="applicant",
    )
    team = factory.SubFactory(TeamFactory, municipality=_same())
    director = factory.SubFactory(StaffMemberFactory, municipality=_same())
    created_by = factory.SelfAttribute("director")
    title = factory.Sequence(lambda n: f"Casus {n}")


class DirectorChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DirectorChange

    municipality = factory.SubFactory(MunicipalityFactory)
    case = factory.SubFactory(CaseFactory, municipality=_same())
    to_director = factory.SelfAttribute("case.director")
    by = factory.SelfAttribute("case.director")
    reason = "Overdracht"


class TeamChangeFactory(factory.django.DjangoModelFactory):
    """A recorded move of a case to another team (the case itself is not moved:
    the history row only, for the walks)."""

    class Meta:
        model = TeamChange

    municipality = factory.SubFactory(MunicipalityFactory)
    case = factory.SubFactory(CaseFactory, municipality=_same())
    from_team = factory.SelfAttribute("case.team")
    to_team = factory.SubFactory(TeamFactory, municipality=_same())
    from_director = factory.SelfAttribute("case.director")
    to_director = factory.SelfAttribute("case.director")
    by = factory.SelfAttribute("case.director")
    reason = "Verhuisd"


class WorkReassignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkReassignment

    municipality = factory.SubFactory(MunicipalityFactory)
    team = factory.SubFactory(TeamFactory, municipality=_same())
    from_staff = factory.SubFactory(StaffMemberFactory, municipality=_same())
    to_staff = factory.SubFactory(StaffMemberFactory, municipality=_same())
    by = factory.SelfAttribute("to_staff")
    reason = "Vertrekt"


class WorkReassignmentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkReassignmentItem

    municipality = factory.SubFactory(MunicipalityFactory)
    reassignment = factory.SubFactory(WorkReassignmentFactory, municipality=_same())
    case = factory.SubFactory(CaseFactory, municipality=_same())

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # An item is a question or a case, never both (a check constraint): given
        # both (the walks fill every relation), keep the case.
        if kwargs.get("question") is not None and kwargs.get("case") is not None:
            kwargs["question"] = None
        return kwargs


class RoleChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleChange

    municipality = factory.SubFactory(MunicipalityFactory)
    staff_member = factory.SubFactory(StaffMemberFactory, municipality=_same())
    kind = RoleChange.Kind.ACCESS
    changes = factory.LazyFunction(lambda: {"is_policy_advisor": [False, True]})


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    municipality = factory.SubFactory(MunicipalityFactory)
    case = factory.SubFactory(CaseFactory, municipality=_same())
    kind = Activity.Kind.CONTACT
    date = factory.LazyFunction(timezone.localdate)
    note = "Gebeld met de inwoner."
    recorded_by = factory.SelfAttribute("case.director")


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    municipality = factory.SubFactory(MunicipalityFactory)
    case = factory.SubFactory(CaseFactory, municipality=_same())
    assessed_on = factory.LazyFunction(timezone.localdate)
    assessed_by = factory.SelfAttribute("case.director")
    note = "Eerste meting"


class AssessmentScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentScore

    municipality = factory.SubFactory(MunicipalityFactory)
    assessment = factory.SubFactory(AssessmentFactory, municipality=_same())
    life_domain = factory.SubFactory(LifeDomainFactory, municipality=_same())
    score = 3


class SupportPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportPlan

    municipality = factory.SubFactory(MunicipalityFactory)
    case = factory.SubFactory(CaseFactory, municipality=_same())
    number = factory.Sequence(lambda n: n + 1)
    summary = "Samen met de inwoner opgesteld."
    created_by = factory.SelfAttribute("case.director")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    municipality = factory.SubFactory(MunicipalityFactory)
    plan = factory.SubFactory(SupportPlanFactory, municipality=_same())
    life_domain = factory.SubFactory(LifeDomainFactory, municipality=_same())
    description = "Het huishouden draait weer."


class SolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Solution

    municipality = factory.SubFactory(MunicipalityFactory)
    goal = factory.SubFactory(GoalFactory, municipality=_same())
    level = Solution.Level.NETWORK
    description = "De dochter helpt met boodschappen."


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    municipality = factory.SubFactory(MunicipalityFactory)
    case = factory.SubFactory(CaseFactory, municipality=_same())
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=6))


class ProvisionTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProvisionType

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Hulp bij het huishouden {n}")
    law = "wmo"
    legal_basis = "artikel 2.3.5 Wmo 2015"
    unit = Unit.HOURS_PER_WEEK
    end_date_required = True
    default_duration_weeks = 52


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    case = factory.SubFactory(CaseFactory, municipality=_same())
    resident = factory.SelfAttribute("case.resident")
    provision_type = factory.SubFactory(ProvisionTypeFactory, municipality=_same())
    volume = 3
    unit = Unit.HOURS_PER_WEEK
    frequency = "per_week"
    start_date = factory.LazyFunction(timezone.localdate)
    end_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=52))
    motivation = "De inwoner kan het huishouden niet meer zelf doen."
    drafted_by = factory.SelfAttribute("case.director")
    # #21 part 1: a grant needs a form of delivery; a pgb needs no provider.
    delivery_form = "pgb"
    budget_amount = 250
    budget_period = "per_month"

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # Given a provider (the walks fill every relation): zorg in natura by it.
        if kwargs.get("provider") is not None:
            kwargs.update(delivery_form="zin", budget_amount=None, budget_period="")
        return kwargs

    @factory.post_generation
    def contracted(self, create, extracted, **kwargs):
        # The provider named is contracted for the provision (the rule of a grant).
        if create and self.provider_id:
            self.provider.provision_types.add(self.provision_type)


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision, written the one way there is: by `proposal_decide`, as the
    mandated consultant, at `decided_at` (the clock is set to it). The factory
    prepares what the service needs: the proposal lies at the loket (with the
    application date and deadline given here), and the membership given as
    `mandate` is a loket consultant's with a mandate for the provision's law.
    Everything else the service takes from the proposal, as it does for real."""

    class Meta:
        model = Decision

    municipality = factory.SubFactory(MunicipalityFactory)
    proposal = factory.SubFactory(
        ProposalFactory,
        municipality=_same(),
        status="decided",
        application_date=factory.LazyFunction(timezone.localdate),
        decision_deadline=factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=2)),
    )
    case = factory.SelfAttribute("proposal.case")
    resident = factory.SelfAttribute("proposal.resident")
    outcome = Decision.Outcome.GRANTED
    consultant = factory.SubFactory(StaffMemberFactory, municipality=_same())
    mandate = factory.SubFactory(
        MembershipFactory,
        municipality=_same(),
        staff_member=factory.SelfAttribute("..consultant"),
        team__kind="loket",
        function="consultant",
        mandated_laws=["wmo"],
    )
    law = "wmo"
    provision_type = factory.SelfAttribute("proposal.provision_type")
    legal_basis = factory.SelfAttribute("provision_type.legal_basis")
    volume = factory.SelfAttribute("proposal.volume")
    unit = factory.SelfAttribute("proposal.unit")
    start_date = factory.SelfAttribute("proposal.start_date")
    end_date = factory.SelfAttribute("proposal.end_date")
    via_voorwerk = True
    application_date = factory.LazyAttribute(
        lambda o: o.proposal.application_date or timezone.localdate()
    )
    deadline = factory.LazyAttribute(
        lambda o: o.proposal.decision_deadline or o.application_date + timedelta(weeks=2)
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from apps.decisions.services import CHANGEABLE, proposal_decide

        proposal = kwargs["proposal"]
        municipality = proposal.municipality
        outcome = kwargs.get("outcome") or Decision.Outcome.GRANTED
        reasons = kwargs.get("reasons") or ""
        with scope(municipality=municipality):
            staff = _mandated(kwargs["mandate"], proposal.provision_type.law)
            Proposal.objects.filter(pk=proposal.pk).update(
                status=Proposal.Status.SUBMITTED,
                is_voorwerk=kwargs["via_voorwerk"],
                application_date=kwargs["application_date"],
                decision_deadline=kwargs["deadline"],
            )
            proposal.refresh_from_db()
            changes = {}
            if outcome == Decision.Outcome.GRANTED_CHANGED:
                changes = {
                    name: kwargs[name]
                    for name in CHANGEABLE
                    if name in kwargs and kwargs[name] != getattr(proposal, name)
                }
                if not changes:
                    changes = {"volume": (proposal.volume or 0) + 1}
                    if not proposal.unit:
                        changes["unit"] = proposal.provision_type.unit
                reasons = reasons or "Toegekend met een wijziging."
            elif outcome != Decision.Outcome.GRANTED and not reasons:
                reasons = "Zo besloten."
            actor = User.objects.get(pk=staff.user_id)  # no roles cached from before
            decided_at = kwargs.get("decided_at")
            # A fixture, not an access: the service's own access-log entry is left
            # out, as every other factory writes none.
            with (
                _next_pk(model_class, kwargs.get("pk") or kwargs.get("id")),
                time_machine.travel(decided_at, tick=False) if decided_at else nullcontext(),
                mock.patch("apps.decisions.services.log_access"),
            ):
                decision = proposal_decide(
                    actor=actor, proposal=proposal, outcome=outcome, reasons=reasons, **changes
                )
            # The service settles the case's status (and version): the test's own
            # instance of the case shows it too.
            for case in {id(c): c for c in (proposal.case, kwargs.get("case")) if c}.values():
                case.refresh_from_db()
            return decision


def _mandated(membership: Membership, law: str) -> StaffMember:
    """Make `membership` what `proposal_decide` asks of who decides: an active
    consultant's membership of an active loket, mandated for `law`."""
    from apps.decisions.services import mandate_for

    staff = membership.staff_member
    if mandate_for(staff, membership.municipality, law) is None:
        StaffMember.objects.filter(pk=staff.pk).update(is_active=True)
        Team.objects.filter(pk=membership.team_id).update(kind=Team.Kind.LOKET, is_active=True)
        Membership.objects.filter(pk=membership.pk).update(
            is_active=True,
            function=Membership.Function.CONSULTANT,
            mandated_laws=sorted({*(membership.mandated_laws or []), law}),
        )
    return staff


@contextmanager
def _next_pk(model, pk):
    """The next row of `model` gets primary key `pk` (the cross-municipality walk
    numbers every object of B): the table's sequence is set to it for the one
    insert and put back after it (PostgreSQL)."""
    if pk is None:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
        sequence = cursor.fetchone()[0]
        cursor.execute(
            "SELECT last_value FROM pg_sequences WHERE schemaname || '.' || sequencename = %s",
            [sequence],
        )
        last = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, %s, false)", [sequence, pk])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if last is None:
                cursor.execute("SELECT setval(%s, 1, false)", [sequence])
            else:
                cursor.execute("SELECT setval(%s, %s, true)", [sequence, last])


class DecisionLetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecisionLetter

    municipality = factory.SubFactory(MunicipalityFactory)
    decision = factory.SubFactory(DecisionFactory, municipality=_same())
    file = factory.django.FileField(filename="besluit.pdf", data=b"%PDF-1.7 test")


class ProvisionFactory(factory.django.DjangoModelFactory):
    """A granted provision: `proposal_decide` grants the decision's proposal and
    makes one; the values given here take its place."""

    class Meta:
        model = Provision

    municipality = factory.SubFactory(MunicipalityFactory)
    decision = factory.SubFactory(DecisionFactory, municipality=_same())
    case = factory.SelfAttribute("decision.case")
    household = factory.SelfAttribute("decision.case.household")
    resident = factory.SelfAttribute("decision.resident")
    provision_type = factory.SelfAttribute("decision.provision_type")
    volume = factory.SelfAttribute("decision.volume")
    unit = factory.SelfAttribute("decision.unit")
    start_date = factory.SelfAttribute("decision.start_date")
    end_date = factory.SelfAttribute("decision.end_date")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        decision = kwargs["decision"]
        with scope(municipality=decision.municipality):
            Provision.objects.filter(decision=decision).delete()
            return super()._create(model_class, *args, **kwargs)


class DeadlineChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeadlineChange

    municipality = factory.SubFactory(MunicipalityFactory)
    proposal = factory.SubFactory(
        ProposalFactory,
        municipality=_same(),
        status="submitted",
        decision_deadline=factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=2)),
    )
    kind = DeadlineChange.Kind.EXTEND

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # A change is about a proposal or a question, never both (a check
        # constraint): given both (the walks fill every relation), keep the proposal.
        if kwargs.get("question") is not None and kwargs.get("proposal") is not None:
            kwargs["question"] = None
        return kwargs

    old_date = factory.LazyFunction(timezone.localdate)
    new_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=4))
    reason = "Advies van de huisarts nodig."


class ReportSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportSettings
        django_get_or_create = ("municipality",)

    municipality = factory.SubFactory(MunicipalityFactory)


class ReportFactory(factory.django.DjangoModelFactory):
    """A ready report with both files (status and files can be overridden)."""

    class Meta:
        model = Report

    municipality = factory.SubFactory(MunicipalityFactory)
    period_start = factory.LazyFunction(lambda: timezone.localdate().replace(day=1, month=1))
    period_end = factory.LazyAttribute(lambda o: o.period_start.replace(day=31))
    status = Report.Status.READY
    pdf = factory.django.FileField(filename="rapportage.pdf", data=b"%PDF-1.7 test")
    csv = factory.django.FileField(
        filename="rapportage.csv", data=b"\xef\xbb\xbfGemeente;Periode\r\n"
    )


FACTORIES = {
    StaffMember: StaffMemberFactory,
    Area: AreaFactory,
    Organisation: OrganisationFactory,
    Team: TeamFactory,
    Membership: MembershipFactory,
    ApiToken: ApiTokenFactory,
    LifeDomain: LifeDomainFactory,
    Household: HouseholdFactory,
    Resident: ResidentFactory,
    IntakeSettings: IntakeSettingsFactory,
    TriageRule: TriageRuleFactory,
    Question: QuestionFactory,
    QuestionForward: QuestionForwardFactory,
    AccessLogEntry: AccessLogEntryFactory,
    AccessLogResident: AccessLogResidentFactory,
    Case: CaseFactory,
    DirectorChange: DirectorChangeFactory,
    TeamChange: TeamChangeFactory,
    WorkReassignment: WorkReassignmentFactory,
    WorkReassignmentItem: WorkReassignmentItemFactory,
    Activity: ActivityFactory,
    Assessment: AssessmentFactory,
    AssessmentScore: AssessmentScoreFactory,
    SupportPlan: SupportPlanFactory,
    Goal: GoalFactory,
    Solution: SolutionFactory,
    FollowUp: FollowUpFactory,
    ProvisionType: ProvisionTypeFactory,
    Proposal: ProposalFactory,
    Decision: DecisionFactory,
    DecisionLetter: DecisionLetterFactory,
    Provision: ProvisionFactory,
    DeadlineChange: DeadlineChangeFactory,
    Report: ReportFactory,
    ReportSettings: ReportSettingsFactory,
    RoleChange: RoleChangeFactory,
}


# --- letters (apps.letters) ------------------------------------------------------------

from apps.letters.models import Letter, LetterTemplate  # noqa: E402
from apps.letters.placeholders import LetterKind  # noqa: E402


class LetterTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterTemplate

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = LetterKind.ACKNOWLEDGEMENT
    subject = "Bevestiging van uw melding"
    body = "Beste {naam},\n\nWij hebben uw melding van {datum_melding} ontvangen."


class LetterFactory(factory.django.DjangoModelFactory):
    """A letter as sent (the service renders a real PDF; this one is a stand-in)."""

    class Meta:
        model = Letter

    municipality = factory.SubFactory(MunicipalityFactory)
    question = factory.SubFactory(QuestionFactory, municipality=_same())
    resident = factory.SelfAttribute("question.resident")
    kind = LetterKind.ACKNOWLEDGEMENT
    subject = "Bevestiging van uw melding"
    body = "Beste inwoner,\n\nWij hebben uw melding ontvangen."
    file = factory.django.FileField(filename="brief.pdf", data=b"%PDF-1.7 test")
    created_by = factory.SubFactory(StaffMemberFactory, municipality=_same())


FACTORIES[LetterTemplate] = LetterTemplateFactory
FACTORIES[Letter] = LetterFactory


# --- documents (apps.documents, #20) ---------------------------------------------------

from apps.documents.models import Document  # noqa: E402 (this section's own import)

# The smallest PDF the content check accepts (the magic number is what counts).
PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class DocumentFactory(factory.django.DjangoModelFactory):
    """A document of a case (a PDF). A document hangs on a case or a question,
    never both: given both (the tenancy walk gives every relation), it keeps the
    case. Its resident is always that of its case or question; a withdrawn
    reason without a time withdraws it now."""

    class Meta:
        model = Document

    municipality = factory.SubFactory(MunicipalityFactory)
    case = factory.SubFactory(CaseFactory, municipality=_same())
    question = None
    resident = None
    title = factory.Sequence(lambda n: f"Document {n}")
    kind = Document.Kind.OTHER
    document_date = factory.LazyFunction(timezone.localdate)
    file = factory.django.FileField(filename="upload", data=PDF_BYTES)
    original_filename = "advies.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = "0" * 64
    uploaded_by = factory.SubFactory(StaffMemberFactory, municipality=_same())

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("case") is not None and kwargs.get("question") is not None:
            kwargs["question"] = None
        about = kwargs.get("case") or kwargs.get("question")
        if about is not None:
            kwargs["resident"] = about.resident
        elif kwargs.get("resident") is None:
            kwargs["resident"] = ResidentFactory(municipality=kwargs["municipality"])
        if kwargs.get("withdrawn_reason") and kwargs.get("withdrawn_at") is None:
            kwargs["withdrawn_at"] = timezone.now()
        return super()._create(model_class, *args, **kwargs)


FACTORIES[Document] = DocumentFactory

# --- #20 part 2: earlier versions of corrected notes -----------------------------------

from apps.cases.models import ActivityNoteRevision  # noqa: E402
from apps.intake.models import QuestionDescriptionRevision  # noqa: E402


class QuestionDescriptionRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionDescriptionRevision

    municipality = factory.SubFactory(MunicipalityFactory)
    question = factory.SubFactory(QuestionFactory, municipality=_same())
    text = "Eerdere omschrijving."
    written_by = factory.SelfAttribute("question.received_by")
    written_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    corrected_by = factory.SelfAttribute("question.received_by")
    reason = "Vergissing."


class ActivityNoteRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityNoteRevision

    municipality = factory.SubFactory(MunicipalityFactory)
    activity = factory.SubFactory(ActivityFactory, municipality=_same())
    text = "Eerder verslag."
    written_by = factory.SelfAttribute("activity.recorded_by")
    written_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    corrected_by = factory.SelfAttribute("activity.recorded_by")
    reason = "Vergissing."


FACTORIES[QuestionDescriptionRevision] = QuestionDescriptionRevisionFactory
FACTORIES[ActivityNoteRevision] = ActivityNoteRevisionFactory


# --- #20 part 3: the agenda ------------------------------------------------------------

from apps.agenda.models import Appointment, CalendarFeed  # noqa: E402


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A home visit on a case, tomorrow, organised by the case's director."""

    class Meta:
        model = Appointment

    municipality = factory.SubFactory(MunicipalityFactory)
    case = factory.SubFactory(CaseFactory, municipality=_same())
    kind = Appointment.Kind.HOME_VISIT
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    place = "Bij de inwoner thuis"
    organiser = factory.LazyAttribute(
        lambda o: (
            o.case.director
            if o.case is not None
            else StaffMemberFactory(municipality=o.municipality)
        )
    )


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarFeed

    municipality = factory.SubFactory(MunicipalityFactory)
    staff_member = factory.SubFactory(StaffMemberFactory, municipality=_same())
    key_hash = factory.Sequence(lambda n: hash_key(f"agd_feed_{n}"))


FACTORIES[Appointment] = AppointmentFactory
FACTORIES[CalendarFeed] = CalendarFeedFactory

# --- shell partners (schil, #19; apps.cases.CaseJoin) -----------------------------------

from apps.cases.models import CaseJoin  # noqa: E402


class CaseJoinFactory(factory.django.DjangoModelFactory):
    """A shell partner asked to join a case (the membership is not made here:
    the record only, for the walks)."""

    class Meta:
        model = CaseJoin

    municipality = factory.SubFactory(MunicipalityFactory)
    case = factory.SubFactory(CaseFactory, municipality=_same())
    staff_member = factory.SubFactory(StaffMemberFactory, municipality=_same())
    asked_by = factory.SelfAttribute("case.director")
    reason = "Zorgen op school"


FACTORIES[CaseJoin] = CaseJoinFactory


# --- providers (zorgaanbieders, #21 part 1; apps.decisions.Provider) --------------------

from apps.decisions.models import Provider  # noqa: E402


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Thuiszorg De Linge {n}")
    agb_code = factory.Sequence(lambda n: f"{75_000_000 + n:08d}")

    @factory.post_generation
    def provision_types(self, create, extracted, **kwargs):
        if create and extracted:
            self.provision_types.set(extracted)


FACTORIES[Provider] = ProviderFactory
# --- a provision's lifecycle (#21 part 2; apps.decisions.ProvisionEvent) -------------------

from apps.decisions.models import ProvisionEvent  # noqa: E402


class ProvisionEventFactory(factory.django.DjangoModelFactory):
    """An event of a granted provision (suspended, resumed, ended …), recorded
    as the services do; append-only."""

    class Meta:
        model = ProvisionEvent

    municipality = factory.SubFactory(MunicipalityFactory)
    provision = factory.SubFactory(ProvisionFactory, municipality=_same())
    kind = ProvisionEvent.Kind.SUSPENDED
    date = factory.LazyFunction(timezone.localdate)
    reason = "Opname in het ziekenhuis"


FACTORIES[ProvisionEvent] = ProvisionEventFactory
# --- objections (bezwaar, #21 part 3; apps.decisions) ----------------------------------

from apps.decisions.models import Objection, ObjectionDecision, ObjectionLetter  # noqa: E402


class ObjectionFactory(factory.django.DjangoModelFactory):
    """An open objection against a granted decision, received today; its clock as
    `objection_register` computes it (six weeks after the objection period)."""

    class Meta:
        model = Objection

    municipality = factory.SubFactory(MunicipalityFactory)
    decision = factory.SubFactory(DecisionFactory, municipality=_same())
    received_on = factory.LazyFunction(timezone.localdate)
    lodged_by_name = "J. de Vries"
    lodged_by_relation = Objection.LodgedBy.RESIDENT
    grounds = "Drie uur per week is te weinig."
    statutory_deadline = factory.LazyAttribute(
        lambda o: max(o.decision.objection_deadline, o.received_on) + timedelta(weeks=6)
    )
    deadline = factory.SelfAttribute("statutory_deadline")
    registered_by = factory.SubFactory(StaffMemberFactory, municipality=_same())


class ObjectionDecisionFactory(factory.django.DjangoModelFactory):
    """The decision on an objection (the record only; the service also moves the
    objection's status)."""

    class Meta:
        model = ObjectionDecision

    municipality = factory.SubFactory(MunicipalityFactory)
    objection = factory.SubFactory(ObjectionFactory, municipality=_same(), status="decided")
    outcome = ObjectionDecision.Outcome.UNFOUNDED
    reasons = "Het besluit is zorgvuldig genomen."
    decided_by = factory.SubFactory(StaffMemberFactory, municipality=_same())
    mandate = factory.SubFactory(
        MembershipFactory,
        municipality=_same(),
        staff_member=factory.SelfAttribute("..decided_by"),
        team__kind="loket",
        function="consultant",
        mandated_laws=["wmo"],
    )


class ObjectionLetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObjectionLetter

    municipality = factory.SubFactory(MunicipalityFactory)
    objection_decision = factory.SubFactory(ObjectionDecisionFactory, municipality=_same())
    file = factory.django.FileField(filename="bezwaar.pdf", data=b"%PDF-1.7 test")


FACTORIES[Objection] = ObjectionFactory
FACTORIES[ObjectionDecision] = ObjectionDecisionFactory
FACTORIES[ObjectionLetter] = ObjectionLetterFactory
# --- team contact data and walk-in locations (#19 parts 2 and 3; apps.teams) -------------

from apps.teams.models import ExecutingOrganisation, TeamLocation  # noqa: E402


class TeamLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamLocation

    municipality = factory.SubFactory(MunicipalityFactory)
    team = factory.SubFactory(TeamFactory, municipality=_same())
    name = factory.Sequence(lambda n: f"Buurtcentrum {n}")
    address = "Dorpsstraat 1"
    walk_in_hours = "dinsdag 9.00–12.00 uur"


class ExecutingOrganisationFactory(factory.django.DjangoModelFactory):
    """Platform level, not owned by a municipality (no FACTORIES entry)."""

    class Meta:
        model = ExecutingOrganisation

    name = factory.Sequence(lambda n: f"Uitvoeringsorganisatie {n}")


FACTORIES[TeamLocation] = TeamLocationFactory
