"""#20 part 2: an activity's note and a question's description are corrected by
their author or the director, with a reason; every earlier version is kept and
shown (page and API), for every role, another municipality and a concurrent
correction."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_scopes import scope

from apps.audit.models import AccessLogEntry
from apps.cases import services as cases
from apps.cases.models import Activity, ActivityNoteRevision
from apps.core.exceptions import ConcurrentEditError
from apps.core.models import AppendOnlyError
from apps.intake import services as intake
from apps.intake.models import Question, QuestionDescriptionRevision
from apps.teams.models import Membership
from tests.cases.api_world import api_for, build_world, open_case, staff
from tests.conftest import make_person
from tests.factories import ActivityFactory, QuestionFactory

F = Membership.Function


@pytest.fixture
def w(municipality, other_municipality):
    world = build_world(municipality, other_municipality)
    m = municipality
    world.coordinator = make_person(m, memberships=[(world.kernteam, F.COORDINATOR)])
    world.case = open_case(world)  # world.member directs it
    with scope(municipality=m):
        world.activity = cases.activity_record(
            actor=world.colleague,
            case=world.case,
            kind=Activity.Kind.HOME_VISIT,
            date=world.case.created_at.date(),
            participants=[staff(world.colleague, m)],
            note="Op huisbezoek geweest bij Anna; haar zoon was er ook.",
        )
        # A question registered by the colleague, at the team, without a case.
        world.loose = QuestionFactory(
            municipality=m,
            resident=world.resident,
            team=world.kernteam,
            received_by=staff(world.colleague, m),
            description="Vraagt hulp na een knieoperatie.",
        )
    with scope(municipality=other_municipality):
        world.foreign.activity = ActivityFactory(
            municipality=other_municipality, case=world.foreign.case
        )
        world.foreign.question = QuestionFactory(municipality=other_municipality)
    return world


def correct_note(w, actor, text="Op huisbezoek geweest; haar dochter was er ook.", version=1):
    with scope(municipality=w.municipality):
        return cases.activity_note_correct(
            actor=actor,
            activity=Activity.objects.get(pk=w.activity.pk),
            text=text,
            reason="Op verzoek van de inwoner.",
            expected_version=version,
        )


def correct_description(w, actor, question=None, text="Vraagt hulp na een heupoperatie."):
    with scope(municipality=w.municipality):
        question = Question.objects.get(pk=(question or w.loose).pk)
        return intake.question_description_correct(
            actor=actor,
            question=question,
            text=text,
            reason="Vergissing bij het registreren.",
            expected_version=question.version,
        )


# --- services ---------------------------------------------------------------------------


def test_the_author_corrects_a_note_and_the_earlier_version_is_kept(w):
    activity = correct_note(w, w.colleague)
    assert activity.note == "Op huisbezoek geweest; haar dochter was er ook."
    assert activity.version == 2
    with scope(municipality=w.municipality):
        (revision,) = ActivityNoteRevision.objects.filter(activity=activity)
        assert revision.text == "Op huisbezoek geweest bij Anna; haar zoon was er ook."
        assert revision.written_by == staff(w.colleague, w.municipality)
        assert revision.corrected_by == staff(w.colleague, w.municipality)
        assert revision.reason == "Op verzoek van de inwoner."
        assert AccessLogEntry.objects.filter(
            action=AccessLogEntry.Action.CHANGE, object_id=str(activity.pk)
        ).exists()


def test_a_second_correction_by_the_director_names_who_wrote_each_version(w):
    correct_note(w, w.colleague)
    correct_note(w, w.member, text="Derde versie.", version=2)
    with scope(municipality=w.municipality):
        first, second = ActivityNoteRevision.objects.filter(activity=w.activity).order_by(
            "corrected_at", "pk"
        )
        colleague, director = staff(w.colleague, w.municipality), staff(w.member, w.municipality)
        assert (first.written_by, first.corrected_by) == (colleague, colleague)
        assert (second.written_by, second.corrected_by) == (colleague, director)
        assert second.written_at == first.corrected_at
        assert second.text == "Op huisbezoek geweest; haar dochter was er ook."


@pytest.mark.parametrize("who", ["consultant", "expert", "coordinator", "policy", "admin"])
def test_only_the_author_or_the_director_corrects_a_note(w, who):
    with pytest.raises(PermissionDenied):
        correct_note(w, getattr(w, who))
    with scope(municipality=w.municipality):
        assert not ActivityNoteRevision.objects.exists()


def test_a_note_correction_needs_a_reason_and_a_change(w):
    with scope(municipality=w.municipality), pytest.raises(ValidationError) as err:
        cases.activity_note_correct(
            actor=w.colleague, activity=w.activity, text="Anders", reason=" ", expected_version=1
        )
    assert "reason" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        correct_note(w, w.colleague, text=w.activity.note)
    assert "text" in err.value.message_dict
    with scope(municipality=w.municipality):
        assert not ActivityNoteRevision.objects.exists()
        assert Activity.objects.get(pk=w.activity.pk).version == 1


def test_a_concurrent_note_correction_is_refused(w):
    correct_note(w, w.colleague)
    with pytest.raises(ConcurrentEditError):
        correct_note(w, w.member, text="Over een oude versie heen.", version=1)
    with scope(municipality=w.municipality):
        assert ActivityNoteRevision.objects.count() == 1


def test_a_closed_case_s_note_is_still_corrected(w):
    with scope(municipality=w.municipality):
        cases.case_close(actor=w.member, case=w.case, note="Afgerond.", expected_version=None)
    assert correct_note(w, w.colleague).version == 2


def test_revisions_are_append_only(w):
    correct_note(w, w.colleague)
    with scope(municipality=w.municipality):
        revision = ActivityNoteRevision.objects.get()
        with pytest.raises(AppendOnlyError):
            revision.save()
        with pytest.raises(AppendOnlyError):
            ActivityNoteRevision.objects.update(text="weg")


def test_the_registrar_corrects_a_description(w):
    question = correct_description(w, w.colleague)
    assert question.description == "Vraagt hulp na een heupoperatie."
    with scope(municipality=w.municipality):
        (revision,) = QuestionDescriptionRevision.objects.filter(question=question)
        assert revision.text == "Vraagt hulp na een knieoperatie."
        assert revision.written_by_id == question.received_by_id


def test_the_coordinator_corrects_a_description_while_there_is_no_case(w):
    assert correct_description(w, w.coordinator).version == 2


def test_the_director_of_the_case_corrects_its_question(w):
    with scope(municipality=w.municipality):
        question = Question.objects.get(pk=w.question.pk)
    assert question.case_id == w.case.pk
    assert correct_description(w, w.member, question=question).version == question.version + 1
    # The coordinator does not, once the question belongs to a case with a director.
    with pytest.raises(PermissionDenied):
        correct_description(w, w.coordinator, question=question, text="Nog anders.")


@pytest.mark.parametrize("who", ["member", "consultant", "expert", "policy", "admin"])
def test_others_do_not_correct_a_description(w, who):
    with pytest.raises(PermissionDenied):
        correct_description(w, getattr(w, who))
    with scope(municipality=w.municipality):
        assert not QuestionDescriptionRevision.objects.exists()


def test_a_description_cannot_be_emptied(w):
    with pytest.raises(ValidationError) as err:
        correct_description(w, w.colleague, text="  ")
    assert "text" in err.value.message_dict


def test_a_change_of_the_registration_keeps_the_earlier_description(w):
    with scope(municipality=w.municipality):
        question = Question.objects.get(pk=w.loose.pk)
        intake.question_update(
            actor=w.colleague,
            question=question,
            life_domains=[w.domains[0]],
            expected_version=question.version,
            description="Nieuwe omschrijving.",
        )
        (revision,) = QuestionDescriptionRevision.objects.filter(question=question)
        assert revision.text == "Vraagt hulp na een knieoperatie."


def test_a_handler_who_may_not_correct_it_cannot_change_the_description_either(w):
    """Correcting the registration is no way around the rule for the description:
    a member of the team (not its author, director or coordinator) changes the
    rest, never the description."""
    with scope(municipality=w.municipality):
        question = Question.objects.get(pk=w.loose.pk)
        with pytest.raises(ValidationError) as err:
            intake.question_update(
                actor=w.member,
                question=question,
                life_domains=[w.domains[0]],
                expected_version=question.version,
                description="Iets anders.",
            )
        assert "description" in err.value.message_dict
        assert Question.objects.get(pk=w.loose.pk).description == "Vraagt hulp na een knieoperatie."
        assert not QuestionDescriptionRevision.objects.exists()
        # The same form without a change of the description is theirs to save.
        intake.question_update(
            actor=w.member,
            question=question,
            life_domains=[w.domains[0]],
            expected_version=question.version,
            description="Vraagt hulp na een knieoperatie.",
        )


# --- pages ------------------------------------------------------------------------------


def test_the_case_page_shows_the_marker_and_both_versions(client, w):
    correct_note(w, w.colleague)
    client.force_login(w.expert)  # reads the case, does not correct
    page = client.get(reverse("cases:detail", args=[w.case.pk])).content.decode()
    assert "gecorrigeerd" in page
    assert "haar dochter was er ook" in page
    assert "haar zoon was er ook" in page
    assert "Op verzoek van de inwoner." in page
    assert reverse("cases:activity_correct", args=[w.activity.pk]) not in page


def test_the_author_corrects_a_note_on_its_page(client, w):
    client.force_login(w.colleague)
    url = reverse("cases:activity_correct", args=[w.activity.pk])
    case_page = client.get(reverse("cases:detail", args=[w.case.pk])).content.decode()
    assert url in case_page
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["text"] == w.activity.note
    response = client.post(
        url,
        {
            "text": "Verbeterd verslag.",
            "reason": "Vergissing.",
            "version": 1,
            "municipality": w.municipality.pk,
        },
    )
    assert response.status_code == 302
    with scope(municipality=w.municipality):
        assert Activity.objects.get(pk=w.activity.pk).note == "Verbeterd verslag."


def test_the_note_form_names_the_missing_reason_and_saves_nothing(client, w):
    client.force_login(w.member)
    url = reverse("cases:activity_correct", args=[w.activity.pk])
    response = client.post(
        url, {"text": "Anders.", "reason": "", "version": 1, "municipality": w.municipality.pk}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    with scope(municipality=w.municipality):
        assert Activity.objects.get(pk=w.activity.pk).version == 1


def test_a_stale_note_form_says_someone_else_changed_it(client, w):
    correct_note(w, w.colleague)
    client.force_login(w.member)
    response = client.post(
        reverse("cases:activity_correct", args=[w.activity.pk]),
        {"text": "Anders.", "reason": "Reden.", "version": 1, "municipality": w.municipality.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    with scope(municipality=w.municipality):
        assert ActivityNoteRevision.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("consultant", 403),
        ("expert", 403),
        ("coordinator", 403),
        ("policy", 403),
        ("admin", 403),
        ("driel_member", 404),
    ],
)
def test_the_note_page_refuses_others(client, w, who, code):
    client.force_login(getattr(w, who))
    assert client.get(reverse("cases:activity_correct", args=[w.activity.pk])).status_code == code


def test_another_municipality_s_activity_and_question_are_404(client, w):
    client.force_login(w.member)
    for url in (
        reverse("cases:activity_correct", args=[w.foreign.activity.pk]),
        reverse("intake:question_correct_description", args=[w.foreign.question.pk]),
    ):
        assert client.get(url).status_code == 404


def test_the_question_page_shows_the_earlier_description(client, w):
    correct_description(w, w.colleague)
    client.force_login(w.consultant)  # the loket sees every question
    page = client.get(reverse("intake:question_detail", args=[w.loose.pk])).content.decode()
    assert "gecorrigeerd" in page
    assert "heupoperatie" in page and "knieoperatie" in page
    assert reverse("intake:question_correct_description", args=[w.loose.pk]) not in page


def test_the_registrar_corrects_the_description_on_its_page(client, w):
    client.force_login(w.colleague)
    url = reverse("intake:question_correct_description", args=[w.loose.pk])
    assert url in client.get(reverse("intake:question_detail", args=[w.loose.pk])).content.decode()
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "text": "Vraagt hulp na een heupoperatie.",
            "reason": "Vergissing.",
            "version": w.loose.version,
            "municipality": w.municipality.pk,
        },
    )
    assert response.status_code == 302
    with scope(municipality=w.municipality):
        assert QuestionDescriptionRevision.objects.filter(question=w.loose).count() == 1


@pytest.mark.parametrize(
    ("who", "code"), [("member", 403), ("consultant", 403), ("policy", 403), ("admin", 403)]
)
def test_the_description_page_refuses_others(client, w, who, code):
    client.force_login(getattr(w, who))
    url = reverse("intake:question_correct_description", args=[w.loose.pk])
    assert client.get(url).status_code == code


# --- API --------------------------------------------------------------------------------


def test_the_api_corrects_a_note_and_shows_the_revisions(w):
    api = api_for(w.colleague, w.municipality)
    url = f"/api/v1/activities/{w.activity.pk}/correct/"
    body = {"text": "Via de API verbeterd.", "reason": "Vergissing.", "version": 1}
    response = api.post(url, body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["note"] == "Via de API verbeterd."
    assert data["version"] == 2
    assert [r["text"] for r in data["note_revisions"]] == [w.activity.note]
    # The same version again: someone changed it since.
    assert api.post(url, body, format="json").status_code == 409
    # Without a reason: 400 naming the field.
    response = api.post(url, {"text": "x", "reason": "", "version": 2}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    detail = api.get(f"/api/v1/activities/{w.activity.pk}/").json()
    assert len(detail["note_revisions"]) == 1


@pytest.mark.parametrize(
    ("who", "code"),
    [("consultant", 403), ("expert", 403), ("policy", 403), ("admin", 403), ("driel_member", 404)],
)
def test_the_api_refuses_a_note_correction_by_others(w, who, code):
    response = api_for(getattr(w, who), w.municipality).post(
        f"/api/v1/activities/{w.activity.pk}/correct/",
        {"text": "Anders.", "reason": "Reden.", "version": 1},
        format="json",
    )
    assert response.status_code == code
    with scope(municipality=w.municipality):
        assert not ActivityNoteRevision.objects.exists()


def test_the_api_corrects_a_description(w):
    api = api_for(w.colleague, w.municipality)
    url = f"/api/v1/questions/{w.loose.pk}/correct-description/"
    body = {"text": "Heupoperatie.", "reason": "Vergissing.", "version": w.loose.version}
    response = api.post(url, body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["description"] == "Heupoperatie."
    assert [r["text"] for r in data["description_revisions"]] == [w.loose.description]
    assert api.post(url, body, format="json").status_code == 409


@pytest.mark.parametrize(("who", "code"), [("member", 403), ("consultant", 403), ("policy", 403)])
def test_the_api_refuses_a_description_correction_by_others(w, who, code):
    response = api_for(getattr(w, who), w.municipality).post(
        f"/api/v1/questions/{w.loose.pk}/correct-description/",
        {"text": "Anders.", "reason": "Reden.", "version": w.loose.version},
        format="json",
    )
    assert response.status_code == code


def test_the_api_answers_404_for_another_municipality(w):
    api = api_for(w.member, w.municipality)
    body = {"text": "Anders.", "reason": "Reden.", "version": 1}
    assert (
        api.post(
            f"/api/v1/activities/{w.foreign.activity.pk}/correct/", body, format="json"
        ).status_code
        == 404
    )
    assert (
        api.post(
            f"/api/v1/questions/{w.foreign.question.pk}/correct-description/", body, format="json"
        ).status_code
        == 404
    )


def test_the_case_page_query_count_does_not_grow_with_corrections(
    client, w, django_assert_max_num_queries
):
    client.force_login(w.member)
    url = reverse("cases:detail", args=[w.case.pk])
    client.get(url)
    with django_assert_max_num_queries(80) as few:
        client.get(url)
    with scope(municipality=w.municipality):
        for i in range(3):
            activity = ActivityFactory(
                municipality=w.municipality,
                case=w.case,
                recorded_by=staff(w.member, w.municipality),
            )
            cases.activity_note_correct(
                actor=w.member,
                activity=activity,
                text=f"Versie {i}",
                reason="Reden.",
                expected_version=activity.version,
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
