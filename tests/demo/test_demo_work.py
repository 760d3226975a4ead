"""The demo's working day (apps/demo/work.py): every demo login's start page shows
work for their role, made through the services, once, and never in 2015.

The demo is seeded once for tests/demo (tests/demo/conftest.py) and flushed
afterwards; each test runs in its own transaction on top of it."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from apps.cases.models import Case, CaseJoin, FollowUp
from apps.decisions.models import Decision, DecisionLetter, Proposal
from apps.demo.work import STORIES, WORK_BSN_PREFIX, seed_present_day_work
from apps.intake.models import Question, Resident
from apps.intake.validators import is_valid_bsn
from apps.teams.models import Membership
from apps.tenants.middleware import SESSION_KEY
from apps.tenants.models import Municipality, StaffMember
from apps.tenants.permissions import Role, roles_for

WORK_DESCRIPTIONS = [story.description for story in STORIES]


@pytest.fixture
def seeded(demo_full, db):
    """The seeded demo (tests/demo/conftest.py; the test body may read it)."""


def demo_logins():
    """Every (account with the demo password, municipality) pair, from the data."""
    with scopes_disabled():
        rows = list(
            StaffMember.objects.filter(is_active=True).select_related("user", "municipality")
        )
    return [(s.user, s.municipality) for s in rows if s.user.has_usable_password()]


def start_page(client, user, municipality):
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = municipality.pk
    session.save()
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["current_municipality"] == municipality
    return response.context


def work_shown(context, roles) -> dict:
    """Per role the person holds, whether the role's own part of the start page
    shows something to do."""
    blocks = context["blocks"]
    shown = {}
    if Role.GATE_CLARIFIER in roles:
        shown[Role.GATE_CLARIFIER] = bool(blocks["gate"].rows)
    if Role.TEAM_MEMBER in roles:
        tm = blocks["team_member"]
        shown[Role.TEAM_MEMBER] = bool(tm["cases"].rows or tm["follow_ups"].rows)
    if Role.LOKET_CONSULTANT in roles:
        shown[Role.LOKET_CONSULTANT] = bool(blocks["loket"]["rows"])
    if Role.COORDINATOR in roles:
        co = blocks["coordinator"]
        shown[Role.COORDINATOR] = bool(
            co["unassigned"].rows or any(row["open_cases"] for row in co["caseload"])
        )
    if Role.POLICY_ADVISOR in roles:
        shown[Role.POLICY_ADVISOR] = bool(blocks["policy"].rows)
    if Role.MUNICIPALITY_ADMIN in roles:
        shown[Role.MUNICIPALITY_ADMIN] = bool(blocks.get("admin") and context["config_counts"])
    if Role.SHELL_PARTNER in roles:
        shown[Role.SHELL_PARTNER] = bool(blocks["shell_partner"]["cases"].rows)
    if Role.BEHAVIOURAL_EXPERT in roles:
        # No block of its own: the inbox summary of the teams they advise.
        shown[Role.BEHAVIOURAL_EXPERT] = any(row["new"] for row in context["inbox_summary"])
    return shown


# The start page has no block for a volunteer (they see neither questions nor
# cases): their part is the team they belong to.
WITHOUT_WORK_BLOCK = {Role.VOLUNTEER, Role.STAFF}
# Someone whose only team ended (seed 000's SpT) has history, no work: what they
# may still read is checked in tests/demo/test_seed_documents.py.
FORMER_ONLY = {Role.FORMER_MEMBER, Role.STAFF}


def test_every_demo_login_sees_work_for_each_of_their_roles(seeded, client, settings):
    settings.OTP_REQUIRED = False
    logins = demo_logins()
    assert len(logins) >= 30  # every municipality's role accounts, DUO+ twice
    missing = []
    for user, municipality in logins:
        roles = roles_for(user, municipality)
        context = start_page(client, user, municipality)
        shown = work_shown(context, roles)
        missing += [
            (user.email, municipality.name, role)
            for role, has_work in shown.items()
            if not has_work
        ]
        if not shown and roles <= FORMER_ONLY:
            continue
        if not shown:
            assert roles <= WITHOUT_WORK_BLOCK, (user.email, roles)
            assert context["my_teams"], user.email
    assert missing == []


@pytest.mark.parametrize("name", ["Uithoorn", "Ouder-Amstel"])
def test_the_duo_plus_consultant_finds_a_full_queue_in_both_municipalities(
    seeded, client, settings, name
):
    settings.OTP_REQUIRED = False
    municipality = Municipality.objects.get(name=name)
    with scopes_disabled():
        duo = StaffMember.objects.get(
            municipality=municipality, user__email="klantmanager@duoplus.demo.test"
        ).user
    context = start_page(client, duo, municipality)
    queue = context["blocks"]["loket"]
    assert queue["submitted"] >= 3
    assert queue["overdue"] >= 1
    deadlines = [p.decision_deadline for p in queue["rows"]]
    today = timezone.localdate()
    assert any(today <= d <= today + timedelta(days=7) for d in deadlines)


@pytest.mark.parametrize("name", ["Overbetuwe", "Uithoorn", "Ouder-Amstel", "Steenwijkerland"])
def test_every_municipality_has_households_cases_decisions_and_follow_ups(seeded, name):
    municipality = Municipality.objects.get(name=name)
    today = timezone.localdate()
    with scope(municipality=municipality):
        # Not the hand-written residents (99999…) nor the 2015 history (99991…).
        residents = Resident.objects.exclude(bsn__startswith="9999")
        assert 15 <= residents.count() <= 40
        with_bsn = [r.bsn for r in residents if r.bsn]
        assert with_bsn and all(is_valid_bsn(b) and b.startswith(WORK_BSN_PREFIX) for b in with_bsn)
        assert all(r.household_id for r in residents)
        assert residents.filter(household__members__household_relation="child").exists()
        questions = Question.objects.filter(description__in=WORK_DESCRIPTIONS)
        assert questions.filter(received_at__year=2015).count() == 0
        # Every team that handles questions has new ones in its inbox.
        teams_with_new = set(questions.filter(status="new").values_list("team__name", flat=True))
        assert set(Case.objects.values_list("team__name", flat=True)) <= teams_with_new
        # The working day's cases (not those of the hand-written residents, such
        # as the demo objections' in Overbetuwe).
        running = Case.objects.filter(
            status__in=Case.OPEN_STATUSES, opened_on__year__gt=2015
        ).exclude(resident__bsn__startswith="9999")
        assert running.count() >= 3
        for case in running:
            assert case.assessments.exists() and case.plans.filter(status="agreed").exists()
            assert case.activities.exists()
        decisions = Decision.objects.filter(decided_at__year__gt=2015).exclude(
            resident__bsn__startswith="9999"
        )
        assert set(decisions.values_list("outcome", flat=True)) == {"granted", "refused"}
        assert DecisionLetter.objects.filter(decision__in=decisions).count() == decisions.count()
        assert Proposal.objects.filter(status="submitted").count() >= 3
        due = FollowUp.objects.filter(due_on=today, done_on__isnull=True).select_related(
            "case__director__user"
        )
        assert any(f.case.director.user.has_usable_password() for f in due)


def test_a_shell_partner_is_asked_to_join_a_case_where_the_team_has_one(seeded):
    with scopes_disabled():
        joined = CaseJoin.objects.values_list("case__team_id", flat=True)
        teams_with_shell = set(
            Membership.objects.filter(function="shell_partner").values_list("team_id", flat=True)
        )
        assert teams_with_shell <= set(joined)


def test_a_second_run_adds_nothing(seeded):
    with scopes_disabled():
        before = (Resident.objects.count(), Question.objects.count(), Case.objects.count())
    call_command("seed_demo", allow_without_debug=True, verbosity=0)
    for municipality in Municipality.objects.all():
        with scope(municipality=municipality):
            assert not seed_present_day_work(municipality)
    with scopes_disabled():
        after = (Resident.objects.count(), Question.objects.count(), Case.objects.count())
    assert after == before


def test_a_new_municipality_with_only_a_loket_gets_no_half_day(db):
    """Without a loket consultant and someone to register, nothing is made."""
    with scopes_disabled():
        municipality = Municipality.objects.create(name="Nieuwegemeente", cbs_code="GM9999")
    with scope(municipality=municipality):
        assert not seed_present_day_work(municipality)
        assert not Resident.objects.exists()
