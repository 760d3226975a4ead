"""The intake API: residents, questions (register, list, read, forward, take),
triage rules and life domains, through API keys."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from apps.audit.models import AccessLogEntry
from apps.intake.counts import questions_changed
from apps.intake.models import (
    Channel,
    Destination,
    Question,
    QuestionForward,
    Resident,
    TriageRule,
)
from apps.teams.models import Membership, Team
from tests.conftest import api_key_for, make_person, residents_shown_by
from tests.factories import (
    AreaFactory,
    LifeDomainFactory,
    QuestionFactory,
    ResidentFactory,
    TeamFactory,
    TriageRuleFactory,
)

F, K = Membership.Function, Team.Kind
A = AccessLogEntry.Action
VALID_BSN = "111222333"
OTHER_VALID_BSN = "123456782"


def api_for(user, municipality):
    _token, key = api_key_for(user, municipality)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.fixture
def w(municipality, other_municipality):
    """Overbetuwe in miniature: a loket, two kernteams, life domains, an area; a
    loket consultant, a gate clarifier, a member of each kernteam, an admin, a
    policy advisor; and a team, area, life domain and resident of another
    municipality."""
    with scope(municipality=municipality):
        loket = TeamFactory(municipality=municipality, kind=K.LOKET, name="Loket Samenleven")
        elst = TeamFactory(municipality=municipality, name="Kernteam Elst")
        driel = TeamFactory(municipality=municipality, name="Kernteam Driel")
        domains = [
            LifeDomainFactory(municipality=municipality, name=name, position=i)
            for i, name in enumerate(["Huisvesting", "Financiën", "Lichamelijke gezondheid"])
        ]
        area = AreaFactory(municipality=municipality, name="Elst")
    with scope(municipality=other_municipality):
        foreign = SimpleNamespace(
            team=TeamFactory(municipality=other_municipality, name="Sociaal Team Uithoorn"),
            area=AreaFactory(municipality=other_municipality),
            domain=LifeDomainFactory(municipality=other_municipality),
            resident=ResidentFactory(municipality=other_municipality, bsn=VALID_BSN),
        )
        foreign.question = QuestionFactory(
            municipality=other_municipality, resident=foreign.resident, team=foreign.team
        )
    return SimpleNamespace(
        municipality=municipality,
        loket=loket,
        elst=elst,
        driel=driel,
        domains=domains,
        area=area,
        foreign=foreign,
        consultant=make_person(municipality, memberships=[(loket, F.CONSULTANT)]),
        clarifier=make_person(municipality, memberships=[(loket, F.GATE_CLARIFIER)]),
        elst_member=make_person(municipality, memberships=[(elst, F.TEAM_MEMBER)]),
        driel_member=make_person(municipality, memberships=[(driel, F.TEAM_MEMBER)]),
        admin=make_person(municipality, admin=True),
        policy=make_person(municipality, policy=True),
    )


def in_scope(w):
    return scope(municipality=w.municipality)


def log_entries(w, **filters):
    with in_scope(w):
        return list(AccessLogEntry.objects.filter(**filters))


def a_moment_ago(hours=1):
    return (timezone.now() - timedelta(hours=hours)).isoformat()


def question_body(w, **overrides):
    body = {
        "resident_data": {
            "bsn": VALID_BSN,
            "first_names": "Geertje",
            "surname": "Jansen",
            "date_of_birth": "1948-03-01",
            "area": w.area.pk,
        },
        "channel": "telephone",
        "received_at": a_moment_ago(),
        "description": "Mevrouw kan het huishouden niet meer aan.",
        "life_domains": [w.domains[0].pk],
        "laws": ["wmo"],
    }
    body.update(overrides)
    return body


def question_at(w, team, **kwargs):
    with in_scope(w):
        question = QuestionFactory(municipality=w.municipality, team=team, **kwargs)
        question.life_domains.set([w.domains[0]])
    return question


def nothing_saved(w):
    with in_scope(w):
        return not Question.objects.exists() and not Resident.objects.exists()


# --- registering a question ------------------------------------------------------------------


def test_register_for_a_new_resident_runs_triage_and_sets_the_deadline(w):
    api = api_for(w.clarifier, w.municipality)
    received = timezone.now() - timedelta(hours=2)
    response = api.post(
        "/api/v1/questions/", question_body(w, received_at=received.isoformat()), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["triage"] == {
        "team": w.loket.pk,
        "rule": None,
        "rule_name": "standaardbestemming: het loket",
        "is_overridden": False,
        "override_reason": "",
    }
    assert body["team"] == w.loket.pk
    deadline = timezone.localtime(received).date() + timedelta(weeks=6)
    assert body["investigation_deadline"] == deadline.isoformat()
    assert body["is_youth"] is False and body["youth_is_derived"] is True
    assert body["found_known_resident"] is False
    assert body["forwards"] == []
    assert body["status"] == "new" and body["version"] == 1
    assert response["Location"] == f"/api/v1/questions/{body['id']}/"
    with in_scope(w):
        resident = Resident.objects.get()
        assert (resident.bsn, resident.surname, resident.area) == (VALID_BSN, "Jansen", w.area)
        question = Question.objects.get()
        assert question.received_by.user == w.clarifier
        assert list(question.life_domains.all()) == [w.domains[0]]
    assert body["resident"]["id"] == resident.pk
    [entry] = log_entries(w, action=A.CREATE)
    assert entry.channel == AccessLogEntry.Channel.API
    assert (entry.object_id, entry.resident_id, entry.user) == (
        str(question.pk),
        resident.pk,
        w.clarifier,
    )


def test_triage_rule_decides_and_the_outcome_names_it(w):
    with in_scope(w):
        rule = TriageRuleFactory(
            municipality=w.municipality,
            name="Veilig Thuis naar Elst",
            channel=Channel.VEILIG_THUIS,
            destination=Destination.TEAM,
            team=w.elst,
        )
    api = api_for(w.clarifier, w.municipality)
    response = api.post(
        "/api/v1/questions/", question_body(w, channel="veilig_thuis", laws=[]), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["triage"]["team"] == w.elst.pk
    assert body["triage"]["rule"] == rule.pk
    assert body["triage"]["rule_name"] == "Veilig Thuis naar Elst"
    assert body["team"] == w.elst.pk
    assert body["investigation_deadline"] is None  # not a Wmo report


def test_override_sends_it_elsewhere_and_keeps_the_triage_outcome(w):
    api = api_for(w.clarifier, w.municipality)
    response = api.post(
        "/api/v1/questions/",
        question_body(w, override_team=w.driel.pk, override_reason="Gezin al bekend in Driel"),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["team"] == w.driel.pk
    assert body["triage"]["team"] == w.loket.pk
    assert body["triage"]["is_overridden"] is True
    assert body["triage"]["override_reason"] == "Gezin al bekend in Driel"


def test_override_without_reason_is_refused(w):
    api = api_for(w.clarifier, w.municipality)
    response = api.post(
        "/api/v1/questions/", question_body(w, override_team=w.driel.pk), format="json"
    )
    assert response.status_code == 400
    assert "override_reason" in response.json()
    assert nothing_saved(w)


def test_known_bsn_links_the_question_to_the_same_resident(w):
    with in_scope(w):
        known = ResidentFactory(municipality=w.municipality, bsn=VALID_BSN, surname="Jansen")
    api = api_for(w.clarifier, w.municipality)
    body = question_body(w)
    # The BSN as people write it, with the surname (case and spaces do not matter).
    body["resident_data"] = {"bsn": "111 222 333", "surname": " jansen"}
    response = api.post("/api/v1/questions/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["resident"]["id"] == known.pk
    assert response.json()["found_known_resident"] is True
    with in_scope(w):
        assert Resident.objects.count() == 1
        assert Question.objects.get().resident == known


@pytest.mark.parametrize(
    "typed, field",
    [
        ({}, "surname"),
        ({"surname": ""}, "surname"),
        ({"surname": "Pietersen"}, "bsn"),
        ({"surname": "Jansen", "date_of_birth": "1950-01-01"}, "bsn"),
    ],
)
def test_a_known_bsn_without_the_matching_name_is_refused_and_nothing_is_saved(w, typed, field):
    with in_scope(w):
        ResidentFactory(
            municipality=w.municipality,
            bsn=VALID_BSN,
            first_names="Geertje",
            surname="Jansen",
            date_of_birth=date(1948, 3, 1),
        )
    api = api_for(w.clarifier, w.municipality)
    body = question_body(w)
    body["resident_data"] = {"bsn": VALID_BSN, **typed}
    response = api.post("/api/v1/questions/", body, format="json")
    assert response.status_code == 400, response.json()
    errors = response.json()["resident_data"]
    assert field in errors
    assert "Jansen" not in str(response.json()) and "Geertje" not in str(response.json())
    with in_scope(w):
        assert not Question.objects.exists() and Resident.objects.count() == 1


def test_register_for_a_known_resident_by_id(w):
    with in_scope(w):
        known = ResidentFactory(municipality=w.municipality, date_of_birth=date(2015, 5, 1))
    api = api_for(w.elst_member, w.municipality)
    body = question_body(w, resident=known.pk, reason="Moeder belt over haar zoon.")
    del body["resident_data"]
    response = api.post("/api/v1/questions/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["resident"]["id"] == known.pk
    assert response.json()["is_youth"] is True


def test_registering_for_a_resident_one_has_no_relation_with_needs_a_reason_first(w):
    """As on the register page: a question about a chosen resident whose file the
    team member does not work on needs the reason first; registering must not
    open the file without one."""
    with in_scope(w):
        stranger = ResidentFactory(municipality=w.municipality)
    api = api_for(w.driel_member, w.municipality)
    body = question_body(w, resident=stranger.pk)
    del body["resident_data"]
    response = api.post("/api/v1/questions/", body, format="json")
    assert response.status_code == 400, response.json()
    assert "reason" in response.json()
    with in_scope(w):
        assert not Question.objects.exists()
    detail = api.get(f"/api/v1/residents/{stranger.pk}/")
    assert detail.status_code == 400 and "reason" in detail.json()
    response = api.post(
        "/api/v1/questions/",
        body | {"reason": "Buurvrouw meldt zorgen, huisbezoek gepland."},
        format="json",
    )
    assert response.status_code == 201, response.json()
    [entry] = log_entries(w, action=A.CREATE, object_type="intake.question")
    assert entry.reason == "Buurvrouw meldt zorgen, huisbezoek gepland."


def test_invalid_bsn_is_refused_on_its_field_and_nothing_is_saved(w):
    api = api_for(w.clarifier, w.municipality)
    body = question_body(w)
    body["resident_data"]["bsn"] = "123456789"
    response = api.post("/api/v1/questions/", body, format="json")
    assert response.status_code == 400
    assert "elfproef" in response.json()["resident_data"]["bsn"][0]
    assert nothing_saved(w)


def test_future_received_at_is_refused_and_the_new_resident_is_not_saved(w):
    api = api_for(w.clarifier, w.municipality)
    future = (timezone.now() + timedelta(days=1)).isoformat()
    response = api.post("/api/v1/questions/", question_body(w, received_at=future), format="json")
    assert response.status_code == 400
    assert "toekomst" in response.json()["received_at"][0]
    assert nothing_saved(w)
    assert not log_entries(w)


def test_resident_errors_of_the_service_are_nested_under_resident_data(w):
    api = api_for(w.clarifier, w.municipality)
    body = question_body(w)
    body["resident_data"] = {"first_names": "Zonder achternaam"}
    response = api.post("/api/v1/questions/", body, format="json")
    assert response.status_code == 400
    assert "surname" in response.json()["resident_data"]
    body["resident_data"] = {"surname": "Later", "date_of_birth": "2999-01-01"}
    response = api.post("/api/v1/questions/", body, format="json")
    assert response.status_code == 400
    assert "date_of_birth" in response.json()["resident_data"]
    assert nothing_saved(w)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("channel", "carrier_pigeon"),
        ("laws", ["wet_op_de_kansspelen"]),
        ("life_domains", [999_999]),
        ("life_domains", []),
        ("life_domains", "foreign"),
        ("override_team", "foreign"),
        ("gate", "foreign"),
        ("resident", "foreign"),
    ],
)
def test_unknown_or_foreign_values_are_refused_on_their_field(w, field, value):
    foreign = {
        "life_domains": [w.foreign.domain.pk],
        "override_team": w.foreign.team.pk,
        "gate": w.foreign.team.pk,
        "resident": w.foreign.resident.pk,
    }
    body = question_body(w, override_reason="Bewust" if field == "override_team" else "")
    body[field] = foreign[field] if value == "foreign" else value
    if field == "resident":
        del body["resident_data"]
    api = api_for(w.clarifier, w.municipality)
    response = api.post("/api/v1/questions/", body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert nothing_saved(w)


def test_a_foreign_area_in_the_resident_data_does_not_exist(w):
    body = question_body(w)
    body["resident_data"]["area"] = w.foreign.area.pk
    response = api_for(w.clarifier, w.municipality).post("/api/v1/questions/", body, format="json")
    assert response.status_code == 400
    assert "area" in response.json()["resident_data"]
    assert nothing_saved(w)


def test_resident_or_resident_data_but_not_both_nor_neither(w):
    api = api_for(w.clarifier, w.municipality)
    with in_scope(w):
        known = ResidentFactory(municipality=w.municipality)
    both = api.post("/api/v1/questions/", question_body(w, resident=known.pk), format="json")
    assert both.status_code == 400 and "resident_data" in both.json()
    body = question_body(w)
    del body["resident_data"]
    neither = api.post("/api/v1/questions/", body, format="json")
    assert neither.status_code == 400 and "resident" in neither.json()


@pytest.mark.parametrize("who", ["policy", "admin"])
def test_people_without_the_register_role_cannot_register(w, who):
    response = api_for(getattr(w, who), w.municipality).post(
        "/api/v1/questions/", question_body(w), format="json"
    )
    assert response.status_code == 403
    assert nothing_saved(w)


# --- listing ----------------------------------------------------------------------------------


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_list_filters_like_the_inbox(w):
    with in_scope(w):
        child = ResidentFactory(municipality=w.municipality, surname="Pietersen", bsn=VALID_BSN)
    now = timezone.now()
    phone = question_at(w, w.elst, received_at=now - timedelta(days=1), laws=["wmo"])
    mail = question_at(
        w, w.elst, channel=Channel.EMAIL, received_at=now - timedelta(days=2), area=w.area
    )
    youth = question_at(
        w, w.driel, resident=child, is_youth=True, received_at=now - timedelta(days=10)
    )
    # Received now: today in the municipality's time zone whatever the hour (the
    # factory's default, an hour ago, is yesterday there just after midnight).
    taken = question_at(w, w.elst, status=Question.Status.IN_PROGRESS, received_at=now)
    closed = question_at(w, w.driel, status=Question.Status.CLOSED, received_at=now)
    api = api_for(w.consultant, w.municipality)  # the loket sees every question

    # New first, then in progress; oldest first within each.
    assert ids(api.get("/api/v1/questions/")) == [youth.pk, mail.pk, phone.pk, taken.pk]
    assert ids(api.get("/api/v1/questions/", {"team": w.elst.pk})) == [mail.pk, phone.pk, taken.pk]
    assert ids(api.get("/api/v1/questions/", {"status": "closed"})) == [closed.pk]
    assert set(ids(api.get("/api/v1/questions/", {"status": "all"}))) == {
        youth.pk,
        mail.pk,
        phone.pk,
        taken.pk,
        closed.pk,
    }
    assert ids(api.get("/api/v1/questions/", {"channel": "email"})) == [mail.pk]
    assert ids(api.get("/api/v1/questions/", {"law": "wmo"})) == [phone.pk]
    assert ids(api.get("/api/v1/questions/", {"area": w.area.pk})) == [mail.pk]
    assert ids(api.get("/api/v1/questions/", {"youth": "true"})) == [youth.pk]
    assert youth.pk not in ids(api.get("/api/v1/questions/", {"youth": "false"}))
    window = {
        "received_from": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "received_until": (timezone.localdate() - timedelta(days=1)).isoformat(),
    }
    assert ids(api.get("/api/v1/questions/", window)) == [mail.pk, phone.pk]
    assert ids(api.get("/api/v1/questions/", {"q": "pieters"})) == [youth.pk]
    assert ids(api.get("/api/v1/questions/", {"q": "111 222 333"})) == [youth.pk]


def test_list_has_no_exact_count_and_pages_by_cursor(w):
    for hours in range(5, 0, -1):
        question_at(w, w.elst, received_at=timezone.now() - timedelta(hours=hours))
    api = api_for(w.consultant, w.municipality)
    first = api.get("/api/v1/questions/", {"page_size": 2}).json()
    assert "count" not in first
    assert first["count_at_least"] == 5 and first["count_is_bounded"] is False
    seen, url = [], "/api/v1/questions/?page_size=2"
    while url:
        page = api.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    with in_scope(w):
        assert seen == list(
            Question.objects.order_by("received_at", "pk").values_list("pk", flat=True)
        )


def test_list_rejects_bad_parameters_on_their_field(w):
    api = api_for(w.consultant, w.municipality)
    for params, field in [
        ({"cursor": "rubbish"}, "cursor"),
        ({"team": w.foreign.team.pk}, "team"),
        ({"area": w.foreign.area.pk}, "area"),
        ({"status": "lost"}, "status"),
        ({"received_from": "2026-02-01", "received_until": "2026-01-01"}, "received_until"),
        ({"page_size": 1000}, "page_size"),
    ]:
        response = api.get("/api/v1/questions/", params)
        assert response.status_code == 400, params
        assert field in response.json(), params


def test_a_team_member_lists_only_the_questions_of_their_teams(w):
    own = question_at(w, w.elst)
    question_at(w, w.driel)
    with in_scope(w):
        registered = QuestionFactory(
            municipality=w.municipality,
            team=w.driel,
            received_by=w.elst_member.staff_memberships.get(),
        )
    api = api_for(w.elst_member, w.municipality)
    assert set(ids(api.get("/api/v1/questions/"))) == {own.pk, registered.pk}
    assert ids(api.get("/api/v1/questions/", {"team": w.driel.pk})) == [registered.pk]


def test_list_never_shows_another_municipality(w):
    api = api_for(w.consultant, w.municipality)
    assert ids(api.get("/api/v1/questions/", {"status": "all"})) == []


def test_list_has_a_fixed_number_of_queries(w, django_assert_max_num_queries):
    api = api_for(w.elst_member, w.municipality)
    for _ in range(3):
        question_at(w, w.elst)
    with django_assert_max_num_queries(40) as small:
        assert len(ids(api.get("/api/v1/questions/", {"q": "jansen"}))) == 3
    for _ in range(20):
        question = question_at(w, w.elst)
        with in_scope(w):
            question.life_domains.set(w.domains)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = api.get("/api/v1/questions/", {"q": "jansen"})
    assert len(ids(response)) == 23


def count_queries(captured) -> int:
    return sum(1 for q in captured if q["sql"].startswith("SELECT COUNT(*)"))


def test_the_bounded_count_is_not_counted_again_on_the_next_page_view(
    w, django_assert_max_num_queries
):
    for _ in range(3):
        question_at(w, w.elst)
    api = api_for(w.elst_member, w.municipality)
    with django_assert_max_num_queries(40) as first:
        assert api.get("/api/v1/questions/", {"team": w.elst.pk}).json()["count_at_least"] == 3
    with django_assert_max_num_queries(40) as again:
        assert api.get("/api/v1/questions/", {"team": w.elst.pk}).json()["count_at_least"] == 3
    assert count_queries(first.captured_queries) == 1
    assert count_queries(again.captured_queries) == 0
    # Another filter is another count.
    assert (
        api.get("/api/v1/questions/", {"team": w.elst.pk, "law": "jeugdwet"}).json()[
            "count_at_least"
        ]
        == 0
    )


def test_ones_own_change_shows_in_the_count_on_the_next_request(w):
    questions = [question_at(w, w.elst) for _ in range(3)]
    api = api_for(w.elst_member, w.municipality)
    params = {"team": w.elst.pk, "status": "new"}
    assert api.get("/api/v1/questions/", params).json()["count_at_least"] == 3
    taken = api.post(f"/api/v1/questions/{questions[0].pk}/assign/", {"version": 1})
    assert taken.status_code == 200
    assert api.get("/api/v1/questions/", params).json()["count_at_least"] == 2
    moved = forward(api, questions[1], to_team=w.driel.pk, reason="Woont in Driel", version=1)
    assert moved.status_code == 200
    assert api.get("/api/v1/questions/", params).json()["count_at_least"] == 1
    # A colleague's inbox of the other team counts the forwarded question at once.
    driel = api_for(w.driel_member, w.municipality)
    assert driel.get("/api/v1/questions/", {"team": w.driel.pk}).json()["count_at_least"] == 1
    # A corrected name counts in a search at once too.
    assert api.get("/api/v1/questions/", {"q": "Zwanenburg"}).json()["count_at_least"] == 0
    with in_scope(w):
        resident = questions[2].resident
        resident.surname = "Zwanenburg"
        resident.save()
    assert api.get("/api/v1/questions/", {"q": "Zwanenburg"}).json()["count_at_least"] == 1


def test_the_count_is_kept_per_user_and_never_shows_what_another_may_see(w):
    question_at(w, w.elst)
    question_at(w, w.driel)
    consultant = api_for(w.consultant, w.municipality)
    assert consultant.get("/api/v1/questions/").json()["count_at_least"] == 2
    member = api_for(w.elst_member, w.municipality)
    assert member.get("/api/v1/questions/").json()["count_at_least"] == 1


def test_name_search_finds_the_start_of_the_surname_or_first_names(w):
    with in_scope(w):
        named = {
            key: ResidentFactory(municipality=w.municipality, first_names=first, surname=last)
            for key, first, last in [
                ("jansen", "Anna", "Jansen"),
                ("janssen", "Piet", "Janßen_%"),
                ("de_jong", "Jannie", "Jong"),
                ("bakker", "Kees", "Bakker"),
            ]
        }
    questions = {key: question_at(w, w.elst, resident=r) for key, r in named.items()}
    api = api_for(w.consultant, w.municipality)

    def found(term):
        return {questions_by_id[pk] for pk in ids(api.get("/api/v1/questions/", {"q": term}))}

    questions_by_id = {q.pk: key for key, q in questions.items()}
    assert found("jan") == {"jansen", "janssen", "de_jong"}
    assert found("JANS") == {"jansen"}
    assert found("janß") == {"janssen"}
    # Wildcards are letters like any other.
    assert found("janßen_%") == {"janssen"}
    assert found("jan%") == set()
    assert found("jannie") == {"de_jong"}
    assert found("bakker") == {"bakker"}
    # The start of a name, not any part of it (apps/intake/lookups.py).
    assert found("akker") == set()
    # Another municipality's resident of the same name is never found.
    assert found("uithoorn") == set()


def test_prefix_upper_bound_is_the_least_string_past_the_prefix():
    from apps.intake.lookups import prefix_upper_bound

    assert prefix_upper_bound("JANSEN") == "JANSEO"
    assert prefix_upper_bound("Z") == "["
    assert prefix_upper_bound("JÉ") == "JÊ"
    # No character comes after the last one; the surrogates are no characters.
    assert prefix_upper_bound("J\U0010ffff") is None
    assert prefix_upper_bound("J\ud7ff") == "J\ue000"


def test_a_search_ending_in_the_edge_of_unicode_is_answered(w):
    api = api_for(w.consultant, w.municipality)
    for term in ("J\U0010ffff", "J\ud7ff"):
        response = api.get("/api/v1/questions/", {"q": term})
        assert response.status_code == 200, term
        assert response.json()["results"] == []


def test_a_search_in_the_list_is_logged(w):
    api = api_for(w.consultant, w.municipality)
    api.get("/api/v1/questions/")
    assert not log_entries(w)
    api.get("/api/v1/questions/", {"q": "Jansen"})
    [entry] = log_entries(w, action=A.SEARCH)
    assert "Jansen" in entry.object_label and entry.object_type == "intake.question"


# --- reading one ------------------------------------------------------------------------------


def test_retrieve_shows_the_forward_history_and_is_logged(w):
    question = question_at(w, w.elst)
    with in_scope(w):
        forward = QuestionForward.objects.create(
            municipality=w.municipality,
            question=question,
            from_team=w.driel,
            to_team=w.elst,
            by=question.received_by,
            reason="Hoort in Elst",
        )
    response = api_for(w.elst_member, w.municipality).get(f"/api/v1/questions/{question.pk}/")
    assert response.status_code == 200
    [row] = response.json()["forwards"]
    assert row["id"] == forward.pk
    assert (row["from_team"], row["to_team"], row["reason"]) == (
        w.driel.pk,
        w.elst.pk,
        "Hoort in Elst",
    )
    [entry] = log_entries(w, action=A.VIEW)
    assert entry.object_id == str(question.pk) and entry.resident == question.resident


def test_retrieve_of_another_municipality_is_404_and_of_another_team_403(w):
    api = api_for(w.elst_member, w.municipality)
    assert api.get(f"/api/v1/questions/{w.foreign.question.pk}/").status_code == 404
    elsewhere = question_at(w, w.driel)
    response = api.get(f"/api/v1/questions/{elsewhere.pk}/")
    assert response.status_code == 403
    assert "detail" in response.json()
    assert not log_entries(w)


def test_people_without_the_view_role_get_403_for_any_question(w):
    question = question_at(w, w.elst)
    api = api_for(w.policy, w.municipality)
    assert api.get(f"/api/v1/questions/{question.pk}/").status_code == 403
    assert api.get(f"/api/v1/questions/{w.foreign.question.pk}/").status_code == 403
    assert api.get("/api/v1/questions/").status_code == 403


# --- forwarding and taking ----------------------------------------------------------------


def forward(api, question, **body):
    return api.post(f"/api/v1/questions/{question.pk}/forward/", body, format="json")


def test_forward_records_the_history_and_moves_the_question(w):
    question = question_at(w, w.elst)
    api = api_for(w.elst_member, w.municipality)
    response = forward(api, question, to_team=w.loket.pk, reason="Maatwerk nodig", version=1)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["team"], body["status"], body["assigned_to"], body["version"]) == (
        w.loket.pk,
        "new",
        None,
        2,
    )
    [row] = body["forwards"]
    assert (row["from_team"], row["to_team"], row["reason"]) == (
        w.elst.pk,
        w.loket.pk,
        "Maatwerk nodig",
    )
    with in_scope(w):
        stored = QuestionForward.objects.get()
        assert stored.by.user == w.elst_member
    [entry] = log_entries(w, action=A.FORWARD)
    assert entry.reason == "Maatwerk nodig"


@pytest.mark.parametrize(
    ("to", "field"),
    [("same", "to_team"), ("foreign", "to_team"), ("missing", "to_team"), ("loket", "reason")],
)
def test_forward_refuses_bad_input_and_changes_nothing(w, to, field):
    question = question_at(w, w.elst)
    team = {
        "same": w.elst.pk,
        "foreign": w.foreign.team.pk,
        "missing": 999_999,
        "loket": w.loket.pk,
    }[to]
    reason = "" if field == "reason" else "Omdat"
    response = forward(
        api_for(w.elst_member, w.municipality), question, to_team=team, reason=reason, version=1
    )
    assert response.status_code == 400
    assert field in response.json()
    with in_scope(w):
        question.refresh_from_db()
        assert (question.team, question.version) == (w.elst, 1)
        assert not QuestionForward.objects.exists()
    assert not log_entries(w)


def test_forward_with_a_stale_version_is_a_conflict(w):
    question = question_at(w, w.elst)
    api = api_for(w.elst_member, w.municipality)
    assert api.post(f"/api/v1/questions/{question.pk}/assign/", {"version": 1}).status_code == 200
    response = forward(api, question, to_team=w.loket.pk, reason="Toch", version=1)
    assert response.status_code == 409
    assert "gewijzigd" in response.json()["detail"]
    with in_scope(w):
        question.refresh_from_db()
        assert question.team == w.elst
        assert not QuestionForward.objects.exists()


def test_forward_without_version_is_refused(w):
    question = question_at(w, w.elst)
    response = forward(
        api_for(w.elst_member, w.municipality), question, to_team=w.loket.pk, reason="x"
    )
    assert response.status_code == 400
    assert "version" in response.json()


def test_only_a_member_of_the_team_forwards_or_takes(w):
    question = question_at(w, w.elst)
    # The loket consultant sees every question but is no member of Kernteam Elst.
    api = api_for(w.consultant, w.municipality)
    assert forward(api, question, to_team=w.loket.pk, reason="x", version=1).status_code == 403
    assert api.post(f"/api/v1/questions/{question.pk}/assign/", {"version": 1}).status_code == 403
    # A member of another team does not even see it.
    other = api_for(w.driel_member, w.municipality)
    assert forward(other, question, to_team=w.driel.pk, reason="x", version=1).status_code == 403
    # The gate clarifier sees it but may not handle questions at all.
    gate = api_for(w.clarifier, w.municipality)
    assert forward(gate, question, to_team=w.loket.pk, reason="x", version=1).status_code == 403
    with in_scope(w):
        question.refresh_from_db()
        assert (question.team, question.assigned_to, question.version) == (w.elst, None, 1)
    assert not log_entries(w)


def test_forward_and_assign_of_another_municipality_are_404(w):
    api = api_for(w.elst_member, w.municipality)
    foreign = w.foreign.question
    assert forward(api, foreign, to_team=w.loket.pk, reason="x", version=1).status_code == 404
    assert api.post(f"/api/v1/questions/{foreign.pk}/assign/", {"version": 1}).status_code == 404


def test_assign_makes_me_the_handler(w):
    question = question_at(w, w.elst)
    api = api_for(w.elst_member, w.municipality)
    response = api.post(f"/api/v1/questions/{question.pk}/assign/", {"version": 1}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    with in_scope(w):
        me = w.elst_member.staff_memberships.get()
    assert (body["assigned_to"], body["status"], body["version"]) == (me.pk, "in_progress", 2)
    assert body["assigned_to_name"] == w.elst_member.full_name
    [entry] = log_entries(w, action=A.ASSIGN)
    assert entry.object_id == str(question.pk)


def test_assign_of_a_question_someone_else_took_is_refused(w):
    colleague = make_person(w.municipality, memberships=[(w.elst, F.TEAM_MEMBER)])
    question = question_at(w, w.elst)
    assert (
        api_for(colleague, w.municipality)
        .post(f"/api/v1/questions/{question.pk}/assign/", {"version": 1})
        .status_code
        == 200
    )
    api = api_for(w.elst_member, w.municipality)
    stale = api.post(f"/api/v1/questions/{question.pk}/assign/", {"version": 1})
    assert stale.status_code == 409
    current = api.post(f"/api/v1/questions/{question.pk}/assign/", {"version": 2})
    assert current.status_code == 400
    assert colleague.full_name in current.json()["non_field_errors"][0]


# --- triage rules -------------------------------------------------------------------------------


def test_admin_manages_triage_rules_with_versions(w):
    api = api_for(w.admin, w.municipality)
    with in_scope(w):
        TriageRuleFactory(municipality=w.municipality, position=4)
    created = api.post(
        "/api/v1/triage-rules/",
        {
            "name": "Jeugd naar Elst",
            "is_youth": True,
            "life_domain": w.domains[0].pk,
            "destination": "team",
            "team": w.elst.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    rule = created.json()
    assert (rule["position"], rule["version"], rule["channel"]) == (5, 1, "")
    url = f"/api/v1/triage-rules/{rule['id']}/"
    assert api.patch(url, {"name": "Zonder versie"}, format="json").status_code == 400
    changed = api.patch(url, {"name": "Jeugd naar Elst (0-18)", "version": 1}, format="json")
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = api.patch(url, {"name": "Te laat", "version": 1}, format="json")
    assert stale.status_code == 409
    assert api.delete(url).status_code == 405
    retired = api.patch(url, {"is_active": False, "version": 2}, format="json")
    assert retired.status_code == 200 and retired.json()["is_active"] is False
    assert [
        r["id"] for r in api.get("/api/v1/triage-rules/", {"is_active": "false"}).json()["results"]
    ] == [rule["id"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"destination": "team"}, "team"),
        ({"destination": "loket", "team": "own team"}, "team"),
        ({"destination": "team", "team": "foreign team"}, "team"),
        ({"destination": "loket", "area": "foreign area"}, "area"),
        ({"destination": "loket", "life_domain": "foreign domain"}, "life_domain"),
        ({"destination": "castle"}, "destination"),
    ],
)
def test_invalid_triage_rules_are_refused_on_their_field(w, change, field):
    ids_ = {
        "own team": w.elst.pk,
        "foreign team": w.foreign.team.pk,
        "foreign area": w.foreign.area.pk,
        "foreign domain": w.foreign.domain.pk,
    }
    body = {"name": "Regel", **{key: ids_.get(value, value) for key, value in change.items()}}
    response = api_for(w.admin, w.municipality).post("/api/v1/triage-rules/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    with in_scope(w):
        assert not TriageRule.objects.exists()


@pytest.mark.parametrize("who", ["consultant", "clarifier", "elst_member", "policy"])
def test_triage_rules_are_for_the_admin_only(w, who):
    with in_scope(w):
        rule = TriageRuleFactory(municipality=w.municipality)
    api = api_for(getattr(w, who), w.municipality)
    assert api.get("/api/v1/triage-rules/").status_code == 403
    assert api.get(f"/api/v1/triage-rules/{rule.pk}/").status_code == 403
    body = {"name": "X", "destination": "loket"}
    assert api.post("/api/v1/triage-rules/", body, format="json").status_code == 403
    patch = api.patch(f"/api/v1/triage-rules/{rule.pk}/", {"name": "X", "version": 1})
    assert patch.status_code == 403


# --- life domains -------------------------------------------------------------------------------


def test_every_staff_member_reads_the_life_domains_of_their_municipality(w):
    for person in (w.policy, w.elst_member):
        response = api_for(person, w.municipality).get("/api/v1/life-domains/")
        assert response.status_code == 200
        assert [d["id"] for d in response.json()["results"]] == [d.pk for d in w.domains]
    api = api_for(w.policy, w.municipality)
    assert api.get(f"/api/v1/life-domains/{w.foreign.domain.pk}/").status_code == 404
    assert api.post("/api/v1/life-domains/", {"name": "X"}).status_code == 405


def test_an_integration_account_reads_life_domains_but_no_personal_data(w):
    from apps.tenants.models import StaffMember

    account = make_person(w.municipality)
    with scopes_disabled():
        StaffMember.objects.filter(user=account).update(is_integration=True)
    api = api_for(account, w.municipality)
    assert api.get("/api/v1/life-domains/").status_code == 200
    assert api.get("/api/v1/questions/").status_code == 403
    assert api.get("/api/v1/residents/", {"q": "Jansen"}).status_code == 403


# --- residents ----------------------------------------------------------------------------------


def test_find_a_resident_by_bsn_or_name_and_the_search_is_logged(w):
    with in_scope(w):
        geertje = ResidentFactory(
            municipality=w.municipality, bsn=VALID_BSN, first_names="Geertje", surname="Jansen"
        )
        ResidentFactory(municipality=w.municipality, bsn=OTHER_VALID_BSN, surname="Pietersen")
    api = api_for(w.elst_member, w.municipality)
    by_bsn = api.get("/api/v1/residents/", {"bsn": "111.222.333"})
    assert by_bsn.status_code == 200
    assert [r["id"] for r in by_bsn.json()["results"]] == [geertje.pk]
    assert by_bsn.json()["has_more"] is False
    assert by_bsn.json()["results"][0]["full_name"] == "Geertje Jansen"
    by_name = api.get("/api/v1/residents/", {"q": "geertje jans"})
    assert [r["id"] for r in by_name.json()["results"]] == [geertje.pk]
    entries = log_entries(w, action=A.SEARCH)
    assert len(entries) == 2
    assert all(e.channel == AccessLogEntry.Channel.API for e in entries)
    assert {e.object_label for e in entries} == {
        "zoekterm '111222333', 1 gevonden",
        "zoekterm 'geertje jans', 1 gevonden",
    }


def test_resident_search_without_a_term_lists_nobody(w):
    with in_scope(w):
        ResidentFactory(municipality=w.municipality)
    response = api_for(w.elst_member, w.municipality).get("/api/v1/residents/")
    assert response.json() == {"results": [], "has_more": False}
    assert not log_entries(w)


def test_resident_search_with_an_invalid_bsn_says_so(w):
    api = api_for(w.elst_member, w.municipality)
    response = api.get("/api/v1/residents/", {"bsn": "123456789"})
    assert response.status_code == 400
    assert "elfproef" in response.json()["bsn"][0]


def test_resident_search_never_finds_another_municipality(w):
    # B has a resident with this BSN; A has none.
    response = api_for(w.elst_member, w.municipality).get("/api/v1/residents/", {"bsn": VALID_BSN})
    assert response.json()["results"] == []


def test_resident_search_is_bounded(w):
    with in_scope(w):
        for _ in range(26):
            ResidentFactory(municipality=w.municipality, surname="Jansen")
    body = api_for(w.elst_member, w.municipality).get("/api/v1/residents/", {"q": "jansen"}).json()
    assert len(body["results"]) == 25 and body["has_more"] is True


def test_read_a_resident_is_logged_and_404_elsewhere(w):
    with in_scope(w):
        resident = ResidentFactory(municipality=w.municipality, bsn=OTHER_VALID_BSN)
    api = api_for(w.consultant, w.municipality)
    response = api.get(f"/api/v1/residents/{resident.pk}/")
    assert response.status_code == 200
    assert response.json()["bsn"] == OTHER_VALID_BSN
    [entry] = log_entries(w, action=A.VIEW)
    assert entry.resident == resident and entry.channel == AccessLogEntry.Channel.API
    assert api.get(f"/api/v1/residents/{w.foreign.resident.pk}/").status_code == 404


def test_residents_are_not_for_people_without_the_view_role(w):
    with in_scope(w):
        resident = ResidentFactory(municipality=w.municipality)
    api = api_for(w.policy, w.municipality)
    assert api.get("/api/v1/residents/", {"q": resident.surname}).status_code == 403
    assert api.get(f"/api/v1/residents/{resident.pk}/").status_code == 403
    assert not log_entries(w)


# --- the schema ---------------------------------------------------------------------------------


def test_schema_documents_the_intake_endpoints_with_examples_and_errors(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    create = paths["/api/v1/questions/"]["post"]
    assert set(create["responses"]) >= {"201", "400", "403"}
    assert create["requestBody"]["content"]["application/json"]["examples"]
    for action in ("forward", "assign"):
        operation = paths[f"/api/v1/questions/{{id}}/{action}/"]["post"]
        assert set(operation["responses"]) >= {"200", "400", "403", "404", "409"}
        assert operation["requestBody"]["content"]["application/json"]["examples"]
    assert set(paths["/api/v1/questions/{id}/"]["get"]["responses"]) >= {"200", "403", "404"}
    listed = {p["name"] for p in paths["/api/v1/questions/"]["get"]["parameters"]}
    assert listed >= {"team", "status", "channel", "law", "area", "youth", "q", "cursor"}
    assert "delete" not in paths["/api/v1/triage-rules/{id}/"]
    assert {"/api/v1/residents/", "/api/v1/life-domains/"} <= set(paths)


def test_opening_a_file_without_a_relation_needs_a_reason(w):
    with in_scope(w):
        stranger = ResidentFactory(municipality=w.municipality, surname="Vreemd")
    api = api_for(w.elst_member, w.municipality)
    url = f"/api/v1/residents/{stranger.pk}/"
    response = api.get(url)
    assert response.status_code == 400 and "reason" in response.json()
    response = api.get(url, {"reason": "Overleg met het loket over een melding"})
    assert response.status_code == 200
    [entry] = log_entries(w, action=A.VIEW)
    assert entry.reason == "Overleg met het loket over een melding"


def test_a_retry_with_the_same_idempotency_key_makes_nothing_new(w):
    api = api_for(w.clarifier, w.municipality)
    body = question_body(w)
    first = api.post("/api/v1/questions/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    again = api.post("/api/v1/questions/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    other = api.post("/api/v1/questions/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-2")
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


# --- the Idempotency-Key belongs to the one who sent it ---------------------------------------


def veilig_thuis_report(w, key):
    """The gate clarifier registers a Veilig Thuis report at the loket with `key`."""
    api = api_for(w.clarifier, w.municipality)
    body = question_body(
        w,
        channel="veilig_thuis",
        override_team=w.loket.pk,
        override_reason="Veilig Thuis: altijd naar het loket.",
        reporter_name="Veilig Thuis Gelderland-Zuid",
    )
    response = api.post("/api/v1/questions/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 201
    return response.json()


def test_idempotency_key_of_another_user_never_returns_their_question(w):
    report = veilig_thuis_report(w, "vt-key-1")
    driel = api_for(w.driel_member, w.municipality)
    assert driel.get(f"/api/v1/questions/{report['id']}/").status_code == 403
    junk = {
        "resident_data": {"surname": "x"},
        "channel": "telephone",
        "received_at": a_moment_ago(),
        "description": "x",
        "life_domains": [],
    }
    replay = driel.post("/api/v1/questions/", junk, format="json", HTTP_IDEMPOTENCY_KEY="vt-key-1")
    assert replay.status_code == 400
    assert "Jansen" not in replay.content.decode() and "1948" not in replay.content.decode()
    # A valid body with the same key is a new registration of the Driel member's own.
    mine = question_body(
        w, resident_data={"surname": "Pieterse", "first_names": "Kees", "area": w.area.pk}
    )
    own = driel.post("/api/v1/questions/", mine, format="json", HTTP_IDEMPOTENCY_KEY="vt-key-1")
    assert own.status_code == 201
    assert own.json()["id"] != report["id"]
    assert "Jansen" not in own.content.decode() and "1948" not in own.content.decode()
    with in_scope(w):
        assert Question.objects.count() == 2  # the report and the new one
        assert Question.objects.get(pk=own.json()["id"]).received_by.user == w.driel_member


def test_idempotency_key_claimed_first_by_another_user_does_not_suppress_a_registration(w):
    driel = api_for(w.driel_member, w.municipality)
    mine = question_body(
        w, resident_data={"surname": "Pieterse", "first_names": "Kees", "area": w.area.pk}
    )
    claimed = driel.post("/api/v1/questions/", mine, format="json", HTTP_IDEMPOTENCY_KEY="k-9")
    assert claimed.status_code == 201
    report = veilig_thuis_report(w, "k-9")
    assert report["id"] != claimed.json()["id"]
    with in_scope(w):
        assert Question.objects.get(pk=report["id"]).resident.surname == "Jansen"


def test_a_genuine_repeat_of_a_registration_is_logged_as_a_read(w):
    report = veilig_thuis_report(w, "vt-key-2")
    api = api_for(w.clarifier, w.municipality)
    again = api.post(
        "/api/v1/questions/", question_body(w), format="json", HTTP_IDEMPOTENCY_KEY="vt-key-2"
    )
    assert again.status_code == 200 and again.json()["id"] == report["id"]
    [created] = log_entries(w, action=A.CREATE, object_type="intake.question")
    [read] = log_entries(w, action=A.VIEW, object_type="intake.question")
    assert read.object_id == created.object_id == str(report["id"])
    assert read.resident_id == created.resident_id is not None
    assert read.user == w.clarifier


# --- lists and searches are reads: one access-log entry per request ---------------------------


def test_question_list_is_logged_once_per_request_naming_the_residents_shown(w):
    questions = [question_at(w, w.loket) for _ in range(3)]
    api = api_for(w.consultant, w.municipality)
    response = api.get("/api/v1/questions/")
    assert response.status_code == 200 and len(response.json()["results"]) == 3
    [entry] = log_entries(w, object_type="intake.question")
    assert entry.action == A.VIEW and entry.user == w.consultant
    assert sorted(entry.object_ids) == sorted(q.pk for q in questions)
    assert sorted(residents_shown_by(entry)) == sorted(q.resident_id for q in questions)
    assert entry.channel == AccessLogEntry.Channel.API


def test_question_list_costs_the_same_number_of_queries_for_more_questions(w):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_for(w.consultant, w.municipality)
    question_at(w, w.loket)
    api.get("/api/v1/questions/")  # warm the caches of the key and the roles
    # Both measured requests count (the bounded count is cached until the
    # questions change, apps/intake/counts.py, and the five new ones change them).
    questions_changed(w.municipality.pk)
    with CaptureQueriesContext(connection) as one:
        api.get("/api/v1/questions/")
    for _ in range(5):
        question_at(w, w.loket)
    with CaptureQueriesContext(connection) as six:
        assert len(api.get("/api/v1/questions/").json()["results"]) == 6
    assert len(six.captured_queries) == len(one.captured_queries)


def test_resident_name_search_names_every_resident_shown(w):
    with in_scope(w):
        found = [
            ResidentFactory(municipality=w.municipality, surname=f"Bakker {i}") for i in (1, 2)
        ]
    api = api_for(w.clarifier, w.municipality)
    assert len(api.get("/api/v1/residents/", {"q": "bakker"}).json()["results"]) == 2
    [entry] = log_entries(w, action=A.SEARCH, object_type="intake.resident")
    assert sorted(residents_shown_by(entry)) == sorted(r.pk for r in found)
    assert sorted(entry.object_ids) == sorted(r.pk for r in found)


def test_the_overview_for_a_resident_finds_the_lists_that_showed_them(w, client):
    from apps.audit.selectors import resident_accesses

    shown = question_at(w, w.loket)
    api_for(w.consultant, w.municipality).get("/api/v1/questions/")
    with in_scope(w):
        [entry] = resident_accesses(municipality=w.municipality, resident=shown.resident)
        assert entry.object_type == "intake.question" and entry.user == w.consultant
    client.force_login(w.admin)
    page = client.get(f"/beheer/toegangslog/inwoner/{shown.resident_id}/")
    assert page.status_code == 200
    assert [row["entry"] for row in page.context["rows"]][-1] == entry


def test_typing_the_bsn_and_surname_of_a_stranger_needs_a_reason_first(w):
    """The reason-first gate holds on the typed path too: a team member who types
    the BSN and surname of a known resident they do not work on is refused
    without the reason (nothing saved, no name shown), and with it the question
    is registered and the log keeps the reason."""
    with in_scope(w):
        stranger = ResidentFactory(
            municipality=w.municipality,
            bsn=VALID_BSN,
            first_names="Geertje",
            surname="Jansen",
            date_of_birth=date(1948, 3, 1),
        )
    api = api_for(w.driel_member, w.municipality)
    body = question_body(w)
    body["resident_data"] = {"bsn": VALID_BSN, "surname": "Jansen"}
    response = api.post("/api/v1/questions/", body, format="json")
    assert response.status_code == 400, response.json()
    assert "reden" in response.json()["reason"][0]
    assert "Geertje" not in str(response.json())
    with in_scope(w):
        assert not Question.objects.exists() and Resident.objects.count() == 1
    assert not log_entries(w, action=A.CREATE)
    reason = "Buurvrouw meldt zorgen, huisbezoek gepland."
    response = api.post("/api/v1/questions/", body | {"reason": reason}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["resident"]["id"] == stranger.pk
    [entry] = log_entries(w, action=A.CREATE, object_type="intake.question")
    assert entry.reason == reason and entry.resident_id == stranger.pk


def test_typing_the_bsn_of_a_resident_one_works_on_needs_no_reason(w):
    with in_scope(w):
        known = ResidentFactory(municipality=w.municipality, bsn=VALID_BSN, surname="Jansen")
        QuestionFactory(municipality=w.municipality, resident=known, team=w.driel)
    api = api_for(w.driel_member, w.municipality)
    body = question_body(w)
    body["resident_data"] = {"bsn": VALID_BSN, "surname": "Jansen"}
    response = api.post("/api/v1/questions/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["resident"]["id"] == known.pk


def test_a_failed_bsn_check_is_logged_naming_the_resident(w):
    """A known BSN with another surname is refused (as before) and the attempt is
    logged as a search naming the resident, so probing BSNs leaves a trail; the
    typed name is not in the log."""
    with in_scope(w):
        known = ResidentFactory(municipality=w.municipality, bsn=VALID_BSN, surname="Jansen")
    api = api_for(w.driel_member, w.municipality)
    body = question_body(w)
    body["resident_data"] = {"bsn": VALID_BSN, "surname": "Pietersen"}
    response = api.post("/api/v1/questions/", body, format="json")
    assert response.status_code == 400, response.json()
    assert "Jansen" not in str(response.json())
    [entry] = log_entries(w, action=A.SEARCH)
    assert entry.object_type == "intake.resident" and entry.object_id == str(known.pk)
    assert entry.resident_id == known.pk and entry.user_id == w.driel_member.pk
    assert entry.object_label == "BSN-controle mislukt"
    assert "Pietersen" not in entry.object_label and entry.channel == "api"
    with in_scope(w):
        assert not Question.objects.exists()
    # An unknown BSN finds nobody: nothing to log as a probe.
    body["resident_data"] = {"bsn": OTHER_VALID_BSN, "surname": "Pietersen"}
    assert api.post("/api/v1/questions/", body, format="json").status_code == 201
    assert len(log_entries(w, action=A.SEARCH)) == 1
