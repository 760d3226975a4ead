"""factory_boy factories for every municipality-owned model.

`FACTORIES` maps each scoped model to its factory; the cross-municipality URL
test uses it to create one object of every kind in another municipality, and a
test fails when a new scoped model has no factory here."""

import itertools
from datetime import timedelta

import factory
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.models import AccessLogEntry
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
from apps.teams.models import Area, Membership, Organisation, Team
from apps.tenants.models import ApiToken, Municipality, StaffMember
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
}
