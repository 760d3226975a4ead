"""The team side of cases: the list, a case and its forms, the support plan,
voorwerk and the household page, through the pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from apps.audit.models import AccessLogEntry
from apps.cases import services as cases
from apps.cases.models import (
    Activity,
    Assessment,
    Case,
    CaseUserObjectPermission,
    DirectorChange,
    FollowUp,
    Goal,
    Solution,
    SupportPlan,
)
from apps.decisions import services as decisions
from apps.decisions.models import Proposal
from apps.intake.models import Question
from apps.teams.models import Membership, Team
from apps.tenants.models import StaffMember
from tests.conftest import make_person, residents_shown_by
from tests.factories import (
    ActivityFactory,
    AssessmentFactory,
    AssessmentScoreFactory,
    CaseFactory,
    DecisionFactory,
    DecisionLetterFactory,
    LifeDomainFactory,
    ProposalFactory,
    ProvisionFactory,
    ProvisionTypeFactory,
    QuestionFactory,
    ResidentFactory,
    TeamFactory,
)

F = Membership.Function


def staff_of(user, municipality):
    with scopes_disabled():
        return StaffMember.objects.get(user=user, municipality=municipality)


@pytest.fixture
def world(municipality):
    with scope(municipality=municipality):
        loket = TeamFactory(municipality=municipality, kind=Team.Kind.LOKET, name="Loket")
        kernteam = TeamFactory(municipality=municipality, kind=Team.Kind.KERNTEAM, name="Elst")
        other_team = TeamFactory(municipality=municipality, kind=Team.Kind.KERNTEAM, name="Driel")
    member = make_person(municipality, memberships=[(kernteam, F.TEAM_MEMBER)])
    colleague = make_person(municipality, memberships=[(kernteam, F.CASE_DIRECTOR)])
    coordinator = make_person(municipality, memberships=[(kernteam, F.COORDINATOR)])
    outsider = make_person(municipality, memberships=[(other_team, F.TEAM_MEMBER)])
    expert = make_person(municipality, memberships=[(kernteam, F.BEHAVIOURAL_EXPERT)])
    consultant = make_person(municipality, memberships=[(loket, F.CONSULTANT)])
    with scope(municipality=municipality):
        kernteam.linked_loket_consultant = staff_of(consultant, municipality)
        kernteam.save()
        resident = ResidentFactory(municipality=municipality, first_names="Anna", surname="Visser")
        question = QuestionFactory(
            municipality=municipality, resident=resident, team=kernteam, laws=["wmo"]
        )
        domains = [
            LifeDomainFactory(municipality=municipality, name=name)
            for name in ("Financiën", "Huisvesting", "Sociaal netwerk")
        ]
        provision_type = ProvisionTypeFactory(
            municipality=municipality, name="Hulp bij het huishouden", law="wmo"
        )
        case = cases.case_open(actor=member, question=question)
    return {
        "loket": loket,
        "kernteam": kernteam,
        "member": member,
        "colleague": colleague,
        "coordinator": coordinator,
        "outsider": outsider,
        "expert": expert,
        "consultant": consultant,
        "question": question,
        "domains": domains,
        "provision_type": provision_type,
        "case": case,
        "municipality": municipality,
    }


def fresh(obj):
    with scopes_disabled():
        return type(obj).objects.get(pk=obj.pk)


def mun(client, municipality):
    return {"_municipality": municipality.pk}


# --- opening a case ------------------------------------------------------------------


def test_a_team_member_starts_a_case_from_a_question_and_directs_it(client, municipality, world):
    with scope(municipality=municipality):
        question = QuestionFactory(municipality=municipality, team=world["kernteam"])
    client.force_login(world["colleague"])
    page = client.get(reverse("intake:question_detail", args=[question.pk]))
    assert "Casus starten" in page.content.decode()
    response = client.post(reverse("cases:open", args=[question.pk]))
    with scopes_disabled():
        case = Question.objects.get(pk=question.pk).case
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:detail", args=[case.pk]
    )
    assert case.director.user == world["colleague"]
    page = client.get(reverse("intake:question_detail", args=[question.pk])).content.decode()
    assert "Casus starten" not in page
    assert reverse("cases:detail", args=[case.pk]) in page


def test_a_member_of_another_team_cannot_start_a_case(client, municipality, world):
    with scope(municipality=municipality):
        question = QuestionFactory(municipality=municipality, team=world["kernteam"])
    client.force_login(world["outsider"])
    assert client.post(reverse("cases:open", args=[question.pk])).status_code in (403, 404)
    assert fresh(question).case_id is None


def test_another_question_of_the_household_is_added_to_the_case(client, municipality, world):
    case = world["case"]
    with scope(municipality=municipality):
        other = QuestionFactory(
            municipality=municipality, resident=case.resident, team=world["kernteam"]
        )
    client.force_login(world["member"])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    add_url = reverse("cases:add_question", args=[case.pk, other.pk])
    assert add_url in page
    assert client.post(add_url).status_code == 302
    assert fresh(other).case_id == case.pk


# --- the list --------------------------------------------------------------------------


def test_my_cases_and_the_team_caseload(client, municipality, world):
    with scope(municipality=municipality):
        theirs = CaseFactory(
            municipality=municipality,
            team=world["kernteam"],
            director=staff_of(world["colleague"], municipality),
        )
        elsewhere = CaseFactory(
            municipality=municipality, team=TeamFactory(municipality=municipality)
        )
    client.force_login(world["member"])
    mine = client.get(reverse("cases:list"))
    assert mine.status_code == 200
    assert {c.pk for c in mine.context["cases"]} == {world["case"].pk}
    everything = client.get(reverse("cases:list"), {"scope": "all"})
    assert {c.pk for c in everything.context["cases"]} == {world["case"].pk, theirs.pk}
    assert elsewhere.pk not in {c.pk for c in everything.context["cases"]}
    search = client.get(reverse("cases:list"), {"scope": "all", "q": "Visser"})
    assert [c.pk for c in search.context["cases"]] == [world["case"].pk]


def test_a_coordinator_sees_the_whole_caseload_of_the_team(client, municipality, world):
    client.force_login(world["coordinator"])
    response = client.get(reverse("cases:list"), {"scope": "all"})
    assert world["case"].pk in {c.pk for c in response.context["cases"]}


def test_the_case_list_filters_by_team_and_status(client, municipality, world):
    client.force_login(world["member"])
    response = client.get(
        reverse("cases:list"), {"scope": "all", "team": world["kernteam"].pk, "status": "closed"}
    )
    assert response.context["cases"] == []
    response = client.get(reverse("cases:list"), {"scope": "all", "status": "open"})
    assert [c.pk for c in response.context["cases"]] == [world["case"].pk]


def test_the_case_list_uses_a_fixed_number_of_queries(
    client, municipality, world, django_assert_max_num_queries
):
    client.force_login(world["member"])
    member_staff = staff_of(world["member"], municipality)

    def add(n):
        with scope(municipality=municipality):
            for _ in range(n):
                case = CaseFactory(
                    municipality=municipality, team=world["kernteam"], director=member_staff
                )
                FollowUp.objects.create(
                    municipality=municipality, case=case, due_on=timezone.localdate()
                )

    add(2)
    client.get(reverse("cases:list"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("cases:list"), {"scope": "all"})
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("cases:list"), {"scope": "all"})
    assert len(response.context["cases"]) == 23


def test_due_follow_ups_show_on_the_list(client, municipality, world):
    case = world["case"]
    with scope(municipality=municipality):
        due = FollowUp.objects.create(
            municipality=municipality, case=case, due_on=timezone.localdate() - timedelta(days=1)
        )
        FollowUp.objects.create(
            municipality=municipality, case=case, due_on=timezone.localdate() + timedelta(days=9)
        )
    client.force_login(world["colleague"])  # the team's, not the director
    response = client.get(reverse("cases:list"))
    assert [f.pk for f in response.context["follow_ups"]] == [due.pk]


def test_without_case_view_the_list_is_forbidden(client, municipality):
    client.force_login(make_person(municipality, policy=True))
    assert client.get(reverse("cases:list")).status_code == 403


# --- the case page -------------------------------------------------------------------


def test_the_case_page_shows_everything_and_logs_the_read(client, municipality, world):
    case = world["case"]
    member_staff = staff_of(world["member"], municipality)
    consultant_staff = staff_of(world["consultant"], municipality)
    today = timezone.localdate()
    with scope(municipality=municipality):
        visit = cases.activity_record(
            actor=world["member"],
            case=case,
            kind=Activity.Kind.HOME_VISIT,
            date=today,
            participants=[member_staff, consultant_staff],
            note="Samen op bezoek.",
        )
        d1, d2, _ = world["domains"]
        cases.assessment_record(
            actor=world["member"],
            case=case,
            assessed_on=today - timedelta(days=30),
            scores={d1: 2, d2: 3},
        )
        cases.assessment_record(
            actor=world["member"], case=case, assessed_on=today, scores={d1: 4, d2: 2}
        )
        proposal = ProposalFactory(
            municipality=municipality,
            case=case,
            provision_type=world["provision_type"],
            status="decided",
        )
        decision = DecisionFactory(municipality=municipality, proposal=proposal)
        DecisionLetterFactory(municipality=municipality, decision=decision)
    assert visit.is_joint
    client.force_login(world["member"])
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "gezamenlijk huisbezoek" in page
    zrm = {row["domain"].name: row["change"] for row in response.context["zrm"]}
    assert zrm == {"Financiën": 2, "Huisvesting": -1}
    assert "↑ +2" in page and "↓ -1" in page
    assert reverse("decisions:detail", args=[decision.pk]) in page
    assert reverse("decisions:letter", args=[decision.pk]) in page
    assert reverse("cases:household", args=[case.household_id]) in page
    with scope(municipality=municipality):
        entry = AccessLogEntry.objects.filter(
            user=world["member"], action="view", object_type="cases.case", object_id=str(case.pk)
        ).get()
    assert entry.resident_id == case.resident_id


def test_the_case_page_names_every_resident_it_shows_in_its_log_entry(client, municipality, world):
    # The household's members are on the page (name, date of birth): each one's
    # own overview must show that the case page showed them.
    case = world["case"]
    with scope(municipality=municipality):
        partner = ResidentFactory(
            municipality=municipality, household=case.household, surname="Partnerman"
        )
    client.force_login(world["member"])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Partnerman" in page
    with scope(municipality=municipality):
        entry = AccessLogEntry.objects.get(
            user=world["member"], action="view", object_type="cases.case"
        )
    assert set(residents_shown_by(entry)) == {case.resident_id, partner.pk}


def test_reopening_a_case_without_the_version_read_is_refused(client, municipality, world):
    case = world["case"]
    with scope(municipality=municipality):
        cases.case_close(actor=world["member"], case=case, note="Klaar")
    client.force_login(world["member"])
    page = client.post(reverse("cases:reopen", args=[case.pk]), follow=True)
    assert "mist de versie" in page.content.decode()
    assert fresh(case).status == "closed"


def test_the_case_page_uses_a_fixed_number_of_queries(
    client, municipality, world, django_assert_max_num_queries
):
    case = world["case"]
    client.force_login(world["member"])

    def add(n):
        with scope(municipality=municipality):
            for _ in range(n):
                activity = ActivityFactory(municipality=municipality, case=case)
                activity.participants.set([case.director])
                score = AssessmentScoreFactory(
                    municipality=municipality,
                    assessment=AssessmentFactory(municipality=municipality, case=case),
                    life_domain=world["domains"][0],
                )
                assert score
                proposal = ProposalFactory(municipality=municipality, case=case, status="decided")
                DecisionLetterFactory(
                    municipality=municipality,
                    decision=DecisionFactory(municipality=municipality, proposal=proposal),
                )
                FollowUp.objects.create(
                    municipality=municipality, case=case, due_on=timezone.localdate()
                )
                DirectorChange.objects.create(
                    municipality=municipality,
                    case=case,
                    to_director=case.director,
                    by=case.director,
                )

    add(1)
    url = reverse("cases:detail", args=[case.pk])
    client.get(url)
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_case_of_another_municipality_is_not_found(
    client, municipality, other_municipality, world
):
    with scope(municipality=other_municipality):
        theirs = CaseFactory(municipality=other_municipality)
    client.force_login(world["member"])
    assert client.get(reverse("cases:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("cases:plan", args=[theirs.pk])).status_code == 404


def test_a_member_of_another_team_does_not_find_the_case(client, world):
    client.force_login(world["outsider"])
    assert client.get(reverse("cases:detail", args=[world["case"].pk])).status_code == 404


def test_a_policy_advisor_never_sees_a_case(client, municipality, world):
    client.force_login(make_person(municipality, policy=True))
    for url in (
        reverse("cases:detail", args=[world["case"].pk]),
        reverse("cases:plan", args=[world["case"].pk]),
        reverse("cases:household", args=[world["case"].household_id]),
    ):
        assert client.get(url).status_code == 403


def test_a_behavioural_expert_reads_but_cannot_post(client, municipality, world):
    case = world["case"]
    client.force_login(world["expert"])
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200
    assert reverse("cases:activity_create", args=[case.pk]) not in page.content.decode()
    response = client.post(
        reverse("cases:activity_create", args=[case.pk]),
        {"kind": "contact", "date": timezone.localdate().isoformat(), "note": "x"},
    )
    assert response.status_code == 403
    with scopes_disabled():
        assert not Activity.objects.filter(case=case).exists()


def test_a_shared_colleague_reads_the_case_until_the_share_is_revoked(client, municipality, world):
    case = world["case"]
    outsider_staff = staff_of(world["outsider"], municipality)
    client.force_login(world["member"])
    response = client.post(
        reverse("cases:share", args=[case.pk]),
        {"staff_member": outsider_staff.pk, "reason": "Kent de familie"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        grant = CaseUserObjectPermission.objects.get(content_object=case)
    client.force_login(world["outsider"])
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    # Shared to read: no work on it.
    assert client.post(reverse("cases:plan_start", args=[case.pk])).status_code == 403
    client.force_login(world["member"])
    assert (
        client.post(reverse("cases:unshare", args=[case.pk]), {"grant": grant.pk}).status_code
        == 302
    )
    client.force_login(world["outsider"])
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_sharing_needs_a_reason_and_only_the_director_or_coordinator_shares(
    client, municipality, world
):
    case = world["case"]
    outsider_staff = staff_of(world["outsider"], municipality)
    client.force_login(world["member"])
    response = client.post(
        reverse("cases:share", args=[case.pk]), {"staff_member": outsider_staff.pk, "reason": ""}
    )
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    client.force_login(world["colleague"])
    response = client.post(
        reverse("cases:share", args=[case.pk]),
        {"staff_member": outsider_staff.pk, "reason": "Kent de familie"},
    )
    assert response.status_code == 403
    with scopes_disabled():
        assert not CaseUserObjectPermission.objects.exists()


# --- forms on the case -----------------------------------------------------------------


def test_the_title_is_saved_and_a_stale_version_is_refused_by_name(client, municipality, world):
    case = world["case"]
    client.force_login(world["member"])
    url = reverse("cases:title", args=[case.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "Schulden", "version": case.version}).status_code == 302
    assert fresh(case).title == "Schulden"
    response = client.post(url, {"title": "Overschreven", "version": case.version})
    assert response.status_code == 200
    assert "heeft dit intussen gewijzigd" in response.content.decode()
    assert fresh(case).title == "Schulden"


def test_the_direction_is_handed_to_a_colleague_of_the_team(client, municipality, world):
    case = world["case"]
    colleague = staff_of(world["colleague"], municipality)
    outsider = staff_of(world["outsider"], municipality)
    client.force_login(world["member"])
    url = reverse("cases:hand_over", args=[case.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"to_director": outsider.pk, "reason": "x", "version": case.version})
    assert bad.status_code == 200 and bad.context["form"].errors["to_director"]
    assert fresh(case).director_id != outsider.pk
    response = client.post(
        url, {"to_director": colleague.pk, "reason": "Vakantie", "version": case.version}
    )
    assert response.status_code == 302
    assert fresh(case).director_id == colleague.pk
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Vakantie" in page


def test_an_activity_is_recorded_and_bad_input_saves_nothing(client, municipality, world):
    case = world["case"]
    member_staff = staff_of(world["member"], municipality)
    consultant_staff = staff_of(world["consultant"], municipality)
    client.force_login(world["member"])
    url = reverse("cases:activity_create", args=[case.pk])
    form_page = client.get(url).content.decode()
    assert "Loket (consulent" in form_page  # the team and function of each colleague
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    bad = client.post(
        url, {"kind": "home_visit", "date": future, "participants": [member_staff.pk]}
    )
    assert bad.status_code == 200 and bad.context["form"].errors["date"]
    assert "Controleer de invoer" in bad.content.decode()
    bad = client.post(url, {"kind": "", "date": timezone.localdate().isoformat()})
    assert bad.context["form"].errors["kind"]
    with scopes_disabled():
        assert not Activity.objects.filter(case=case).exists()
    response = client.post(
        url,
        {
            "kind": "home_visit",
            "date": timezone.localdate().isoformat(),
            "participants": [member_staff.pk, consultant_staff.pk],
            "other_participants": "de dochter",
            "note": "Keukentafel",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        activity = Activity.objects.get(case=case)
        assert set(activity.participants.all()) == {member_staff, consultant_staff}
    assert activity.is_joint and activity.other_participants == "de dochter"


def test_a_zrm_assessment_is_recorded_and_bad_scores_save_nothing(client, municipality, world):
    case = world["case"]
    d1, d2, d3 = world["domains"]
    client.force_login(world["member"])
    url = reverse("cases:assessment", args=[case.pk])
    assert "Financiën" in client.get(url).content.decode()
    today = timezone.localdate().isoformat()
    bad = client.post(url, {"assessed_on": today, f"score_{d1.pk}": "7"})
    assert bad.status_code == 200 and bad.context["form"].errors[f"score_{d1.pk}"]
    empty = client.post(url, {"assessed_on": today})
    assert empty.status_code == 200 and empty.context["form"].non_field_errors()
    with scopes_disabled():
        assert not Assessment.objects.filter(case=case).exists()
    response = client.post(
        url, {"assessed_on": today, f"score_{d1.pk}": "2", f"score_{d2.pk}": "5"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        assessment = Assessment.objects.get(case=case)
        assert {s.life_domain_id: s.score for s in assessment.scores.all()} == {d1.pk: 2, d2.pk: 5}


def test_the_support_plan_is_written_agreed_and_versioned(client, municipality, world):
    case = world["case"]
    d1 = world["domains"][0]
    client.force_login(world["member"])
    plan_url = reverse("cases:plan", args=[case.pk])
    assert "Plan beginnen" in client.get(plan_url).content.decode()
    client.post(reverse("cases:plan_start", args=[case.pk]))
    with scopes_disabled():
        plan = SupportPlan.objects.get(case=case)
    assert fresh(case).status == Case.Status.PLAN
    r = client.post(
        reverse("cases:plan_summary", args=[plan.pk]), {"summary": "Rust", "version": plan.version}
    )
    assert r.status_code == 302
    plan = fresh(plan)
    r = client.post(
        reverse("cases:goal_add", args=[plan.pk]),
        {"life_domain": d1.pk, "description": "Schuldenvrij", "version": plan.version},
    )
    assert r.status_code == 302
    plan = fresh(plan)
    with scopes_disabled():
        goal = Goal.objects.get(plan=plan)
    for level, text in ((5, "Schuldhulp"), (1, "Zelf budgetteren")):
        r = client.post(
            reverse("cases:solution_add", args=[goal.pk]),
            {"level": level, "description": text, "version": fresh(plan).version},
        )
        assert r.status_code == 302
    page = client.get(plan_url).content.decode()
    # Own strength before an individual provision.
    assert page.index("Zelf budgetteren") < page.index("Schuldhulp")
    bad = client.post(
        reverse("cases:solution_add", args=[goal.pk]),
        {"level": "", "description": "", "version": fresh(plan).version},
    )
    assert bad.status_code == 200 and {"level", "description"} <= set(bad.context["form"].errors)
    stale = client.post(
        reverse("cases:goal_add", args=[plan.pk]),
        {"life_domain": d1.pk, "description": "Oud", "version": plan.version},
    )
    assert "heeft dit intussen gewijzigd" in stale.content.decode()
    plan = fresh(plan)
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    bad = client.post(
        reverse("cases:plan_agree", args=[plan.pk]), {"agreed_on": future, "version": plan.version}
    )
    assert bad.context["form"].errors["agreed_on"]
    r = client.post(
        reverse("cases:plan_agree", args=[plan.pk]),
        {"agreed_on": timezone.localdate().isoformat(), "version": plan.version},
    )
    assert r.status_code == 302 and fresh(plan).status == SupportPlan.Status.AGREED
    client.post(reverse("cases:plan_start", args=[case.pk]))
    page = client.get(plan_url)
    assert page.context["plan"].number == 2 and [p.number for p in page.context["older"]] == [1]
    with scopes_disabled():
        solution = Solution.objects.filter(goal__plan__number=2).first()
        new_plan = SupportPlan.objects.get(case=case, number=2)
    r = client.post(
        reverse("cases:solution_remove", args=[solution.pk]), {"version": new_plan.version}
    )
    assert r.status_code == 302
    with scopes_disabled():
        assert Solution.objects.filter(goal__plan__number=2).count() == 1
        assert Solution.objects.filter(goal__plan__number=1).count() == 2


def test_closing_with_follow_ups_and_recording_one_and_reopening(client, municipality, world):
    case = world["case"]
    client.force_login(world["member"])
    url = reverse("cases:close", args=[case.pk])
    today = timezone.localdate()
    bad = client.post(url, {"note": "", "version": case.version})
    assert bad.context["form"].errors["note"]
    past = client.post(
        url, {"note": "Klaar", "follow_up_1": today.isoformat(), "version": case.version}
    )
    assert past.context["form"].errors["follow_up_1"]
    assert not fresh(case).is_closed
    soon = today + timedelta(weeks=6)
    r = client.post(
        url, {"note": "Klaar", "follow_up_1": soon.isoformat(), "version": case.version}
    )
    assert r.status_code == 302
    case = fresh(case)
    assert case.status == Case.Status.FOLLOW_UP
    with scopes_disabled():
        follow_up = FollowUp.objects.get(case=case)
    fu_url = reverse("cases:follow_up", args=[follow_up.pk])
    bad = client.post(fu_url, {"outcome": "", "done_on": today.isoformat(), "version": 1})
    assert bad.context["form"].errors["outcome"]
    r = client.post(
        fu_url, {"outcome": "Gaat goed", "done_on": today.isoformat(), "version": follow_up.version}
    )
    assert r.status_code == 302
    assert fresh(case).status == Case.Status.CLOSED
    r = client.post(reverse("cases:reopen", args=[case.pk]), {"version": fresh(case).version})
    assert r.status_code == 302 and fresh(case).status == Case.Status.OPEN


# --- voorwerk ------------------------------------------------------------------------


def proposal_data(world, **extra):
    today = timezone.localdate()
    return {
        "provision_type": world["provision_type"].pk,
        "resident": world["case"].resident_id,
        "volume": "3",
        "unit": "hours_per_week",
        "frequency": "per_week",
        "start_date": today.isoformat(),
        "end_date": "",
        "motivation": "Kan het huishouden niet meer aan.",
        "delivery_form": "pgb",
        "budget_amount": "250.00",
        "budget_period": "per_month",
        **extra,
    }


def test_a_proposal_is_drafted_submitted_and_shown_with_its_deadline(client, municipality, world):
    case = world["case"]
    client.force_login(world["member"])
    url = reverse("cases:proposal_create", args=[case.pk])
    form = client.get(url, {"voorziening": world["provision_type"].pk})
    assert form.context["form"].initial["unit"] == "hours_per_week"
    r = client.post(url, proposal_data(world))
    assert r.status_code == 302
    with scopes_disabled():
        proposal = Proposal.objects.get(case=case)
    # The service filled in the default duration.
    assert proposal.end_date == proposal.start_date + timedelta(weeks=52) - timedelta(days=1)
    edit = reverse("cases:proposal_edit", args=[proposal.pk])
    r = client.post(edit, proposal_data(world, volume="4", version=proposal.version))
    assert r.status_code == 302 and fresh(proposal).volume == 4
    r = client.post(
        reverse("cases:proposal_submit", args=[proposal.pk]), {"version": fresh(proposal).version}
    )
    assert r.status_code == 302
    proposal = fresh(proposal)
    assert proposal.status == Proposal.Status.SUBMITTED
    detail = client.get(reverse("cases:proposal_detail", args=[proposal.pk]))
    page = detail.content.decode()
    assert detail.context["days_left"] == 14
    assert proposal.application_date.strftime("%d-%m-%Y") in page
    assert world["consultant"].full_name in page
    r = client.post(
        reverse("cases:proposal_withdraw", args=[proposal.pk]), {"version": proposal.version}
    )
    assert fresh(proposal).status == Proposal.Status.WITHDRAWN


@pytest.mark.parametrize(
    "change, field",
    [
        ({"end_date": "2000-01-01"}, "end_date"),
        ({"volume": "", "unit": "hours_per_week"}, "volume"),
        ({"provision_type": "999999"}, "provision_type"),
        ({"motivation": ""}, "motivation"),
    ],
)
def test_bad_proposal_input_gives_a_field_message_and_saves_nothing(
    client, municipality, world, change, field
):
    client.force_login(world["member"])
    response = client.post(
        reverse("cases:proposal_create", args=[world["case"].pk]), proposal_data(world, **change)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    with scopes_disabled():
        assert not Proposal.objects.exists()


def test_a_volume_without_unit_gets_the_unit_of_the_provision(client, municipality, world):
    """On the page an empty unit is the provision's own; the API and the service
    still refuse a volume without unit (tests/decisions/test_decide.py)."""
    client.force_login(world["member"])
    response = client.post(
        reverse("cases:proposal_create", args=[world["case"].pk]),
        proposal_data(world, volume="4", unit=""),
    )
    assert response.status_code == 302
    with scopes_disabled():
        proposal = Proposal.objects.get()
        assert proposal.unit == proposal.provision_type.unit


def test_a_provision_of_another_municipality_or_out_of_the_catalogue_is_refused(
    client, municipality, other_municipality, world
):
    with scope(municipality=other_municipality):
        theirs = ProvisionTypeFactory(municipality=other_municipality)
    with scope(municipality=municipality):
        retired = ProvisionTypeFactory(municipality=municipality, is_active=False)
    client.force_login(world["member"])
    url = reverse("cases:proposal_create", args=[world["case"].pk])
    for pk in (theirs.pk, retired.pk):
        response = client.post(url, proposal_data(world, provision_type=pk))
        assert "provision_type" in response.context["form"].errors
    with scopes_disabled():
        assert not Proposal.objects.exists()


def test_a_returned_proposal_shows_the_loket_question(client, municipality, world):
    case = world["case"]
    with scope(municipality=municipality):
        proposal = ProposalFactory(
            municipality=municipality,
            case=case,
            provision_type=world["provision_type"],
            status="returned",
            application_date=timezone.localdate(),
            decision_deadline=timezone.localdate() + timedelta(weeks=2),
        )
        DecisionFactory(
            municipality=municipality,
            proposal=proposal,
            outcome="returned",
            reasons="Hoeveel uur helpt de dochter al?",
        )
    client.force_login(world["member"])
    page = client.get(reverse("cases:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Hoeveel uur helpt de dochter al?" in page
    assert reverse("cases:proposal_edit", args=[proposal.pk]) in page


def test_a_proposal_of_a_case_one_may_not_see_is_not_found(client, municipality, world):
    with scope(municipality=municipality):
        proposal = ProposalFactory(municipality=municipality, case=world["case"])
    client.force_login(world["outsider"])
    assert client.get(reverse("cases:proposal_detail", args=[proposal.pk])).status_code == 404
    assert client.post(reverse("cases:proposal_submit", args=[proposal.pk])).status_code == 404


def test_the_loket_reads_a_submitted_proposal_and_a_team_member_cannot_decide_from_it(
    client, municipality, world
):
    with scope(municipality=municipality):
        proposal = decisions.proposal_draft(
            actor=world["member"],
            case=world["case"],
            provision_type=world["provision_type"],
            volume=3,
            unit="hours_per_week",
            start_date=timezone.localdate(),
            motivation="Nodig",
            delivery_form="pgb",
            budget_amount=250,
            budget_period="per_month",
        )
        decisions.proposal_submit(actor=world["member"], proposal=proposal)
    client.force_login(world["consultant"])
    assert client.get(reverse("cases:proposal_detail", args=[proposal.pk])).status_code == 200


# --- the household -------------------------------------------------------------------


def test_the_household_page_shows_what_the_user_may_see_and_logs_it(client, municipality, world):
    case = world["case"]
    with scope(municipality=municipality):
        partner = ResidentFactory(
            municipality=municipality, household=case.household, surname="Partnerman"
        )
        hidden = QuestionFactory(
            municipality=municipality,
            resident=partner,
            team=TeamFactory(municipality=municipality),
            description="geheim",
        )
    client.force_login(world["member"])
    response = client.get(reverse("cases:household", args=[case.household_id]))
    assert response.status_code == 200
    assert [c.pk for c in response.context["cases"]] == [case.pk]
    assert hidden.pk not in {q.pk for q in response.context["questions"]}
    assert "Partnerman" in response.content.decode()
    with scope(municipality=municipality):
        assert AccessLogEntry.objects.filter(
            user=world["member"], object_type="intake.household", object_id=str(case.household_id)
        ).exists()
    client.force_login(world["outsider"])
    assert client.get(reverse("cases:household", args=[case.household_id])).status_code == 404


def test_the_resident_page_links_to_the_household_page(client, world):
    client.force_login(world["member"])
    case = world["case"]
    page = client.get(reverse("intake:resident_detail", args=[case.resident_id])).content.decode()
    assert reverse("cases:household", args=[case.household_id]) in page


def test_the_navigation_shows_cases_to_those_who_work_with_them(client, municipality, world):
    client.force_login(world["member"])
    assert reverse("cases:list") in client.get("/").content.decode()
    client.force_login(make_person(municipality, policy=True))
    assert reverse("cases:list") not in client.get("/").content.decode()


def test_a_reassessment_is_proposed_from_the_running_provision(client, municipality, world):
    """From the case page a running provision gets a follow-up proposal, filled in
    from it; the proposal says what it revises."""
    case = world["case"]
    with scope(municipality=municipality):
        running = ProvisionFactory(
            municipality=municipality,
            decision__proposal__case=case,
            decision__proposal__provision_type=world["provision_type"],
        )
    client.force_login(world["member"])
    page = client.get(reverse("cases:detail", args=[case.pk]))
    link = f"{reverse('cases:proposal_create', args=[case.pk])}?herziet={running.pk}"
    assert link in page.content.decode()
    form = client.get(link).context["form"]
    assert form.initial["revises"] == running.pk
    assert form.initial["provision_type"] == running.provision_type_id
    assert form.initial["start_date"] == running.end_date + timedelta(days=1)
    start = (running.end_date + timedelta(days=1)).isoformat()
    r = client.post(link, proposal_data(world, revises=running.pk, start_date=start))
    assert r.status_code == 302
    with scopes_disabled():
        proposal = Proposal.objects.get(case=case, revises=running)
    detail = client.get(reverse("cases:proposal_detail", args=[proposal.pk]))
    assert "Herziet" in detail.content.decode()


def test_the_case_list_page_logs_one_entry_naming_the_residents_shown(client, municipality, world):
    client.force_login(world["member"])
    response = client.get(reverse("cases:list"))
    assert [c.pk for c in response.context["cases"]] == [world["case"].pk]
    with scope(municipality=municipality):
        # Opening the case in the setup is logged too: the list is the view.
        [entry] = AccessLogEntry.objects.filter(
            user=world["member"], object_type="cases.case", action=AccessLogEntry.Action.VIEW
        )
    assert entry.action == AccessLogEntry.Action.VIEW
    assert entry.object_ids == [world["case"].pk]
    assert residents_shown_by(entry) == [world["case"].resident_id]


def test_submitting_or_withdrawing_without_the_version_read_is_refused(client, world):
    # A button posted without the version would overwrite a colleague's change unseen.
    client.force_login(world["member"])
    client.post(reverse("cases:proposal_create", args=[world["case"].pk]), proposal_data(world))
    with scopes_disabled():
        proposal = Proposal.objects.get(case=world["case"])
    page = client.post(reverse("cases:proposal_submit", args=[proposal.pk]), follow=True)
    assert "mist de versie" in page.content.decode()
    assert fresh(proposal).status == Proposal.Status.DRAFT
    client.post(reverse("cases:proposal_submit", args=[proposal.pk]), {"version": proposal.version})
    assert fresh(proposal).status == Proposal.Status.SUBMITTED
    page = client.post(reverse("cases:proposal_withdraw", args=[proposal.pk]), follow=True)
    assert "mist de versie" in page.content.decode()
    assert fresh(proposal).status == Proposal.Status.SUBMITTED
