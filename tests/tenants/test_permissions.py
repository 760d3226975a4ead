"""docs/permissions.md is the table of who may do what: the code holds the same
table, and every cell is checked against the running code."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scope, scopes_disabled

from apps.audit.models import AccessLogEntry
from apps.decisions.models import ProvisionType
from apps.intake.models import Question, TriageRule
from apps.teams.models import Area, Membership, Team
from apps.tenants.models import ApiToken, Municipality, StaffMember
from apps.tenants.permissions import ROLE_ACTIONS, Action, Role, roles_for
from apps.tenants.services import (
    api_token_create,
    municipality_create,
    staff_invite,
    staff_two_factor_reset,
)
from tests.conftest import make_person
from tests.factories import (
    TEST_PASSWORD,
    ApiTokenFactory,
    CaseFactory,
    LifeDomainFactory,
    MembershipFactory,
    ProposalFactory,
    QuestionFactory,
    ResidentFactory,
    TeamFactory,
    TriageRuleFactory,
    UserFactory,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
F, K = Membership.Function, Team.Kind


def documented_table():
    lines = DOC.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| action | staff |"))
    header = [c.strip() for c in lines[start].strip("|").split("|")]
    roles = header[1:]
    table = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        action = re.fullmatch(r"`([^`]+)`", cells[0]).group(1)
        table[action] = {role for role, cell in zip(roles, cells[1:], strict=True) if cell == "yes"}
    return roles, table


def test_documented_table_is_the_code_table():
    roles, table = documented_table()
    assert roles == [r.value for r in Role]
    assert table == {action: set(holders) for action, holders in ROLE_ACTIONS.items()}
    assert set(table) == set(Action.values)


# How to make a person who holds each role, and the roles that person then has.
PEOPLE = {
    Role.STAFF: ({}, {Role.STAFF}),
    Role.PLATFORM_ADMIN: (None, {Role.PLATFORM_ADMIN}),
    Role.MUNICIPALITY_ADMIN: ({"admin": True}, {Role.STAFF, Role.MUNICIPALITY_ADMIN}),
    Role.POLICY_ADVISOR: ({"policy": True}, {Role.STAFF, Role.POLICY_ADVISOR}),
    Role.LOKET_CONSULTANT: (
        {"memberships": [(K.LOKET, F.CONSULTANT)]},
        {Role.STAFF, Role.LOKET_CONSULTANT},
    ),
    Role.GATE_CLARIFIER: (
        {"memberships": [(K.LOKET, F.GATE_CLARIFIER)]},
        {Role.STAFF, Role.GATE_CLARIFIER},
    ),
    Role.TEAM_MEMBER: (
        {"memberships": [(K.KERNTEAM, F.CASE_DIRECTOR)]},
        {Role.STAFF, Role.TEAM_MEMBER},
    ),
    Role.BEHAVIOURAL_EXPERT: (
        {"memberships": [(K.EXPERTISE, F.BEHAVIOURAL_EXPERT)]},
        {Role.STAFF, Role.BEHAVIOURAL_EXPERT},
    ),
    Role.COORDINATOR: (
        {"memberships": [(K.SOCIAL_TEAM, F.COORDINATOR)]},
        {Role.STAFF, Role.COORDINATOR, Role.TEAM_MEMBER},
    ),
    Role.VOLUNTEER: (
        {"memberships": [(K.KERNTEAM, F.VOLUNTEER)]},
        {Role.STAFF, Role.VOLUNTEER},
    ),
    # A shell partner (schil) of a kernteam: only the cases they joined.
    Role.SHELL_PARTNER: (
        {"memberships": [(K.KERNTEAM, F.SHELL_PARTNER)]},
        {Role.STAFF, Role.SHELL_PARTNER},
    ),
    # A team member of a team that was ended (`team_end`), with no team since.
    Role.FORMER_MEMBER: (
        {"memberships": [(K.KERNTEAM, F.TEAM_MEMBER)], "former": True},
        {Role.STAFF, Role.FORMER_MEMBER},
    ),
}


def person_with(role, municipality):
    spec, _ = PEOPLE[role]
    if spec is None:
        return UserFactory(is_superuser=True, is_staff=True)
    spec = dict(spec)
    former = spec.pop("former", False)
    user = make_person(municipality, **spec)
    if former:
        # Their team ended today, and their membership with it.
        today = timezone.localdate()
        with scopes_disabled():
            memberships = Membership.objects.filter(staff_member__user=user)
            Team.objects.filter(memberships__in=memberships).update(is_active=False, ended_on=today)
            memberships.update(is_active=False, ended_on=today)
    return user


@pytest.mark.parametrize("role", list(Role))
def test_roles_follow_from_data(municipality, role):
    user = person_with(role, municipality)
    assert roles_for(user, municipality) == PEOPLE[role][1]


def test_a_consultant_outside_the_loket_is_a_team_member_not_a_loket_consultant(municipality):
    user = make_person(municipality, memberships=[(K.KERNTEAM, F.CONSULTANT)])
    assert roles_for(user, municipality) == {Role.STAFF, Role.TEAM_MEMBER}


def test_deactivated_access_and_ended_memberships_give_no_roles(municipality):
    user = make_person(municipality, admin=True, memberships=[(K.LOKET, F.CONSULTANT)])
    with scopes_disabled():
        Membership.objects.filter(staff_member__user=user).update(is_active=False)
    user.__dict__.pop("_municipality_roles", None)
    assert roles_for(user, municipality) == {Role.STAFF, Role.MUNICIPALITY_ADMIN}
    with scopes_disabled():
        StaffMember.objects.filter(user=user).update(is_active=False)
    user.__dict__.pop("_municipality_roles", None)
    assert roles_for(user, municipality) == set()


def test_roles_in_one_municipality_do_not_carry_to_another(municipality, other_municipality):
    user = make_person(municipality, admin=True)
    make_person(other_municipality, user=user)
    assert Role.MUNICIPALITY_ADMIN in roles_for(user, municipality)
    assert roles_for(user, other_municipality) == {Role.STAFF}


# --- every cell of the table against the running code -----------------------


def _page(client, method, url, data=None):
    response = getattr(client, method)(url, data or {})
    if response.status_code == 403 or (
        response.status_code == 302 and "geen-gemeente" in response["Location"]
    ):
        return False
    assert response.status_code in (200, 201, 302), (url, response.status_code)
    return True


def _service(call):
    try:
        call()
    except PermissionDenied:
        return False
    return True


def probe_start(user, municipality, client):
    page = _page(client, "get", "/")
    assert (client.get("/api/v1/me/").status_code == 200) == page
    return page


def probe_organisation(user, municipality, client):
    page = _page(client, "get", "/teams/")
    api = client.get("/api/v1/teams/").status_code
    assert api in (200, 403)
    assert page == (api == 200)
    return page


def probe_configuration(user, municipality, client):
    created = _page(client, "post", "/beheer/gebieden/nieuw/", {"name": "Nieuw gebied"})
    with scope(municipality=municipality):
        assert Area.objects.filter(name="Nieuw gebied").exists() == created
    # The intake configuration: a triage rule, and moving it.
    rule_created = _page(
        client,
        "post",
        "/beheer/triage/nieuw/",
        {"name": "Probe-regel", "destination": "loket", "is_active": "on"},
    )
    with scope(municipality=municipality):
        assert TriageRule.objects.filter(name="Probe-regel").exists() == rule_created
        first = TriageRuleFactory(municipality=municipality, position=1, name="Eerste")
        second = TriageRuleFactory(municipality=municipality, position=2, name="Tweede")
    moved = _page(client, "post", f"/beheer/triage/{second.pk}/verplaatsen/", {"direction": "up"})
    with scope(municipality=municipality):
        first.refresh_from_db()
        second.refresh_from_db()
    assert (second.position < first.position) == moved
    catalogue = _page(
        client,
        "post",
        "/beheer/voorzieningen/nieuw/",
        {"name": "Probe-voorziening", "law": "wmo", "legal_basis": "art. 1", "unit": "piece"},
    )
    with scope(municipality=municipality):
        assert ProvisionType.objects.filter(name="Probe-voorziening").exists() == catalogue
    assert created == rule_created == moved == catalogue
    api = client.post(
        "/api/v1/teams/", {"name": "API-team", "kind": "kernteam"}, "application/json"
    )
    assert api.status_code in (201, 403)
    assert created == (api.status_code == 201)
    # A change through the API names the version it is based on.
    with scope(municipality=municipality):
        membership = MembershipFactory(municipality=municipality, hours_per_week=24)
    patch = client.patch(
        f"/api/v1/memberships/{membership.pk}/",
        {"hours_per_week": "12.0", "version": membership.version},
        "application/json",
    )
    assert patch.status_code in (200, 403), (patch.status_code, patch.content)
    with scopes_disabled():
        membership.refresh_from_db()
    changed = membership.hours_per_week == Decimal("12.0")
    assert changed == (patch.status_code == 200)
    assert created == changed
    return created


def _plain_staff(municipality):
    """A colleague with nothing but access: a target for the staff and key probes."""
    person = make_person(municipality)
    with scope(municipality=municipality):
        return person.staff_memberships.get(municipality=municipality)


def probe_staff(user, municipality, client):
    page = _page(client, "get", "/beheer/medewerkers/")
    with scope(municipality=municipality):
        service = _service(
            lambda: staff_invite(
                actor=user, municipality=municipality, email="nieuw@example.test", full_name="Nieuw"
            )
        )
    # Give a colleague a role without a team.
    colleague = _plain_staff(municipality)
    edited = _page(
        client,
        "post",
        f"/beheer/medewerkers/{colleague.pk}/",
        {"is_policy_advisor": "on", "version": colleague.version},
    )
    # End another colleague's access.
    leaver = _plain_staff(municipality)
    deactivated = _page(
        client, "post", f"/beheer/medewerkers/{leaver.pk}/deactiveren/", {"version": leaver.version}
    )
    with scopes_disabled():
        colleague.refresh_from_db()
        leaver.refresh_from_db()
    assert colleague.is_policy_advisor == edited
    assert (not leaver.is_active) == deactivated
    assert page == service == edited == deactivated
    return service


def probe_two_factor_reset(user, municipality, client):
    def colleague_with_app():
        staff = _plain_staff(municipality)
        TOTPDevice.objects.create(user=staff.user, name="app", confirmed=True)
        return staff

    def has_app(staff):
        return TOTPDevice.objects.filter(user=staff.user).exists()

    first = colleague_with_app()
    with scope(municipality=municipality):
        service = _service(lambda: staff_two_factor_reset(actor=user, staff=first))
    assert has_app(first) != service
    # The button on the staff page (a municipality admin's way)...
    second = colleague_with_app()
    page = _page(client, "post", f"/beheer/medewerkers/{second.pk}/tweestapsverificatie-wissen/")
    assert has_app(second) != page
    # ...and the action in the Django admin (the platform admin's).
    third = colleague_with_app()
    client.post(
        "/platformbeheer/tenants/staffmember/",
        {"action": "two_factor_reset", "_selected_action": [third.pk]},
    )
    in_admin = not has_app(third)
    assert service == (page or in_admin)
    return service


def probe_api_token(user, municipality, client):
    page = _page(client, "get", "/beheer/api-sleutels/")
    # A key is for yourself or for an integration account, never for a colleague.
    account = _plain_staff(municipality)
    with scopes_disabled():
        StaffMember.objects.filter(pk=account.pk).update(is_integration=True)
    account.is_integration = True
    with scope(municipality=municipality):
        service = _service(
            lambda: api_token_create(
                actor=user,
                municipality=municipality,
                staff_member=account,
                name="koppeling",
                expires_at=timezone.now() + timedelta(days=1),
            )
        )
    issued = _page(
        client,
        "post",
        "/beheer/api-sleutels/",
        {
            "name": "via de pagina",
            "staff_member": account.pk,
            "days": 30,
            "password": TEST_PASSWORD,
        },
    )
    with scope(municipality=municipality):
        token = ApiTokenFactory(municipality=municipality, staff_member=account)
    revoked = _page(client, "post", f"/beheer/api-sleutels/{token.pk}/intrekken/")
    with scopes_disabled():
        assert ApiToken.objects.filter(name="via de pagina").exists() == issued
        token.refresh_from_db()
    assert (token.revoked_at is not None) == revoked
    assert page == service == issued == revoked
    return service


def probe_api_token_own(user, municipality, client):
    """A key of one's own: the service, the page, issuing on it (with the
    password again) and revoking one's own key. A colleague's key is never
    found there (404 for whoever may use the page)."""
    with scope(municipality=municipality):
        own = StaffMember.objects.filter(user=user).first()
    # The platform admin has no access here: aim at someone's, it is refused anyway.
    target = own or _plain_staff(municipality)
    with scope(municipality=municipality):
        service = _service(
            lambda: api_token_create(
                actor=user,
                municipality=municipality,
                staff_member=target,
                name="eigen script",
                expires_at=timezone.now() + timedelta(days=1),
            )
        )
    page = _page(client, "get", "/mijn-api-sleutels/")
    issued = _page(
        client,
        "post",
        "/mijn-api-sleutels/",
        {"name": "via mijn pagina", "days": 30, "password": TEST_PASSWORD},
    )
    colleague = _plain_staff(municipality)
    with scope(municipality=municipality):
        token = ApiTokenFactory(municipality=municipality, staff_member=target)
        colleagues_token = ApiTokenFactory(municipality=municipality, staff_member=colleague)
    revoked = _page(client, "post", f"/mijn-api-sleutels/{token.pk}/intrekken/")
    not_found = client.post(f"/mijn-api-sleutels/{colleagues_token.pk}/intrekken/").status_code
    with scopes_disabled():
        made = ApiToken.objects.filter(name="via mijn pagina", staff_member=target).exists()
        token.refresh_from_db()
        colleagues_token.refresh_from_db()
    assert made == issued
    assert (token.revoked_at is not None) == revoked
    assert colleagues_token.revoked_at is None
    assert (not_found == 404) == page
    assert page == service == issued == revoked
    return service


def probe_municipality_create(user, municipality, client):
    allowed = _service(
        lambda: municipality_create(
            actor=user,
            name="Nieuwe gemeente",
            cbs_code="GM0999",
            admin_email="beheer@nieuw.test",
            admin_name="Beheer",
        )
    )
    with scopes_disabled():
        assert Municipality.objects.filter(cbs_code="GM0999").exists() == allowed
    admin_page = client.get("/platformbeheer/")
    assert (admin_page.status_code == 200) == allowed
    return allowed


def probe_platform_admin(user, municipality, client):
    response = client.get("/platformbeheer/teams/team/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def _own_team(user, municipality):
    """The first team `user` works in, or a new kernteam (for people without one)."""
    with scope(municipality=municipality):
        membership = Membership.objects.filter(staff_member__user=user).first()
        return membership.team if membership else TeamFactory(municipality=municipality)


def _join_if_shell(user, municipality, case):
    """A shell partner sees and works on a case of their team only once asked
    to join it: the probes of `case.view` and `case.work` ask first."""
    from apps.cases.models import CaseJoin

    with scope(municipality=municipality):
        staff = StaffMember.objects.filter(user=user, municipality=municipality).first()
        if (
            staff is not None
            and Membership.objects.filter(
                staff_member=staff, function=F.SHELL_PARTNER, team=case.team
            ).exists()
        ):
            CaseJoin.objects.create(
                municipality=municipality,
                case=case,
                staff_member=staff,
                asked_by=case.director,
                reason="Gevraagd",
            )


def probe_question_register(user, municipality, client):
    with scope(municipality=municipality):
        TeamFactory(municipality=municipality, kind=K.LOKET, name="Loket")
        domain = LifeDomainFactory(municipality=municipality)
    created = _page(
        client,
        "post",
        "/intake/vragen/nieuw/",
        {
            "surname": "Probe",
            "channel": "telephone",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "description": "Hulp gevraagd",
            "life_domains": [domain.pk],
        },
    )
    api = client.post(
        "/api/v1/questions/",
        {
            "resident_data": {"surname": "ProbeApi"},
            "channel": "telephone",
            "received_at": timezone.now().isoformat(),
            "description": "Hulp gevraagd",
            "life_domains": [domain.pk],
        },
        "application/json",
    )
    assert api.status_code in (201, 403), (api.status_code, api.content)
    with scope(municipality=municipality):
        assert Question.objects.filter(resident__surname="Probe").exists() == created
        assert Question.objects.filter(resident__surname="ProbeApi").exists() == created
    assert created == (api.status_code == 201)
    return created


def probe_question_view(user, municipality, client):
    team = _own_team(user, municipality)
    with scope(municipality=municipality):
        question = QuestionFactory(municipality=municipality, team=team)
    search = _page(client, "get", "/intake/inwoners/", {"q": question.resident.surname})
    detail = _page(client, "get", f"/intake/vragen/{question.pk}/")
    api_statuses = {
        client.get("/api/v1/residents/", {"q": question.resident.surname}).status_code,
        client.get(f"/api/v1/residents/{question.resident.pk}/").status_code,
        client.get("/api/v1/questions/").status_code,
        client.get(f"/api/v1/questions/{question.pk}/").status_code,
    }
    assert api_statuses in ({200}, {403}), api_statuses
    assert search == detail == (api_statuses == {200})
    return detail


def probe_question_handle(user, municipality, client):
    team = _own_team(user, municipality)
    with scope(municipality=municipality):
        question = QuestionFactory(municipality=municipality, team=team)
    taken = _page(
        client,
        "post",
        f"/intake/vragen/{question.pk}/oppakken/",
        {"version": question.version},
    )
    with scope(municipality=municipality):
        via_api = QuestionFactory(municipality=municipality, team=team)
    api = client.post(
        f"/api/v1/questions/{via_api.pk}/assign/", {"version": via_api.version}, "application/json"
    )
    assert api.status_code in (200, 403), (api.status_code, api.content)
    with scopes_disabled():
        question.refresh_from_db()
        via_api.refresh_from_db()
    assert (question.assigned_to_id is not None) == taken
    assert (via_api.assigned_to_id is not None) == (api.status_code == 200) == taken
    return taken


def probe_case_view(user, municipality, client):
    from apps.cases.selectors import visible_cases

    team = _own_team(user, municipality)
    with scope(municipality=municipality):
        case = CaseFactory(municipality=municipality, team=team)
        _join_if_shell(user, municipality, case)
        visible = visible_cases(user, municipality).filter(pk=case.pk).exists()
    listed = _page(client, "get", "/casussen/", {"scope": "all"})
    detail = _page(client, "get", f"/casussen/{case.pk}/")
    household = _page(client, "get", f"/intake/huishoudens/{case.household_id}/")
    assert listed == detail == household == visible
    api = {client.get(u).status_code for u in ("/api/v1/cases/", f"/api/v1/cases/{case.pk}/")}
    assert api == ({200} if visible else {403}), api
    return visible


def probe_case_work(user, municipality, client):
    from apps.cases.services import case_open

    team = _own_team(user, municipality)
    with scope(municipality=municipality):
        shell = Membership.objects.filter(
            staff_member__user=user, function=F.SHELL_PARTNER
        ).exists()
    if shell:
        # A shell partner starts no case: they work on the one they joined.
        with scope(municipality=municipality):
            question = QuestionFactory(municipality=municipality, team=team)
            assert _service(lambda: case_open(actor=user, question=question)) is False
            case = CaseFactory(municipality=municipality, team=team)
            _join_if_shell(user, municipality, case)
        recorded = _page(
            client,
            "post",
            f"/casussen/{case.pk}/activiteiten/nieuw/",
            {"kind": "contact", "date": timezone.localdate().isoformat(), "note": "Gebeld"},
        )
        with scopes_disabled():
            assert recorded == (case.activities.count() == 1)
        return recorded
    with scope(municipality=municipality):
        question = QuestionFactory(municipality=municipality, team=team)
        by_page = QuestionFactory(municipality=municipality, team=team)
        via_api = QuestionFactory(municipality=municipality, team=team)
        opened = _service(lambda: case_open(actor=user, question=question))
    page = _page(client, "post", f"/intake/vragen/{by_page.pk}/casus/")
    with scopes_disabled():
        by_page.refresh_from_db()
    assert (by_page.case_id is not None) == page == opened
    api = client.post("/api/v1/cases/", {"question": via_api.pk}, "application/json")
    assert api.status_code in (201, 403), (api.status_code, api.content)
    assert (api.status_code == 201) == opened
    if opened:  # and the work on the case that follows, through its page
        with scopes_disabled():
            case = by_page.case
        recorded = _page(
            client,
            "post",
            f"/casussen/{case.pk}/activiteiten/nieuw/",
            {"kind": "contact", "date": timezone.localdate().isoformat(), "note": "Gebeld"},
        )
        with scopes_disabled():
            assert recorded and case.activities.count() == 1
    return opened


def probe_proposal_decide(user, municipality, client):
    from apps.decisions.models import Decision
    from apps.decisions.services import proposal_decide

    with scope(municipality=municipality):
        proposal = ProposalFactory(
            municipality=municipality,
            status="submitted",
            application_date=timezone.localdate(),
            decision_deadline=timezone.localdate() + timedelta(weeks=2),
        )
        decided = _service(
            lambda: proposal_decide(actor=user, proposal=proposal, outcome="granted")
        )
        assert Decision.objects.filter(proposal=proposal).exists() == decided
        # The review page and its decide form, and the API (through the same service).
        offered, via_api = (
            ProposalFactory(
                municipality=municipality,
                status="submitted",
                submitted_at=timezone.now(),
                application_date=timezone.localdate(),
                decision_deadline=timezone.localdate() + timedelta(weeks=2),
            )
            for _ in range(2)
        )
    queue = _page(client, "get", "/loket/wachtrij/")
    review = _page(client, "get", f"/loket/voorstellen/{offered.pk}/")
    posted = _page(
        client,
        "post",
        f"/loket/voorstellen/{offered.pk}/",
        {"outcome": "granted", "version": offered.version},
    )
    api = client.post(
        f"/api/v1/proposals/{via_api.pk}/decide/",
        {"outcome": "granted", "version": via_api.version},
        "application/json",
    )
    assert api.status_code in (201, 403), (api.status_code, api.content)
    with scope(municipality=municipality):
        assert Decision.objects.filter(proposal=offered).exists() == posted
        assert Decision.objects.filter(proposal=via_api).exists() == (api.status_code == 201)
    assert decided == queue == review == posted == (api.status_code == 201)
    return decided


def probe_audit_log(user, municipality, client):
    with scope(municipality=municipality):
        resident = ResidentFactory(municipality=municipality)
    page = _page(client, "get", "/beheer/toegangslog/")
    export = _page(client, "get", "/beheer/toegangslog/export/")
    overview = _page(client, "get", f"/beheer/toegangslog/inwoner/{resident.pk}/")
    overview_csv = _page(client, "get", f"/beheer/toegangslog/inwoner/{resident.pk}/csv/")
    # Reading the log is logged; a refused attempt reads nothing and logs nothing.
    with scope(municipality=municipality):
        logged = AccessLogEntry.objects.filter(
            user=user, object_type="audit.accesslogentry"
        ).count()
    assert logged == (4 if page else 0)
    assert page == export == overview == overview_csv
    return page


def probe_report_view(user, municipality, client):
    from django.core.exceptions import PermissionDenied

    from apps.reporting import services as reporting
    from tests.factories import ReportFactory

    with scope(municipality=municipality):
        report = ReportFactory(municipality=municipality)
        try:
            reporting.report_request(
                actor=user, municipality=municipality, period_start="2015-01", period_end="2015-05"
            )
            service = True
        except PermissionDenied:
            service = False
    page = _page(client, "get", "/rapportages/")
    detail = _page(client, "get", f"/rapportages/{report.pk}/")
    download = _page(client, "get", f"/rapportages/{report.pk}/pdf/")
    requested = _page(
        client, "post", "/rapportages/", {"period_start": "2015-02", "period_end": "2015-03"}
    )
    api = client.post(
        "/api/v1/reports/", {"period_start": "2015-06", "period_end": "2015-07"}, "application/json"
    )
    assert api.status_code in (201, 403), (api.status_code, api.content)
    api_list = client.get("/api/v1/reports/").status_code
    assert api_list in (200, 403)
    assert service == page == detail == download == requested == (api.status_code == 201)
    assert (api_list == 200) == service
    return service


PROBES = {
    Action.START_VIEW: probe_start,
    Action.ORGANISATION_VIEW: probe_organisation,
    Action.CONFIGURATION_MANAGE: probe_configuration,
    Action.STAFF_MANAGE: probe_staff,
    Action.TWO_FACTOR_RESET: probe_two_factor_reset,
    Action.API_TOKEN_MANAGE: probe_api_token,
    Action.API_TOKEN_OWN: probe_api_token_own,
    Action.QUESTION_REGISTER: probe_question_register,
    Action.QUESTION_VIEW: probe_question_view,
    Action.QUESTION_HANDLE: probe_question_handle,
    Action.CASE_VIEW: probe_case_view,
    Action.CASE_WORK: probe_case_work,
    Action.PROPOSAL_DECIDE: probe_proposal_decide,
    Action.AUDIT_LOG_VIEW: probe_audit_log,
    Action.REPORT_VIEW: probe_report_view,
    Action.MUNICIPALITY_CREATE: probe_municipality_create,
    Action.PLATFORM_ADMIN: probe_platform_admin,
}


def test_every_action_has_a_probe():
    assert set(PROBES) == set(Action)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
def test_permission_table_cell(municipality, client, role, action):
    user = person_with(role, municipality)
    client.force_login(user)
    expected = bool(PEOPLE[role][1] & ROLE_ACTIONS[action])
    assert PROBES[action](user, municipality, client) is expected


# --- the second table: object rule -> function ----------------------------------------


def documented_object_rules() -> set[str]:
    """The dotted names in the "Object rules" table of docs/permissions.md."""
    lines = DOC.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| object rule | function |"))
    names = set()
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        names.update(re.findall(r"`([\w.]+)`", cells[1]))
    return names


def _resolve(dotted: str):
    import importlib

    module_name, _, attribute = dotted.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute, None)


def test_every_documented_object_rule_exists():
    names = documented_object_rules()
    assert names, "the Object rules table is missing from docs/permissions.md"
    missing = sorted(name for name in names if not callable(_resolve(name)))
    assert missing == []


def test_every_object_rule_of_apps_access_is_documented():
    import inspect

    from apps.access import rules

    public = {
        f"apps.access.rules.{name}"
        for name, value in vars(rules).items()
        if not name.startswith("_")
        and inspect.isfunction(value)
        and value.__module__ == rules.__name__
    }
    assert public - documented_object_rules() == set()
