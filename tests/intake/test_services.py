"""The intake's rules: BSN, dedupe, youth, triage, override, forwarding."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from apps.core.exceptions import ConcurrentEditError, DomainError
from apps.core.models import AppendOnlyError
from apps.intake import services
from apps.intake.models import (
    Channel,
    Destination,
    IntakeSettings,
    Question,
    QuestionForward,
    Resident,
)
from apps.intake.validators import is_valid_bsn, normalise_bsn
from apps.teams.models import Membership, Team
from tests.conftest import make_person
from tests.factories import (
    AreaFactory,
    LifeDomainFactory,
    QuestionFactory,
    ResidentFactory,
    TeamFactory,
    TriageRuleFactory,
)

F, K = Membership.Function, Team.Kind
AMS = ZoneInfo("Europe/Amsterdam")


# --- BSN -----------------------------------------------------------------------


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "999999990", "010000021"])
def test_valid_bsns_pass_the_eleven_test(bsn):
    assert is_valid_bsn(bsn)


@pytest.mark.parametrize(
    "bsn",
    ["111222334", "123456789", "000000000", "12345678", "1234567890", "abcdefghi", "١٢٣٤٥٦٧٨٢"],
)
def test_invalid_bsns_fail_the_eleven_test(bsn):
    assert not is_valid_bsn(bsn)


def test_a_bsn_written_without_its_leading_zero_gets_it_back():
    assert normalise_bsn("10000021") == "010000021"
    assert is_valid_bsn(normalise_bsn("10000021"))
    assert normalise_bsn(" 1112.22.333 ") == "111222333"


# --- registering ---------------------------------------------------------------------


@pytest.fixture
def setup(municipality):
    """A municipality with a loket, two kernteams with areas, a gate clarifier."""
    with scope(municipality=municipality):
        elst = AreaFactory(municipality=municipality, name="Elst")
        driel = AreaFactory(municipality=municipality, name="Driel")
        loket = TeamFactory(municipality=municipality, name="Loket", kind=K.LOKET)
        team_elst = TeamFactory(municipality=municipality, name="Kernteam Elst")
        team_elst.areas.set([elst])
        team_driel = TeamFactory(municipality=municipality, name="Kernteam Driel")
        team_driel.areas.set([driel])
        money = LifeDomainFactory(municipality=municipality, name="Financiën")
        housing = LifeDomainFactory(municipality=municipality, name="Huisvesting")
    clarifier = make_person(municipality, memberships=[(loket, F.GATE_CLARIFIER)])
    member_elst = make_person(municipality, memberships=[(team_elst, F.TEAM_MEMBER)])
    consultant = make_person(municipality, memberships=[(loket, F.CONSULTANT)])
    with scope(municipality=municipality):
        yield {
            "m": municipality,
            "elst": elst,
            "driel": driel,
            "loket": loket,
            "team_elst": team_elst,
            "team_driel": team_driel,
            "money": money,
            "housing": housing,
            "clarifier": clarifier,
            "member_elst": member_elst,
            "consultant": consultant,
        }


def register(s, *, actor=None, resident=None, when=None, **kwargs):
    data = {
        "channel": Channel.TELEPHONE,
        "received_at": when or timezone.now() - timedelta(minutes=5),
        "description": "Mevrouw redt het huishouden niet meer.",
        "life_domains": [s["money"]],
        "laws": [],
    }
    data.update(kwargs)
    if resident is None and "resident_data" not in data:
        data["resident_data"] = {"surname": "Jansen", "area": s["elst"]}
    return services.question_register(
        actor=actor or s["clarifier"],
        municipality=s["m"],
        new=services.NewQuestion(resident=resident, **data),
    )


def test_a_known_bsn_finds_the_existing_resident(setup):
    first = register(setup, resident_data={"bsn": "111222333", "surname": "Jansen"})
    second = register(setup, resident_data={"bsn": "111 222 333", "surname": " jansen "})
    assert second.found_known_resident
    assert second.question.resident == first.question.resident
    assert Resident.objects.filter(bsn="111222333").count() == 1


def test_a_known_bsn_with_another_name_is_refused_without_naming_the_resident(setup):
    register(setup, resident_data={"bsn": "111222333", "surname": "Jansen"})
    with pytest.raises(ValidationError) as exc:
        register(setup, resident_data={"bsn": "111222333", "surname": "Pietersen"})
    message = " ".join(exc.value.message_dict["resident.bsn"])
    assert "andere naam" in message and "Jansen" not in message
    assert Question.objects.count() == 1


def test_the_same_bsn_in_two_municipalities_is_two_residents(setup, other_municipality):
    register(setup, resident_data={"bsn": "111222333", "surname": "Jansen"})
    with scope(municipality=other_municipality):
        TeamFactory(municipality=other_municipality, kind=K.LOKET)
        domain = LifeDomainFactory(municipality=other_municipality)
        registration = services.question_register(
            actor=None,
            received_by=make_person(other_municipality).staff_memberships.get(),
            municipality=other_municipality,
            new=services.NewQuestion(
                resident_data={"bsn": "111222333", "surname": "Anders"},
                channel=Channel.EMAIL,
                received_at=timezone.now(),
                description="x",
                life_domains=[domain],
            ),
        )
        assert not registration.found_known_resident
    with scopes_disabled():
        residents = Resident.objects.filter(bsn="111222333")
        assert {r.municipality_id for r in residents} == {
            setup["m"].pk,
            other_municipality.pk,
        }


def test_an_invalid_bsn_saves_nothing(setup):
    with pytest.raises(ValidationError) as exc:
        register(setup, resident_data={"bsn": "123456789", "surname": "Fout"})
    assert "resident.bsn" in exc.value.message_dict
    assert not Resident.objects.exists() and not Question.objects.exists()


def test_a_question_that_fails_leaves_no_resident_behind(setup):
    with pytest.raises(ValidationError) as exc:
        register(setup, when=timezone.now() + timedelta(days=1))
    assert "received_at" in exc.value.message_dict
    assert not Resident.objects.exists() and not Question.objects.exists()


def test_a_date_of_birth_in_the_future_is_refused(setup):
    with pytest.raises(ValidationError) as exc:
        register(
            setup,
            resident_data={"surname": "Later", "date_of_birth": date.today() + timedelta(days=2)},
        )
    assert "resident.date_of_birth" in exc.value.message_dict


def test_unknown_channel_or_foreign_life_domain_is_refused(setup, other_municipality):
    with pytest.raises(ValidationError) as exc:
        register(setup, channel="fax")
    assert "channel" in exc.value.message_dict
    with scopes_disabled():
        foreign = LifeDomainFactory(municipality=other_municipality)
    with pytest.raises(ValidationError) as exc:
        register(setup, life_domains=[foreign])
    assert "life_domains" in exc.value.message_dict
    with pytest.raises(ValidationError):
        register(setup, laws=["belastingwet"])
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("born", "is_youth"),
    [
        (date(2008, 3, 15), False),  # 18 today
        (date(2008, 3, 16), True),  # 18 tomorrow
    ],
)
def test_youth_is_derived_from_the_date_of_birth_on_the_day_received(setup, born, is_youth):
    late_evening = datetime(2026, 3, 15, 23, 30, tzinfo=AMS)
    q = register(
        setup,
        when=late_evening,
        resident_data={"surname": "Jong", "date_of_birth": born},
        stated_is_youth=not is_youth,  # ignored: the date of birth decides
    ).question
    assert q.is_youth is is_youth
    assert q.youth_is_derived


def test_youth_is_as_stated_without_a_date_of_birth(setup):
    q = register(setup, stated_is_youth=True).question
    assert q.is_youth and not q.youth_is_derived


def test_a_wmo_question_gets_the_investigation_deadline(setup):
    IntakeSettings.objects.update_or_create(
        municipality=setup["m"], defaults={"wmo_investigation_weeks": 6}
    )
    when = datetime(2026, 3, 2, 9, 0, tzinfo=AMS)
    q = register(setup, when=when, laws=["wmo"]).question
    assert q.investigation_deadline == date(2026, 4, 13)
    assert register(setup, laws=["jeugdwet"]).question.investigation_deadline is None


def test_registering_needs_the_role(setup):
    volunteer = make_person(setup["m"], memberships=[(setup["team_elst"], F.VOLUNTEER)])
    with pytest.raises(PermissionDenied):
        register(setup, actor=volunteer)


# --- triage -----------------------------------------------------------------------------


def test_without_rules_the_default_is_the_loket(setup):
    q = register(setup).question
    assert q.team == setup["loket"] and q.triage_team == setup["loket"]
    assert q.triage_rule is None


def test_default_to_the_team_of_the_residents_area(setup):
    IntakeSettings.objects.update_or_create(
        municipality=setup["m"], defaults={"default_destination": Destination.AREA_TEAM}
    )
    assert register(setup).question.team == setup["team_elst"]
    driel = register(setup, resident_data={"surname": "Dries", "area": setup["driel"]})
    assert driel.question.team == setup["team_driel"]
    # No area known: no area team, so the loket.
    unknown = register(setup, resident_data={"surname": "Zonder"})
    assert unknown.question.team == setup["loket"]


@pytest.mark.parametrize(
    ("condition", "matching", "not_matching"),
    [
        ({"channel": Channel.VEILIG_THUIS}, {"channel": Channel.VEILIG_THUIS}, {}),
        ({"is_youth": True}, {"stated_is_youth": True}, {}),
        ({"is_youth": False}, {}, {"stated_is_youth": True}),
        ({"law": "jeugdwet"}, {"laws": ["wmo", "jeugdwet"]}, {"laws": ["wmo"]}),
    ],
)
def test_each_condition_of_a_rule(setup, condition, matching, not_matching):
    rule = TriageRuleFactory(
        municipality=setup["m"],
        destination=Destination.TEAM,
        team=setup["team_driel"],
        **condition,
    )
    hit = register(setup, **matching).question
    assert hit.team == setup["team_driel"] and hit.triage_rule == rule
    miss = register(setup, **not_matching).question
    assert miss.team == setup["loket"] and miss.triage_rule is None


def test_life_domain_and_area_conditions(setup):
    by_domain = TriageRuleFactory(
        municipality=setup["m"],
        life_domain=setup["housing"],
        destination=Destination.TEAM,
        team=setup["team_driel"],
    )
    by_area = TriageRuleFactory(
        municipality=setup["m"],
        area=setup["elst"],
        destination=Destination.AREA_TEAM,
    )
    assert register(
        setup, life_domains=[setup["money"], setup["housing"]]
    ).question.triage_rule == (by_domain)
    q = register(setup).question
    assert q.triage_rule == by_area and q.team == setup["team_elst"]
    other = register(setup, resident_data={"surname": "Dries", "area": setup["driel"]})
    assert other.question.triage_rule is None


def test_rules_apply_in_order_and_the_first_match_wins(setup):
    second = TriageRuleFactory(
        municipality=setup["m"], position=2, destination=Destination.TEAM, team=setup["team_driel"]
    )
    first = TriageRuleFactory(
        municipality=setup["m"],
        position=1,
        channel=Channel.VEILIG_THUIS,
        destination=Destination.LOKET,
    )
    assert register(setup, channel=Channel.VEILIG_THUIS).question.triage_rule == first
    assert register(setup).question.triage_rule == second
    services.triage_rule_move(actor=None, rule=second, direction=-1)
    assert register(setup, channel=Channel.VEILIG_THUIS).question.triage_rule == second


def test_a_rule_whose_destination_does_not_exist_is_passed_over(setup):
    TriageRuleFactory(municipality=setup["m"], position=1, destination=Destination.AREA_TEAM)
    fallback = TriageRuleFactory(
        municipality=setup["m"], position=2, destination=Destination.TEAM, team=setup["team_driel"]
    )
    q = register(setup, resident_data={"surname": "Zonder gebied"}).question
    assert q.triage_rule == fallback


def test_inactive_rules_do_not_apply(setup):
    TriageRuleFactory(
        municipality=setup["m"],
        destination=Destination.TEAM,
        team=setup["team_driel"],
        is_active=False,
    )
    assert register(setup).question.team == setup["loket"]


def test_the_overbetuwe_rules(setup):
    """Veilig Thuis reports and youth questions to the loket; the rest to the
    kernteam of the area."""
    TriageRuleFactory(
        municipality=setup["m"], channel=Channel.VEILIG_THUIS, destination=Destination.LOKET
    )
    TriageRuleFactory(municipality=setup["m"], is_youth=True, destination=Destination.LOKET)
    IntakeSettings.objects.update_or_create(
        municipality=setup["m"], defaults={"default_destination": Destination.AREA_TEAM}
    )
    assert register(setup).question.team == setup["team_elst"]
    assert register(setup, channel=Channel.VEILIG_THUIS).question.team == setup["loket"]
    assert register(setup, stated_is_youth=True).question.team == setup["loket"]


def test_the_clarifier_can_override_with_a_reason(setup):
    q = register(
        setup, override_team=setup["team_driel"], override_reason="Bekend bij Driel"
    ).question
    assert q.team == setup["team_driel"]
    assert q.triage_team == setup["loket"]  # what the rules said stays on record
    assert q.override_reason == "Bekend bij Driel" and q.is_overridden


def test_an_override_needs_a_reason_and_a_team_of_the_municipality(setup, other_municipality):
    with pytest.raises(ValidationError) as exc:
        register(setup, override_team=setup["team_driel"], override_reason="  ")
    assert "override_reason" in exc.value.message_dict
    with scopes_disabled():
        foreign = TeamFactory(municipality=other_municipality)
    with pytest.raises(ValidationError) as exc:
        register(setup, override_team=foreign, override_reason="Daar")
    assert "override_team" in exc.value.message_dict
    assert not Question.objects.exists()


# --- taking and forwarding ------------------------------------------------------------------


def test_forwarding_records_the_history_and_resets_the_question(setup):
    q = register(setup).question
    services.question_assign(actor=setup["consultant"], question=q)
    q.refresh_from_db()
    assert q.assigned_to.user == setup["consultant"] and q.status == Question.Status.IN_PROGRESS
    forward = services.question_forward(
        actor=setup["consultant"],
        question=q,
        to_team=setup["team_elst"],
        reason="Casus hoort bij het kernteam",
        expected_version=q.version,
    )
    q.refresh_from_db()
    assert q.team == setup["team_elst"] and q.assigned_to is None
    assert q.status == Question.Status.NEW
    assert (forward.from_team, forward.to_team, forward.by.user) == (
        setup["loket"],
        setup["team_elst"],
        setup["consultant"],
    )
    back = services.question_forward(
        actor=setup["member_elst"], question=q, to_team=setup["loket"], reason="Toch jeugd"
    )
    assert list(QuestionForward.objects.filter(question=q)) == [forward, back]


def test_a_forward_needs_a_reason_and_another_team_of_the_municipality(setup, other_municipality):
    q = register(setup).question
    actor = setup["consultant"]
    with pytest.raises(ValidationError) as exc:
        services.question_forward(actor=actor, question=q, to_team=setup["loket"], reason="x")
    assert "to_team" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.question_forward(actor=actor, question=q, to_team=setup["team_elst"], reason="")
    assert "reason" in exc.value.message_dict
    with scopes_disabled():
        foreign = TeamFactory(municipality=other_municipality)
    with pytest.raises(ValidationError) as exc:
        services.question_forward(actor=actor, question=q, to_team=foreign, reason="weg")
    assert "to_team" in exc.value.message_dict
    assert not QuestionForward.objects.exists()


def test_only_a_member_of_the_team_holding_it_may_forward(setup):
    q = register(setup).question  # at the loket
    with pytest.raises(PermissionDenied):
        services.question_forward(
            actor=setup["member_elst"], question=q, to_team=setup["team_elst"], reason="mijn"
        )
    with pytest.raises(PermissionDenied):
        # A gate clarifier registers and overrides, but does not handle.
        services.question_assign(actor=setup["clarifier"], question=q)


def test_a_stale_forward_is_refused(setup):
    q = register(setup).question
    stale = q.version
    services.question_assign(actor=setup["consultant"], question=q)
    with pytest.raises(ConcurrentEditError):
        services.question_forward(
            actor=setup["consultant"],
            question=q,
            to_team=setup["team_elst"],
            reason="x",
            expected_version=stale,
        )
    assert not QuestionForward.objects.exists()


def test_a_question_taken_by_a_colleague_is_not_taken_over_silently(setup):
    q = register(setup).question
    services.question_assign(actor=setup["consultant"], question=q)
    colleague = make_person(setup["m"], memberships=[(setup["loket"], F.CONSULTANT)])
    with pytest.raises(DomainError):
        services.question_assign(actor=colleague, question=q)


def test_the_forward_history_is_append_only(setup):
    q = register(setup).question
    forward = services.question_forward(
        actor=setup["consultant"], question=q, to_team=setup["team_elst"], reason="x"
    )
    attempts = [
        forward.save,
        forward.delete,
        lambda: QuestionForward.objects.filter(pk=forward.pk).update(reason="anders"),
        lambda: QuestionForward.objects.filter(pk=forward.pk).delete(),
        lambda: QuestionForward._base_manager.filter(pk=forward.pk).update(reason="anders"),
        # A new instance naming an existing id is an INSERT, refused by the key.
        lambda: QuestionForward(
            pk=forward.pk,
            municipality=forward.municipality,
            question=q,
            from_team=forward.from_team,
            to_team=forward.to_team,
            by=forward.by,
            reason="overschreven",
        ).save(),
    ]
    for attempt in attempts:
        with pytest.raises((AppendOnlyError, IntegrityError)), transaction.atomic():
            attempt()
    forward.refresh_from_db()
    assert forward.reason == "x"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the guard is a PostgreSQL trigger")
def test_the_database_refuses_to_rewrite_forward_history(setup):
    q = register(setup).question
    forward = services.question_forward(
        actor=setup["consultant"], question=q, to_team=setup["team_elst"], reason="x"
    )
    for sql in (
        "UPDATE intake_questionforward SET reason = 'anders' WHERE id = %s",
        "DELETE FROM intake_questionforward WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [forward.pk])


def test_resident_factory_and_question_factory_stay_in_one_municipality(setup):
    q = QuestionFactory(municipality=setup["m"])
    assert q.resident.municipality == setup["m"] == q.team.municipality
    assert ResidentFactory(municipality=setup["m"]).municipality == setup["m"]


def test_a_rule_to_a_team_deactivated_later_can_still_be_switched_off(setup):
    rule = TriageRuleFactory(
        municipality=setup["m"], destination=Destination.TEAM, team=setup["team_driel"]
    )
    Team.objects.filter(pk=setup["team_driel"].pk).update(is_active=False)
    rule.refresh_from_db()
    rule.is_active = False
    rule.full_clean()  # the inactive team was chosen before: no error
    new = TriageRuleFactory.build(
        municipality=setup["m"], destination=Destination.TEAM, team=rule.team
    )
    with pytest.raises(ValidationError) as exc:
        new.full_clean()
    assert "team" in exc.value.message_dict


# --- a known BSN: one rule for the register page, the household and the API ----------------


def test_a_known_bsn_without_a_surname_never_finds_the_resident(setup):
    register(setup, resident_data={"bsn": "111222333", "surname": "Jansen"})
    with pytest.raises(ValidationError) as exc:
        register(setup, resident_data={"bsn": "111222333"})
    assert "resident.surname" in exc.value.message_dict
    assert "Jansen" not in " ".join(exc.value.messages)
    assert Question.objects.count() == 1


def test_a_known_bsn_with_another_date_of_birth_is_refused(setup):
    register(
        setup,
        resident_data={"bsn": "111222333", "surname": "Jansen", "date_of_birth": date(1950, 1, 2)},
    )
    with pytest.raises(ValidationError) as exc:
        register(
            setup,
            resident_data={
                "bsn": "111222333",
                "surname": "Jansen",
                "date_of_birth": date(1960, 1, 2),
            },
        )
    assert "resident.bsn" in exc.value.message_dict
    assert Question.objects.count() == 1


@pytest.fixture
def household_of_member(setup):
    """A household the Elst member works on (a question of its applicant at
    Kernteam Elst), and a stranger with a BSN, known to the municipality."""
    m = setup["m"]
    with scope(municipality=m):
        mother = ResidentFactory(municipality=m, surname="Visser", bsn="")
        household = services.household_create(actor=None, resident=mother)
        QuestionFactory(municipality=m, resident=mother, team=setup["team_elst"])
        stranger = ResidentFactory(
            municipality=m, surname="de Boer", bsn="123456782", date_of_birth=date(1980, 5, 1)
        )
    return setup | {"household": household, "mother": mother, "stranger": stranger}


def add_member(s, actor, **data):
    return services.household_add_member(
        actor=actor,
        household=s["household"],
        relation="partner",
        resident_data=data,
        **({"reason": data.pop("reason")} if "reason" in data else {}),
    )


def test_a_known_bsn_alone_never_links_a_household_member(household_of_member):
    s = household_of_member
    with pytest.raises(ValidationError) as exc:
        add_member(s, s["clarifier"], bsn="123456782")
    assert "surname" in exc.value.message_dict
    assert "Boer" not in " ".join(exc.value.messages)
    s["stranger"].refresh_from_db()
    assert s["stranger"].household_id is None


@pytest.mark.parametrize(
    "typed",
    [{"surname": "Jansen"}, {"surname": "de Boer", "date_of_birth": date(1981, 5, 1)}],
)
def test_a_known_bsn_with_another_name_or_birth_date_does_not_link_a_household_member(
    household_of_member, typed
):
    s = household_of_member
    with pytest.raises(ValidationError) as exc:
        add_member(s, s["clarifier"], bsn="123456782", **typed)
    assert "bsn" in exc.value.message_dict
    assert "Boer" not in " ".join(exc.value.messages)
    s["stranger"].refresh_from_db()
    assert s["stranger"].household_id is None
    assert Resident.objects.count() == 2


def test_a_known_bsn_with_the_matching_surname_links_the_household_member(household_of_member):
    s = household_of_member
    member = add_member(s, s["clarifier"], bsn="1234.56.782", surname=" De  BOER ")
    assert member == s["stranger"]
    assert member.household == s["household"] and member.household_relation == "partner"


def test_linking_a_stranger_into_a_household_needs_a_reason_first(household_of_member):
    """A team member with no relation to the known resident's file does not gain
    one by linking them into a household they do work on: the reason first, as
    for opening the file."""
    s = household_of_member
    member = s["member_elst"]
    from apps.access import rules

    assert rules.has_relationship(member, s["m"], s["mother"])
    assert not rules.has_relationship(member, s["m"], s["stranger"])
    with pytest.raises(ValidationError) as exc:
        add_member(s, member, bsn="123456782", surname="de Boer")
    assert "reason" in exc.value.message_dict
    s["stranger"].refresh_from_db()
    assert s["stranger"].household_id is None
    with pytest.raises(ValidationError):
        add_member(s, member, bsn="123456782", surname="de Boer", reason="kort")
    linked = add_member(
        s, member, bsn="123456782", surname="de Boer", reason="Partner van mevrouw Visser."
    )
    assert linked.household == s["household"]


def test_a_new_household_member_needs_no_reason(household_of_member):
    s = household_of_member
    new = add_member(s, s["member_elst"], bsn="010000021", surname="Visser", first_names="Sem")
    assert new.household == s["household"] and new.pk != s["stranger"].pk
