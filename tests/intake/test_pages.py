"""The intake pages as the gate, the loket and a kernteam use them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from apps.audit.models import AccessLogEntry
from apps.intake import services
from apps.intake.counts import questions_changed
from apps.intake.models import Destination, IntakeSettings, Question, QuestionForward, Resident
from apps.teams.models import Membership, Team
from tests.conftest import make_person, residents_shown_by
from tests.factories import (
    AreaFactory,
    LifeDomainFactory,
    QuestionFactory,
    ResidentFactory,
    TeamFactory,
    TriageRuleFactory,
)

F, K = Membership.Function, Team.Kind


@pytest.fixture
def town(municipality):
    """Overbetuwe in small: a loket, Kernteam Elst for the area Elst, the
    Overbetuwe rules, a gate clarifier, a loket consultant, a kernteam member."""
    with scope(municipality=municipality):
        elst = AreaFactory(municipality=municipality, name="Elst")
        loket = TeamFactory(municipality=municipality, name="Loket Samenleven", kind=K.LOKET)
        kernteam = TeamFactory(municipality=municipality, name="Kernteam Elst")
        kernteam.areas.set([elst])
        other_team = TeamFactory(municipality=municipality, name="Kernteam Driel")
        domain = LifeDomainFactory(municipality=municipality, name="Financiën")
        TriageRuleFactory(
            municipality=municipality,
            name="Veilig Thuis naar het loket",
            channel="veilig_thuis",
            destination=Destination.LOKET,
        )
        TriageRuleFactory(
            municipality=municipality,
            name="Jeugd naar het loket",
            is_youth=True,
            destination=Destination.LOKET,
        )
        IntakeSettings.objects.update_or_create(
            municipality=municipality, defaults={"default_destination": Destination.AREA_TEAM}
        )
    people = {
        "clarifier": make_person(municipality, memberships=[(loket, F.GATE_CLARIFIER)]),
        "consultant": make_person(municipality, memberships=[(loket, F.CONSULTANT)]),
        "member": make_person(municipality, memberships=[(kernteam, F.TEAM_MEMBER)]),
        "driel": make_person(municipality, memberships=[(other_team, F.TEAM_MEMBER)]),
        "policy": make_person(municipality, policy=True),
    }
    return {
        "m": municipality,
        "elst": elst,
        "loket": loket,
        "kernteam": kernteam,
        "other_team": other_team,
        "domain": domain,
        **people,
    }


def form_data(town, **extra):
    data = {
        "surname": "Jansen",
        "first_names": "Anna",
        "area": town["elst"].pk,
        "channel": "telephone",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "description": "Mevrouw vraagt hulp bij het huishouden.",
        "life_domains": [town["domain"].pk],
        "_municipality": town["m"].pk,
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def test_gate_clarifier_registers_a_phone_question_that_goes_to_the_kernteam(town, client):
    client.force_login(town["clarifier"])
    response = client.post(reverse("intake:question_register"), form_data(town))
    assert response.status_code == 302
    with scope(municipality=town["m"]):
        question = Question.objects.get()
    assert question.team == town["kernteam"]
    page = client.get(response["Location"]).content.decode()
    assert "Kernteam Elst" in page and "standaardbestemming" in page
    assert question.received_by.user == town["clarifier"]


def test_a_veilig_thuis_report_goes_to_the_loket_with_its_rule(town, client):
    client.force_login(town["clarifier"])
    client.post(
        reverse("intake:question_register"),
        form_data(
            town,
            channel="veilig_thuis",
            reporter_name="Veilig Thuis Gelderland-Zuid",
            reporter_relation="professional",
            resident_is_aware="no",
        ),
    )
    with scope(municipality=town["m"]):
        question = Question.objects.get()
    assert question.team == town["loket"]
    assert question.triage_rule_name == "Veilig Thuis naar het loket"
    assert question.resident_is_aware is False


def test_an_invalid_bsn_is_named_and_nothing_is_saved(town, client):
    client.force_login(town["clarifier"])
    response = client.post(reverse("intake:question_register"), form_data(town, bsn="123456789"))
    assert response.status_code == 200
    assert "elfproef" in response.content.decode()
    assert 'href="#id_bsn"' in response.content.decode()  # the summary links to the field
    with scopes_disabled():
        assert not Resident.objects.exists() and not Question.objects.exists()


def test_received_at_in_the_future_is_refused(town, client):
    client.force_login(town["clarifier"])
    later = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("intake:question_register"), form_data(town, received_at=later))
    assert response.status_code == 200
    assert "toekomst" in response.content.decode()
    with scopes_disabled():
        assert not Resident.objects.exists()


def test_a_known_bsn_is_recognised(town, client):
    with scope(municipality=town["m"]):
        known = ResidentFactory(municipality=town["m"], bsn="111222333", area=town["elst"])
    client.force_login(town["clarifier"])
    response = client.post(
        reverse("intake:question_register"),
        form_data(town, bsn="111222333", surname=known.surname, first_names=None),
        follow=True,
    )
    assert "bekende inwoner" in response.content.decode()
    with scopes_disabled():
        assert Resident.objects.count() == 1
        assert Question.objects.get().resident == known


def test_register_for_a_chosen_resident(town, client):
    with scope(municipality=town["m"]):
        resident = ResidentFactory(municipality=town["m"], area=town["elst"])
    client.force_login(town["clarifier"])
    url = reverse("intake:question_register") + f"?inwoner={resident.pk}"
    assert resident.full_name in client.get(url).content.decode()
    data = form_data(town, surname=None, first_names=None, area=None)
    response = client.post(url, data)
    assert response.status_code == 302
    with scopes_disabled():
        assert Question.objects.get().resident == resident


def test_override_needs_a_reason(town, client):
    client.force_login(town["clarifier"])
    response = client.post(
        reverse("intake:question_register"),
        form_data(town, override_team=town["other_team"].pk),
    )
    assert response.status_code == 200
    assert "reden" in response.content.decode().lower()
    with scopes_disabled():
        assert not Question.objects.exists()
    client.post(
        reverse("intake:question_register"),
        form_data(town, override_team=town["other_team"].pk, override_reason="Gezin bekend"),
    )
    with scopes_disabled():
        question = Question.objects.get()
    assert question.team == town["other_team"] and question.triage_team == town["kernteam"]


def test_triage_preview_shows_where_the_question_goes(town, client):
    client.force_login(town["clarifier"])
    response = client.get(
        reverse("intake:triage_preview"), {"channel": "telephone", "area": town["elst"].pk}
    )
    assert "Kernteam Elst" in response.content.decode()
    response = client.get(reverse("intake:triage_preview"), {"channel": "veilig_thuis"})
    assert "Loket Samenleven" in response.content.decode()


# --- inbox -------------------------------------------------------------------------------


def make_questions(town, n, **kwargs):
    now = timezone.now()
    with scope(municipality=town["m"]):
        return [
            QuestionFactory(
                municipality=town["m"],
                team=kwargs.pop("team", town["kernteam"]) if i == 0 else town["kernteam"],
                received_at=now - timedelta(days=n - i),
                **kwargs,
            )
            for i in range(n)
        ]


def test_inbox_shows_new_before_taken_and_oldest_first(town, client):
    with scope(municipality=town["m"]):
        staff = town["member"].staff_memberships.get()
        now = timezone.now()
        taken_old = QuestionFactory(
            municipality=town["m"],
            team=town["kernteam"],
            received_at=now - timedelta(days=9),
            assigned_to=staff,
            status=Question.Status.IN_PROGRESS,
            resident=ResidentFactory(municipality=town["m"], surname="Opgepakt"),
        )
        new_recent = QuestionFactory(
            municipality=town["m"],
            team=town["kernteam"],
            received_at=now - timedelta(days=1),
            resident=ResidentFactory(municipality=town["m"], surname="Recent"),
        )
        new_old = QuestionFactory(
            municipality=town["m"],
            team=town["kernteam"],
            received_at=now - timedelta(days=5),
            resident=ResidentFactory(municipality=town["m"], surname="Oud"),
        )
        QuestionFactory(municipality=town["m"], team=town["loket"])  # not this inbox
    client.force_login(town["member"])
    response = client.get(reverse("intake:inbox", args=[town["kernteam"].pk]))
    rows = [q.pk for q in response.context["page"].questions]
    assert rows == [new_old.pk, new_recent.pk, taken_old.pk]


def test_inbox_filters(town, client):
    now = timezone.now()
    with scope(municipality=town["m"]):
        other_area = AreaFactory(municipality=town["m"])
        target = QuestionFactory(
            municipality=town["m"],
            team=town["kernteam"],
            channel="walk_in",
            laws=["jeugdwet"],
            is_youth=True,
            area=town["elst"],
            received_at=now - timedelta(days=3),
            resident=ResidentFactory(municipality=town["m"], surname="Pietersen", bsn="123456782"),
        )
        QuestionFactory(
            municipality=town["m"],
            team=town["kernteam"],
            channel="telephone",
            laws=["wmo"],
            area=other_area,
            received_at=now - timedelta(days=20),
        )
    client.force_login(town["member"])
    url = reverse("intake:inbox", args=[town["kernteam"].pk])
    day = timezone.localdate() - timedelta(days=3)
    for params in (
        {"channel": "walk_in"},
        {"law": "jeugdwet"},
        {"area": town["elst"].pk},
        {"youth": "yes"},
        {"received_from": day.isoformat(), "received_until": day.isoformat()},
        {"q": "pieters"},
        {"q": "123456782"},
        {"q": "'; DROP TABLE intake_question; --"},
    ):
        rows = client.get(url, params).context["page"].questions
        expected = [] if params.get("q", "").startswith("'") else [target]
        assert rows == expected, params


def test_inbox_search_is_logged(town, client):
    client.force_login(town["member"])
    client.get(reverse("intake:inbox", args=[town["kernteam"].pk]), {"q": "Jansen"})
    with scopes_disabled():
        entry = AccessLogEntry.objects.get()
    assert entry.action == "search" and "Jansen" in entry.object_label


def test_inbox_query_count_does_not_grow_with_the_questions(
    town, client, django_assert_max_num_queries
):
    client.force_login(town["member"])
    url = reverse("intake:inbox", args=[town["kernteam"].pk])
    make_questions(town, 3)
    client.get(url)  # sessions and caches settle
    # Both measured views count (the counts are cached until the questions
    # change, apps/intake/counts.py, and the 40 new ones change them).
    questions_changed(town["m"].pk)
    # 22: the page, and one access-log entry with one insert of the residents shown.
    with django_assert_max_num_queries(22) as few:
        client.get(url)
    make_questions(town, 40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].questions) == 25


def test_inbox_keyset_pagination_walks_every_question_once(town, client):
    questions = make_questions(town, 30)
    with scope(municipality=town["m"]):
        staff = town["member"].staff_memberships.get()
        Question.objects.filter(pk__in=[q.pk for q in questions[:3]]).update(
            assigned_to=staff, status=Question.Status.IN_PROGRESS
        )
    client.force_login(town["member"])
    url = reverse("intake:inbox", args=[town["kernteam"].pk])
    seen, cursor = [], ""
    while True:
        page = client.get(url, {"na": cursor} if cursor else {}).context["page"]
        seen += [q.pk for q in page.questions]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(q.pk for q in questions)
    assert len(seen) == len(set(seen))
    assert seen[-3:] == [q.pk for q in questions[:3]]  # taken ones last


def test_a_malformed_cursor_shows_the_first_page(town, client):
    make_questions(town, 2)
    client.force_login(town["member"])
    response = client.get(reverse("intake:inbox", args=[town["kernteam"].pk]), {"na": "@@@"})
    assert response.status_code == 200 and len(response.context["page"].questions) == 2


def test_inbox_of_another_team_is_refused_for_a_team_member(town, client):
    client.force_login(town["driel"])
    assert client.get(reverse("intake:inbox", args=[town["kernteam"].pk])).status_code == 403
    client.force_login(town["consultant"])  # the loket sees every inbox
    assert client.get(reverse("intake:inbox", args=[town["kernteam"].pk])).status_code == 200


def test_policy_advisor_never_sees_residents_or_questions(town, client):
    question = make_questions(town, 1)[0]
    client.force_login(town["policy"])
    for url in (
        reverse("intake:home"),
        reverse("intake:inbox", args=[town["kernteam"].pk]),
        reverse("intake:question_detail", args=[question.pk]),
        reverse("intake:resident_detail", args=[question.resident_id]),
        reverse("intake:resident_search") + "?q=Jansen",
        reverse("intake:question_register"),
    ):
        assert client.get(url).status_code == 403, url


# --- a question: view, take, forward --------------------------------------------------------


def test_opening_a_question_is_logged(town, client):
    question = make_questions(town, 1)[0]
    client.force_login(town["member"])
    assert client.get(reverse("intake:question_detail", args=[question.pk])).status_code == 200
    with scopes_disabled():
        entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action, entry.object_id) == (town["member"], "view", str(question.pk))
    assert entry.resident_id == question.resident_id
    assert entry.municipality == town["m"]


def test_a_question_of_another_team_is_forbidden_and_of_another_municipality_not_found(
    town, client, other_municipality
):
    question = make_questions(town, 1)[0]
    client.force_login(town["driel"])
    assert client.get(reverse("intake:question_detail", args=[question.pk])).status_code == 403
    with scope(municipality=other_municipality):
        foreign = QuestionFactory(municipality=other_municipality)
    client.force_login(town["member"])
    assert client.get(reverse("intake:question_detail", args=[foreign.pk])).status_code == 404
    response = client.post(
        reverse("intake:question_forward", args=[foreign.pk]),
        {"to_team": town["loket"].pk, "reason": "x", "version": 1},
    )
    assert response.status_code == 404


def test_kernteam_member_takes_and_forwards_to_the_loket_who_sees_the_history(town, client):
    question = make_questions(town, 1)[0]
    client.force_login(town["member"])
    client.post(
        reverse("intake:question_assign", args=[question.pk]),
        {"version": question.version, "_municipality": town["m"].pk},
    )
    with scopes_disabled():
        question.refresh_from_db()
    assert question.assigned_to.user == town["member"]
    response = client.post(
        reverse("intake:question_forward", args=[question.pk]),
        {
            "to_team": town["loket"].pk,
            "reason": "Jeugdhulp nodig: beschikking door het loket",
            "version": question.version,
            "_municipality": town["m"].pk,
        },
    )
    assert response.status_code == 302
    client.force_login(town["consultant"])
    inbox = client.get(reverse("intake:inbox", args=[town["loket"].pk]))
    assert [q.pk for q in inbox.context["page"].questions] == [question.pk]
    page = client.get(reverse("intake:question_detail", args=[question.pk])).content.decode()
    assert "Jeugdhulp nodig: beschikking door het loket" in page
    assert "Kernteam Elst" in page
    # The kernteam member still sees the question it passed on.
    client.force_login(town["member"])
    assert client.get(reverse("intake:question_detail", args=[question.pk])).status_code == 200


def test_forward_to_the_team_that_has_it_is_refused(town, client):
    question = make_questions(town, 1)[0]
    client.force_login(town["member"])
    response = client.post(
        reverse("intake:question_forward", args=[question.pk]),
        {"to_team": town["kernteam"].pk, "reason": "x", "version": question.version},
    )
    assert response.status_code == 200
    with scopes_disabled():
        assert not QuestionForward.objects.exists()


def test_a_stale_forward_form_saves_nothing(town, client):
    question = make_questions(town, 1)[0]
    with scope(municipality=town["m"]):
        services.question_assign(actor=town["member"], question=question)
    client.force_login(town["member"])
    response = client.post(
        reverse("intake:question_forward", args=[question.pk]),
        {"to_team": town["loket"].pk, "reason": "x", "version": question.version},
    )
    assert response.status_code == 200
    assert "intussen gewijzigd" in response.content.decode()
    with scopes_disabled():
        assert not QuestionForward.objects.exists()


def test_a_team_member_of_another_team_cannot_take_or_forward(town, client):
    question = make_questions(town, 1)[0]
    client.force_login(town["driel"])
    assert client.post(reverse("intake:question_assign", args=[question.pk])).status_code == 403
    assert client.get(reverse("intake:question_forward", args=[question.pk])).status_code == 403


def test_deadline_shows_days_left_and_overdue(town, client):
    now = timezone.now()
    with scope(municipality=town["m"]):
        late = QuestionFactory(
            municipality=town["m"],
            team=town["kernteam"],
            laws=["wmo"],
            received_at=now - timedelta(days=50),
            investigation_deadline=timezone.localdate() - timedelta(days=8),
        )
        QuestionFactory(
            municipality=town["m"],
            team=town["kernteam"],
            laws=["wmo"],
            received_at=now - timedelta(days=2),
            investigation_deadline=timezone.localdate() + timedelta(days=40),
        )
    client.force_login(town["member"])
    page = client.get(reverse("intake:inbox", args=[town["kernteam"].pk])).content.decode()
    assert "8 dagen te laat" in page and "nog 40 dagen" in page
    assert 'class="portal-overdue"' in page
    assert (
        "8 dagen te laat"
        in client.get(reverse("intake:question_detail", args=[late.pk])).content.decode()
    )


# --- residents ----------------------------------------------------------------------------


def test_resident_search_by_bsn_and_name_and_the_detail_is_logged(town, client):
    with scope(municipality=town["m"]):
        resident = ResidentFactory(municipality=town["m"], surname="Bakker", bsn="111222333")
        QuestionFactory(municipality=town["m"], resident=resident, team=town["kernteam"])
    client.force_login(town["clarifier"])
    url = reverse("intake:resident_search")
    assert client.get(url, {"q": "111 222 333"}).context["results"] == [resident]
    assert client.get(url, {"q": "bakk"}).context["results"] == [resident]
    assert client.get(url, {"q": "%"}).context["results"] == []
    page = client.get(reverse("intake:resident_detail", args=[resident.pk]))
    assert "111222333" in page.content.decode()
    with scopes_disabled():
        actions = list(AccessLogEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["search", "search", "search", "view"]


def test_script_in_free_text_is_shown_escaped(town, client):
    client.force_login(town["clarifier"])
    client.post(
        reverse("intake:question_register"),
        form_data(town, surname="<script>alert(1)</script>", description="<img src=x onerror=1>"),
    )
    with scopes_disabled():
        question = Question.objects.get()
    page = client.get(reverse("intake:question_detail", args=[question.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page


def test_start_page_shows_the_inbox_counts(town, client):
    make_questions(town, 2)
    client.force_login(town["member"])
    response = client.get(reverse("core:start"))
    summary = response.context["inbox_summary"]
    assert [(row["team"], row["new"], row["mine"]) for row in summary] == [(town["kernteam"], 2, 0)]
    assert reverse("intake:inbox", args=[town["kernteam"].pk]) in response.content.decode()
    client.force_login(town["policy"])
    assert "inbox_summary" not in client.get(reverse("core:start")).context


# --- resident data and household ------------------------------------------------------------


def test_household_create_add_members_and_leave(town, client):
    with scope(municipality=town["m"]):
        mother = ResidentFactory(municipality=town["m"], surname="Visser", bsn="111222333")
        known = ResidentFactory(municipality=town["m"], surname="Visser", bsn="123456782")
    client.force_login(town["clarifier"])
    client.post(reverse("intake:household_create", args=[mother.pk]))
    with scopes_disabled():
        mother.refresh_from_db()
    assert mother.household.name == "Huishouden Visser"
    assert mother.household_relation == "applicant"
    add = reverse("intake:household_member_add", args=[mother.pk])
    # A known BSN links the known resident; a new child is created.
    client.post(add, {"relation": "partner", "bsn": "123456782", "surname": "visser"})
    client.post(add, {"relation": "child", "surname": "Visser", "first_names": "Sem"})
    response = client.post(add, {"relation": "child", "bsn": "123456789", "surname": "Visser"})
    assert "elfproef" in response.content.decode()
    with scopes_disabled():
        members = Resident.objects.filter(household=mother.household)
        assert {(r.pk == known.pk, r.household_relation) for r in members} == {
            (False, "applicant"),
            (True, "partner"),
            (False, "child"),
        }
    page = client.get(reverse("intake:resident_detail", args=[mother.pk])).content.decode()
    assert "Sem Visser" in page
    client.post(reverse("intake:household_leave", args=[known.pk]))
    with scopes_disabled():
        known.refresh_from_db()
        assert known.household is None and known.household_relation == ""


def test_a_resident_of_another_household_is_not_moved_silently(town, client):
    with scope(municipality=town["m"]):
        a = ResidentFactory(municipality=town["m"])
        b = ResidentFactory(municipality=town["m"], bsn="123456782", surname="Bakker")
        services.household_create(actor=None, resident=a)
        services.household_create(actor=None, resident=b)
    client.force_login(town["clarifier"])
    response = client.post(
        reverse("intake:household_member_add", args=[a.pk]),
        {"relation": "partner", "bsn": "123456782", "surname": "Bakker"},
    )
    assert "ander huishouden" in response.content.decode()
    with scopes_disabled():
        b.refresh_from_db()
    assert b.household.pk != a.household_id


def test_a_known_bsn_alone_or_with_another_name_does_not_link_a_household_member(town, client):
    with scope(municipality=town["m"]):
        mother = ResidentFactory(municipality=town["m"], surname="Visser")
        services.household_create(actor=None, resident=mother)
        stranger = ResidentFactory(municipality=town["m"], surname="de Boer", bsn="123456782")
    client.force_login(town["clarifier"])
    add = reverse("intake:household_member_add", args=[mother.pk])
    for typed in ({}, {"surname": "Jansen"}):
        response = client.post(add, {"relation": "partner", "bsn": "123456782", **typed})
        assert response.status_code == 200
        page = response.content.decode()
        assert "Boer" not in page
        with scopes_disabled():
            stranger.refresh_from_db()
        assert stranger.household_id is None
    response = client.post(add, {"relation": "partner", "bsn": "123456782"})
    assert "achternaam" in response.content.decode()


def test_linking_a_stranger_into_a_household_asks_the_reason_first(town, client):
    with scope(municipality=town["m"]):
        mother = ResidentFactory(municipality=town["m"], surname="Visser")
        services.household_create(actor=None, resident=mother)
        QuestionFactory(municipality=town["m"], resident=mother, team=town["kernteam"])
        stranger = ResidentFactory(municipality=town["m"], surname="de Boer", bsn="123456782")
    client.force_login(town["member"])
    add = reverse("intake:household_member_add", args=[mother.pk])
    data = {"relation": "partner", "bsn": "123456782", "surname": "de Boer"}
    response = client.post(add, data)
    assert response.status_code == 200
    assert "reden" in response.content.decode()
    with scopes_disabled():
        stranger.refresh_from_db()
    assert stranger.household_id is None
    # Without the reason the stranger's file stays closed to the team member.
    detail = client.get(reverse("intake:resident_detail", args=[stranger.pk])).content.decode()
    assert "Waarom opent u dit dossier?" in detail
    response = client.post(add, data | {"reason": "Partner van mevrouw Visser, bij huisbezoek."})
    assert response.status_code == 302
    with scopes_disabled():
        stranger.refresh_from_db()
        assert stranger.household_id == mother.household_id
        entry = AccessLogEntry.objects.filter(
            object_id=str(stranger.pk), action=AccessLogEntry.Action.CHANGE
        ).get()
    assert entry.reason == "Partner van mevrouw Visser, bij huisbezoek."


def test_editing_a_resident_checks_bsn_version_and_role(town, client):
    with scope(municipality=town["m"]):
        resident = ResidentFactory(municipality=town["m"], surname="Oud")
        ResidentFactory(municipality=town["m"], bsn="111222333")
    url = reverse("intake:resident_edit", args=[resident.pk])
    client.force_login(town["clarifier"])
    data = {"surname": "Nieuw", "version": resident.version, "_municipality": town["m"].pk}
    response = client.post(url, {**data, "bsn": "111222333"})
    assert "al een inwoner met dit BSN" in response.content.decode()
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "surname": "Weer anders"})  # the old version
    assert "intussen gewijzigd" in response.content.decode()
    with scopes_disabled():
        resident.refresh_from_db()
        assert resident.surname == "Nieuw"
        assert AccessLogEntry.objects.filter(action="change", object_id=str(resident.pk)).exists()
    client.force_login(town["policy"])
    assert client.get(url).status_code == 403


def test_closing_a_question_needs_a_note_and_a_member_of_the_team(town, client):
    question = make_questions(town, 1)[0]
    url = reverse("intake:question_close", args=[question.pk])
    client.force_login(town["driel"])
    assert client.post(url, {"note": "x", "version": question.version}).status_code == 403
    client.force_login(town["member"])
    response = client.post(url, {"note": "  ", "version": question.version})
    assert response.status_code == 200
    response = client.post(url, {"note": "Informatie gegeven", "version": question.version})
    assert response.status_code == 302
    with scopes_disabled():
        question.refresh_from_db()
    assert question.status == Question.Status.CLOSED
    assert question.closed_by.user == town["member"] and question.closure_note
    page = client.get(reverse("intake:question_detail", args=[question.pk])).content.decode()
    assert "Informatie gegeven" in page
    closed = client.get(reverse("intake:inbox", args=[town["kernteam"].pk]), {"status": "closed"})
    assert [q.pk for q in closed.context["page"].questions] == [question.pk]
    assert client.post(url, {"note": "nog eens", "version": question.version}).status_code == 200


def test_forward_and_close_forms_show_the_question(town, client):
    question = make_questions(town, 1)[0]
    client.force_login(town["member"])
    for name in ("intake:question_forward", "intake:question_close"):
        page = client.get(reverse(name, args=[question.pk]))
        assert page.status_code == 200
        assert f"Vraag {question.pk}" in page.content.decode()


def test_opening_a_file_without_a_relation_asks_for_the_reason_and_logs_it(town, client):
    with scope(municipality=town["m"]):
        resident = ResidentFactory(municipality=town["m"], bsn="111222333")
        QuestionFactory(municipality=town["m"], resident=resident, team=town["kernteam"])
    url = reverse("intake:resident_detail", args=[resident.pk])
    # Kernteam Elst works on the question: straight in.
    client.force_login(town["member"])
    assert "111222333" in client.get(url).content.decode()
    # Kernteam Driel does not: first the reason, and no personal data yet.
    client.force_login(town["driel"])
    page = client.get(url).content.decode()
    assert "Reden van inzage" in page and "111222333" not in page
    edit = client.get(reverse("intake:resident_edit", args=[resident.pk]))
    assert edit.status_code == 302 and edit["Location"] == url
    assert client.post(url, {"reason": "kort"}).status_code == 200  # too short
    response = client.post(url, {"reason": "Overleg met Kernteam Elst over de buurman"})
    assert response.status_code == 302
    assert "111222333" in client.get(url).content.decode()
    with scopes_disabled():
        entry = AccessLogEntry.objects.filter(user=town["driel"], action="view").get()
    assert entry.reason == "Overleg met Kernteam Elst over de buurman"
    assert entry.resident == resident


def test_correcting_a_question_keeps_its_route_and_follows_the_wmo_clock(town, client):
    question = make_questions(town, 1)[0]
    with scope(municipality=town["m"]):
        other_domain = LifeDomainFactory(municipality=town["m"], name="Wonen")
    url = reverse("intake:question_edit", args=[question.pk])
    # The description stays: a team member who did not register the question
    # does not correct it (#20: its author, the director or the coordinator do;
    # tests/agenda/test_corrections.py).
    data = {
        "description": question.description,
        "life_domains": [town["domain"].pk, other_domain.pk],
        "laws": ["wmo"],
        "version": question.version,
    }
    client.force_login(town["driel"])
    assert client.post(url, data).status_code == 403
    client.force_login(town["member"])
    assert client.post(url, data).status_code == 302
    with scopes_disabled():
        question.refresh_from_db()
        assert question.investigation_deadline is not None
        assert question.team == town["kernteam"]
        assert question.life_domains.count() == 2
        assert AccessLogEntry.objects.filter(action="change", object_id=str(question.pk)).exists()
    response = client.post(url, {**data, "description": "Oud formulier"})  # stale version
    assert "intussen gewijzigd" in response.content.decode()
    response = client.post(url, {**data, "life_domains": [], "version": question.version})
    assert "ten minste één leefgebied" in response.content.decode()


def test_the_registrar_may_correct_what_they_registered(town, client):
    client.force_login(town["clarifier"])
    client.post(reverse("intake:question_register"), form_data(town))
    with scopes_disabled():
        question = Question.objects.get()
    assert question.team == town["kernteam"]  # not the clarifier's team
    page = client.get(reverse("intake:question_detail", args=[question.pk])).content.decode()
    assert reverse("intake:question_edit", args=[question.pk]) in page
    response = client.post(
        reverse("intake:question_edit", args=[question.pk]),
        {
            "description": "Typfout hersteld",
            "life_domains": [town["domain"].pk],
            "version": question.version,
        },
    )
    assert response.status_code == 302


def test_only_working_functions_handle_a_teams_questions(town, client):
    """A volunteer or adviser membership of Kernteam Elst gives no handling rights."""
    question = make_questions(town, 1)[0]
    with scope(municipality=town["m"]):
        from tests.factories import MembershipFactory

        staff = town["driel"].staff_memberships.get()
        MembershipFactory(
            municipality=town["m"], staff_member=staff, team=town["kernteam"], function="volunteer"
        )
    client.force_login(town["driel"])
    assert client.post(reverse("intake:question_assign", args=[question.pk])).status_code == 403
    assert client.get(reverse("intake:inbox", args=[town["kernteam"].pk])).status_code == 403


def test_a_question_sent_elsewhere_by_override_is_not_visible_to_the_team_the_rules_chose(
    town, client
):
    client.force_login(town["clarifier"])
    client.post(
        reverse("intake:question_register"),
        form_data(town, override_team=town["loket"].pk, override_reason="Veilig Thuis-zorg"),
    )
    with scopes_disabled():
        question = Question.objects.get()
    assert question.triage_team == town["kernteam"] and question.team == town["loket"]
    client.force_login(town["member"])
    assert client.get(reverse("intake:question_detail", args=[question.pk])).status_code == 403


def test_taking_a_question_forwarded_meanwhile_says_where_it_is(town, client):
    question = make_questions(town, 1)[0]
    with scope(municipality=town["m"]):
        services.question_forward(
            actor=town["member"], question=question, to_team=town["loket"], reason="loket"
        )
    client.force_login(town["member"])
    # The page was opened before the forward: it still names the old version.
    stale = Question(pk=question.pk, team=town["kernteam"], municipality=town["m"])
    with scope(municipality=town["m"]), pytest.raises(Exception) as exc:
        services.question_assign(actor=town["member"], question=stale)
    assert "intussen bij Loket Samenleven" in str(exc.value)


def test_the_register_page_for_a_resident_one_has_no_relation_with_asks_the_reason(town, client):
    with scope(municipality=town["m"]):
        stranger = ResidentFactory(municipality=town["m"], surname="Onbekend")
    client.force_login(town["driel"])
    url = reverse("intake:question_register") + f"?inwoner={stranger.pk}"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:resident_detail", args=[stranger.pk])
    preview = client.get(reverse("intake:triage_preview"), {"inwoner": stranger.pk})
    assert preview.status_code == 200  # computed without the resident's data


def test_resident_search_says_when_there_are_more(town, client):
    with scope(municipality=town["m"]):
        for i in range(27):
            ResidentFactory(municipality=town["m"], surname=f"de Vries {i}")
    client.force_login(town["clarifier"])
    response = client.get(reverse("intake:resident_search"), {"q": "vries"})
    assert len(response.context["results"]) == 25 and response.context["more"]
    assert "Meer dan 25" in response.content.decode()


def test_a_double_submit_registers_the_question_once(town, client):
    client.force_login(town["clarifier"])
    key = client.get(reverse("intake:question_register")).context["form"].initial["submission_key"]
    data = form_data(town, submission_key=key)
    first = client.post(reverse("intake:question_register"), data)
    second = client.post(reverse("intake:question_register"), data, follow=True)
    with scopes_disabled():
        question = Question.objects.get()
        assert Resident.objects.count() == 1
    assert first["Location"] == reverse("intake:question_detail", args=[question.pk])
    assert "al geregistreerd" in second.content.decode()


def test_form_key_of_another_user_registers_a_new_question_and_shows_nothing_of_theirs(
    town, client
):
    client.force_login(town["clarifier"])
    key = client.get(reverse("intake:question_register")).context["form"].initial["submission_key"]
    client.post(
        reverse("intake:question_register"),
        form_data(town, submission_key=key, channel="veilig_thuis", surname="Veiligmans"),
    )
    with scopes_disabled():
        report = Question.objects.get()
    client.force_login(town["driel"])
    response = client.post(
        reverse("intake:question_register"),
        form_data(town, submission_key=key, surname="Pieterse"),
        follow=True,
    )
    assert "al geregistreerd" not in response.content.decode()
    assert "Veiligmans" not in response.content.decode()
    with scopes_disabled():
        mine = Question.objects.exclude(pk=report.pk).get()
        assert mine.resident.surname == "Pieterse"
        assert mine.received_by.user == town["driel"]


def page_list_entries(town, user, object_type):
    with scope(municipality=town["m"]):
        return list(AccessLogEntry.objects.filter(user=user, object_type=object_type))


def test_the_inbox_page_logs_one_entry_naming_the_residents_shown(town, client):
    questions = make_questions(town, 3)
    client.force_login(town["member"])
    response = client.get(reverse("intake:inbox", args=[town["kernteam"].pk]))
    assert len(response.context["page"].questions) == 3
    [entry] = page_list_entries(town, town["member"], "intake.question")
    assert entry.action == AccessLogEntry.Action.VIEW
    assert sorted(entry.object_ids) == sorted(q.pk for q in questions)
    assert sorted(residents_shown_by(entry)) == sorted(q.resident_id for q in questions)


def test_the_resident_search_page_names_every_resident_found(town, client):
    with scope(municipality=town["m"]):
        found = [ResidentFactory(municipality=town["m"], surname=f"Smit {i}") for i in (1, 2)]
    client.force_login(town["clarifier"])
    client.get(reverse("intake:resident_search"), {"q": "smit"})
    [entry] = page_list_entries(town, town["clarifier"], "intake.resident")
    assert entry.action == AccessLogEntry.Action.SEARCH
    assert sorted(residents_shown_by(entry)) == sorted(r.pk for r in found)


def test_typing_the_bsn_of_a_stranger_on_the_register_page_asks_the_reason(town, client):
    """The typed BSN and surname of a known resident the team member does not
    work on: the form asks for the reason on its own field (no name shown,
    nothing saved); with it the question is registered and the log keeps it."""
    with scope(municipality=town["m"]):
        stranger = ResidentFactory(
            municipality=town["m"], bsn="111222333", first_names="Geertje", surname="Onbekend"
        )
    client.force_login(town["driel"])
    data = form_data(town, bsn="111222333", surname="Onbekend", first_names=None)
    response = client.post(reverse("intake:question_register"), data)
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    page = response.content.decode()
    assert "reden van inzage" in page and "Geertje" not in page
    with scopes_disabled():
        assert not Question.objects.exists() and Resident.objects.count() == 1
        assert not AccessLogEntry.objects.filter(action=AccessLogEntry.Action.CREATE).exists()
    reason = "Buurvrouw meldt zorgen, huisbezoek gepland."
    response = client.post(reverse("intake:question_register"), data | {"reason": reason})
    assert response.status_code == 302
    with scopes_disabled():
        question = Question.objects.get()
        entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.CREATE)
    assert question.resident == stranger
    assert entry.reason == reason and entry.resident_id == stranger.pk


def test_typing_the_bsn_of_a_resident_one_works_on_needs_no_reason(town, client):
    with scope(municipality=town["m"]):
        known = ResidentFactory(municipality=town["m"], bsn="111222333", surname="Bekend")
        QuestionFactory(municipality=town["m"], resident=known, team=town["kernteam"])
    client.force_login(town["member"])
    data = form_data(town, bsn="111222333", surname="Bekend", first_names=None)
    response = client.post(reverse("intake:question_register"), data)
    assert response.status_code == 302
    with scopes_disabled():
        assert Question.objects.filter(resident=known).count() == 2


def test_a_failed_bsn_check_on_the_pages_is_logged_naming_the_resident(town, client):
    with scope(municipality=town["m"]):
        known = ResidentFactory(municipality=town["m"], bsn="123456782", surname="de Boer")
        mother = ResidentFactory(municipality=town["m"], surname="Visser")
        services.household_create(actor=None, resident=mother)
    client.force_login(town["driel"])
    response = client.post(
        reverse("intake:question_register"),
        form_data(town, bsn="123456782", surname="Jansen"),
    )
    assert response.status_code == 200 and "Boer" not in response.content.decode()
    client.force_login(town["clarifier"])
    add = reverse("intake:household_member_add", args=[mother.pk])
    client.post(add, {"relation": "partner", "bsn": "123456782", "surname": "Jansen"})
    with scopes_disabled():
        entries = list(
            AccessLogEntry.objects.filter(action=AccessLogEntry.Action.SEARCH).order_by("pk")
        )
    assert [e.user for e in entries] == [town["driel"], town["clarifier"]]
    for entry in entries:
        assert entry.object_type == "intake.resident" and entry.object_id == str(known.pk)
        assert entry.resident_id == known.pk and entry.channel == "web"
        assert entry.object_label == "BSN-controle mislukt"


def test_a_list_showing_exactly_one_resident_names_them_on_the_entry(town, client):
    """`log_list`: a list or search that showed one resident sets the entry's
    `resident` too; one that showed several names them only in the shown table."""
    with scope(municipality=town["m"]):
        one = ResidentFactory(municipality=town["m"], surname="Smit")
        ResidentFactory(municipality=town["m"], surname="de Vries 1")
        ResidentFactory(municipality=town["m"], surname="de Vries 2")
    client.force_login(town["clarifier"])
    client.get(reverse("intake:resident_search"), {"q": "smit"})
    client.get(reverse("intake:resident_search"), {"q": "vries"})
    single, several = sorted(
        page_list_entries(town, town["clarifier"], "intake.resident"), key=lambda e: e.pk
    )
    assert residents_shown_by(single) == [one.pk] and single.resident_id == one.pk
    assert len(residents_shown_by(several)) == 2 and several.resident_id is None


def test_taking_a_question_without_the_version_read_is_refused(town, client):
    # A take posted without the version would overwrite a colleague's take unseen.
    question = make_questions(town, 1)[0]
    client.force_login(town["member"])
    response = client.post(reverse("intake:question_assign", args=[question.pk]), follow=True)
    assert "mist de versie" in response.content.decode()
    with scopes_disabled():
        question.refresh_from_db()
    assert question.assigned_to is None


def test_the_forward_page_names_the_resident_and_is_logged_as_a_read(town, client):
    question = make_questions(town, 1)[0]
    client.force_login(town["member"])
    response = client.get(reverse("intake:question_forward", args=[question.pk]))
    assert response.status_code == 200
    with scopes_disabled():
        entry = AccessLogEntry.objects.get(user=town["member"])
    assert (entry.action, entry.object_id) == (AccessLogEntry.Action.VIEW, str(question.pk))
    assert entry.resident_id == question.resident_id


def test_a_take_that_fails_shows_the_row_as_it_is_now_and_logs_that_read(town, client):
    question = make_questions(town, 1)[0]
    with scope(municipality=town["m"]):
        services.question_assign(actor=town["member"], question=question)
    colleague = make_person(town["m"], memberships=[(town["kernteam"], F.TEAM_MEMBER)])
    client.force_login(colleague)
    response = client.post(
        reverse("intake:question_assign", args=[question.pk]),
        {"version": question.version - 1, "part": "row"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    with scopes_disabled():
        entry = AccessLogEntry.objects.get(user=colleague)
    assert (entry.action, entry.object_id) == (AccessLogEntry.Action.VIEW, str(question.pk))
