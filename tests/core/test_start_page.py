"""The start page per role ("what should I do now") and the counts in the menu."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from apps.audit.models import AccessLogEntry
from apps.cases.models import Case
from apps.decisions.models import Proposal
from apps.intake.counts import questions_changed
from apps.intake.models import Question
from apps.portal.start import residents_shown
from apps.reporting.models import Report
from apps.teams.models import Membership, Team
from apps.tenants.models import StaffMember
from tests.conftest import make_person, residents_shown_by
from tests.factories import (
    CaseFactory,
    FollowUpFactory,
    ProposalFactory,
    QuestionFactory,
    ReportFactory,
    ResidentFactory,
    TeamFactory,
)

F, K = Membership.Function, Team.Kind
START = "/"


def staff(user, municipality):
    with scope(municipality=municipality):
        return StaffMember.objects.get(user=user, municipality=municipality)


def build_town(municipality, prefix=""):
    """A loket and a kernteam, with a person for each role."""
    with scope(municipality=municipality):
        loket = TeamFactory(municipality=municipality, kind=K.LOKET, name=f"{prefix}Loket")
        kernteam = TeamFactory(municipality=municipality, kind=K.KERNTEAM, name=f"{prefix}Elst")
    return {
        "m": municipality,
        "loket": loket,
        "kernteam": kernteam,
        "clarifier": make_person(municipality, memberships=[(loket, F.GATE_CLARIFIER)]),
        "consultant": make_person(municipality, memberships=[(loket, F.CONSULTANT)]),
        "member": make_person(municipality, memberships=[(kernteam, F.TEAM_MEMBER)]),
        "coordinator": make_person(municipality, memberships=[(kernteam, F.COORDINATOR)]),
        "policy": make_person(municipality, policy=True),
        "admin": make_person(municipality, admin=True),
    }


def fill(town, n=1, prefix=""):
    """`n` of everything each block shows: new questions at the loket (registered
    by the clarifier) and at the kernteam, cases the member directs with a due
    check-in, a returned proposal, submitted proposals (one overdue), reports."""
    m, today = town["m"], timezone.localdate()
    member = staff(town["member"], m)
    clarifier = staff(town["clarifier"], m)
    with scope(municipality=m):
        for i in range(n):
            QuestionFactory(
                municipality=m,
                team=town["loket"],
                received_by=clarifier,
                resident=ResidentFactory(municipality=m, surname=f"{prefix}Gate{i}"),
            )
            QuestionFactory(
                municipality=m,
                team=town["kernteam"],
                resident=ResidentFactory(municipality=m, surname=f"{prefix}Waiting{i}"),
            )
            case = CaseFactory(
                municipality=m, team=town["kernteam"], director=member, title=f"{prefix}Case{i}"
            )
            FollowUpFactory(municipality=m, case=case, due_on=today - timedelta(days=1))
            ProposalFactory(
                municipality=m,
                case=case,
                status=Proposal.Status.RETURNED,
                returned_at=timezone.now(),
            )
            ProposalFactory(
                municipality=m,
                case=case,
                status=Proposal.Status.SUBMITTED,
                submitted_at=timezone.now(),
                decision_deadline=today + timedelta(days=5 + i),
            )
            ReportFactory(
                municipality=m, status=Report.Status.QUEUED if i == 0 and not prefix else "ready"
            )
        overdue_case = CaseFactory(
            municipality=m, team=town["kernteam"], director=member, title=f"{prefix}Overdue"
        )
        ProposalFactory(
            municipality=m,
            case=overdue_case,
            status=Proposal.Status.SUBMITTED,
            submitted_at=timezone.now(),
            decision_deadline=today - timedelta(days=2),
        )


@pytest.fixture
def town(municipality):
    return build_town(municipality)


@pytest.fixture
def other_town(other_municipality):
    town = build_town(other_municipality, prefix="Other")
    fill(town, prefix="Other")
    return town


def page(client, user):
    client.force_login(user)
    response = client.get(START)
    assert response.status_code == 200
    return response


def test_gate_clarifier_sees_the_new_questions_waiting_at_their_gate(town, other_town, client):
    fill(town)
    with scope(municipality=town["m"]):
        taken = QuestionFactory(
            municipality=town["m"],
            team=town["loket"],
            status=Question.Status.IN_PROGRESS,
            resident=ResidentFactory(municipality=town["m"], surname="Taken"),
        )
    response = page(client, town["clarifier"])
    rows = response.context["blocks"]["gate"].rows
    assert [q.resident.surname for q in rows] == ["Gate0"]
    html = response.content.decode()
    assert 'id="gate-heading"' in html and "Gate0" in html
    assert "Taken" not in html and "Other" not in html and taken not in rows
    # The gate clarifier does no case work, decides nothing and sees no reports.
    assert set(response.context["blocks"]) == {"gate"}


def test_team_member_sees_their_cases_due_check_ins_and_returned_proposals(
    town, other_town, client
):
    fill(town, n=2)
    with scope(municipality=town["m"]):
        # Someone else's case in another team: not theirs.
        CaseFactory(municipality=town["m"], title="Colleague's")
    response = page(client, town["member"])
    block = response.context["blocks"]["team_member"]
    assert {c.title for c in block["cases"].rows} == {"Case0", "Case1", "Overdue"}
    assert len(block["follow_ups"].rows) == 2
    assert all(p.status == Proposal.Status.RETURNED for p in block["returned"].rows)
    assert len(block["returned"].rows) == 2
    html = response.content.decode()
    assert "Colleague" not in html and "Other" not in html
    assert "te laat" in html  # the check-in was due yesterday
    assert "loket" not in response.context["blocks"]
    assert "gate" not in response.context["blocks"]


def test_empty_blocks_say_so(town, client):
    html = page(client, town["member"]).content.decode()
    assert "U bent van geen open casus de regisseur." in html
    assert "Er zijn geen vervolgcontacten aan de beurt." in html
    assert "Het loket heeft geen voorstellen van u teruggestuurd." in html
    html = page(client, town["consultant"]).content.decode()
    assert "Er liggen geen voorstellen bij het loket." in html
    html = page(client, town["policy"]).content.decode()
    assert "Er zijn nog geen rapportages." in html


def test_loket_sees_the_review_queue_overdue_first(town, other_town, client):
    fill(town, n=3)
    response = page(client, town["consultant"])
    block = response.context["blocks"]["loket"]
    deadlines = [p.decision_deadline for p in block["rows"]]
    assert deadlines == sorted(deadlines) and len(deadlines) == 4
    assert deadlines[0] < timezone.localdate()
    assert block["submitted"] == 4 and block["overdue"] == 1
    html = response.content.decode()
    section = html.split('id="review-heading"')[1].split("</section>")[0]
    assert "2 dagen te laat" in section
    assert section.index("te laat") < section.index("nog 5 dagen")
    assert "Other" not in html
    assert reverse("decisions:queue") in section


def test_loket_block_shows_at_most_ten_and_links_to_the_queue(town, client):
    fill(town, n=12)
    response = page(client, town["consultant"])
    block = response.context["blocks"]["loket"]
    assert len(block["rows"]) == 10 and block["more"] and block["submitted"] == 13
    assert "De hele wachtrij (hier de eerste 10)" in response.content.decode()


def test_coordinator_sees_the_caseload_per_member_and_unassigned_questions(
    town, other_town, client
):
    fill(town, n=2)
    with scope(municipality=town["m"]):
        Case.objects.filter(title="Case1").update(status=Case.Status.CLOSED)
    response = page(client, town["coordinator"])
    block = response.context["blocks"]["coordinator"]
    load = {r["staff_member__user__full_name"]: r["open_cases"] for r in block["caseload"]}
    member = town["member"].full_name
    assert load == {member: 2, town["coordinator"].full_name: 0}
    assert [q.resident.surname for q in block["unassigned"].rows] == ["Waiting0", "Waiting1"]
    html = response.content.decode()
    assert "Other" not in html and "Gate0" not in html
    # A coordinator works in the team too.
    assert "team_member" in response.context["blocks"]


def test_policy_advisor_sees_the_latest_reports_with_status(town, other_town, client):
    fill(town, n=2)
    response = page(client, town["policy"])
    rows = response.context["blocks"]["policy"].rows
    assert len(rows) == 2 and all(r.municipality_id == town["m"].pk for r in rows)
    html = response.content.decode()
    assert reverse("reporting:detail", args=[rows[0].pk]) in html
    assert "in de wachtrij" in html and "klaar" in html
    assert set(response.context["blocks"]) == {"policy"}


def test_admin_sees_links_to_the_configuration(town, client):
    html = page(client, town["admin"]).content.decode()
    section = html.split('id="config-heading"')[1].split("</section>")[0]
    for name in (
        "teams:config_home",
        "teams:team_config_list",
        "intake_config:triage_list",
        "decisions:provision_type_list",
    ):
        assert reverse(name) in section
    assert 'id="config-heading"' not in page(client, town["member"]).content.decode()


def test_a_person_with_several_roles_sees_each_block(town, client):
    everything = make_person(
        town["m"],
        admin=True,
        policy=True,
        memberships=[
            (town["loket"], F.GATE_CLARIFIER),
            (town["loket"], F.CONSULTANT),
            (town["kernteam"], F.COORDINATOR),
        ],
    )
    response = page(client, everything)
    assert set(response.context["blocks"]) == {
        "gate",
        "team_member",
        "loket",
        "coordinator",
        "policy",
        "admin",
    }
    html = response.content.decode()
    for heading in ("gate", "work", "review", "caseload", "reports-start", "config"):
        assert f'id="{heading}-heading"' in html


def nav_item(html, label):
    match = re.search(rf">{label}(?: \((\d+)<span[^>]*> [^<]*</span>\))?</a>", html)
    assert match, label
    return int(match.group(1)) if match.group(1) else 0


def test_navigation_counts_new_questions_and_the_review_queue(town, other_town, client):
    fill(town, n=3)
    html = page(client, town["consultant"]).content.decode()
    assert nav_item(html, "Wachtrij loket") == 4
    # The consultant's own team is the loket: three new questions there.
    assert nav_item(html, "Inbox") == 3
    html = page(client, town["member"]).content.decode()
    assert nav_item(html, "Inbox") == 3  # at the kernteam
    assert "Wachtrij loket" not in html
    html = page(client, town["policy"]).content.decode()
    assert "Inbox" not in html and "Wachtrij loket" not in html


def test_navigation_without_anything_new_shows_no_count(town, client):
    html = page(client, town["consultant"]).content.decode()
    assert nav_item(html, "Wachtrij loket") == 0 and nav_item(html, "Inbox") == 0


def test_start_page_logs_one_read_naming_the_residents_it_shows(town, client):
    """As the lists it links to: one entry per page view, naming the residents
    in its blocks, so the overview for a resident finds it."""
    fill(town, n=2)
    for role in ("clarifier", "member", "consultant", "coordinator"):
        response = page(client, town[role])
        with scope(municipality=town["m"]):
            entries = list(AccessLogEntry.objects.filter(user=town[role]))
        shown = residents_shown(response.context["blocks"])
        assert shown, role
        [entry] = entries
        assert entry.object_type == "core.start" and entry.action == AccessLogEntry.Action.VIEW
        assert sorted(residents_shown_by(entry)) == sorted(shown)


def test_start_page_queries_do_not_grow_with_data(
    town, client, django_assert_num_queries, django_assert_max_num_queries
):
    everything = make_person(
        town["m"],
        admin=True,
        policy=True,
        memberships=[
            (town["loket"], F.GATE_CLARIFIER),
            (town["loket"], F.CONSULTANT),
            (town["kernteam"], F.COORDINATOR),
        ],
    )
    fill(town, n=1)
    client.force_login(everything)
    client.get(START)
    # Both measured views count (the counts are cached until the questions
    # change, apps/intake/counts.py, and `fill` changes them).
    questions_changed(town["m"].pk)
    with django_assert_max_num_queries(80) as small:
        client.get(START)
    fill(town, n=15, prefix="More")
    for _ in range(3):
        make_person(town["m"], memberships=[(town["kernteam"], F.TEAM_MEMBER)])
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(START)
    assert response.context["blocks"]["loket"]["more"]


@pytest.mark.parametrize(("role", "most"), [("member", 19), ("consultant", 20)])
def test_start_page_of_a_member_and_a_loket_consultant_has_a_fixed_number_of_queries(
    town, client, role, most, django_assert_max_num_queries
):
    """Issue #18: the start page's counts are grouped queries (one per block or
    fewer), and the question counts are not made again on the next view."""
    fill(town, n=2)
    client.force_login(town[role])
    client.get(START)
    questions_changed(town["m"].pk)
    with django_assert_max_num_queries(most) as counted:
        client.get(START)
    with django_assert_max_num_queries(len(counted.captured_queries) - 1) as cached:
        client.get(START)
    fill(town, n=10, prefix="More")
    with django_assert_max_num_queries(len(counted.captured_queries)):
        response = client.get(START)
    assert response.status_code == 200
    # Only the menu's count of new questions counts again, not the summary.
    questions = [q["sql"] for q in cached.captured_queries if "intake_question" in q["sql"]]
    assert [sql for sql in questions if "COUNT(" in sql and "FILTER" not in sql] == [
        sql for sql in questions if "COUNT(" in sql
    ], questions
    assert not [sql for sql in questions if "FILTER" in sql]


def test_the_start_page_counts_show_ones_own_change_on_the_next_view(town, client):
    fill(town, n=3)
    client.force_login(town["member"])
    [before] = client.get(START).context["inbox_summary"]
    assert (before["new"], before["mine"]) == (3, 0)
    with scope(municipality=town["m"]):
        question = Question.objects.filter(team=town["kernteam"]).first()
        question.assigned_to = staff(town["member"], town["m"])
        question.status = Question.Status.IN_PROGRESS
        question.save()
    [after] = client.get(START).context["inbox_summary"]
    assert (after["new"], after["mine"]) == (2, 1)
