"""htmx on the inbox and on taking a question: with the `HX-Request` header the
part of the page that changes, without it the whole page or a redirect — both
paths work, are checked the same way and say the same."""

# The inbox tests' `town` fixture is imported, and named as a test argument.
# ruff: noqa: F811

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from apps.intake import services
from apps.intake.models import Question
from apps.teams.models import Membership
from tests.conftest import make_person
from tests.factories import QuestionFactory, TeamFactory
from tests.intake.test_pages import make_questions, town  # noqa: F401  (fixture)

HX = {"HTTP_HX_REQUEST": "true"}


def inbox_url(town):
    return reverse("intake:inbox", args=[town["kernteam"].pk])


def take(client, question, town, *, htmx=False, **extra):
    data = {"version": question.version, "_municipality": town["m"].pk, **extra}
    return client.post(
        reverse("intake:question_assign", args=[question.pk]), data, **(HX if htmx else {})
    )


def reload(question):
    with scopes_disabled():
        return Question.objects.select_related("assigned_to__user").get(pk=question.pk)


@pytest.fixture
def colleague(town):
    return make_person(town["m"], memberships=[(town["kernteam"], Membership.Function.TEAM_MEMBER)])


# --- the inbox filters ---------------------------------------------------------------------


def test_the_inbox_without_htmx_is_the_whole_page_with_a_plain_get_form(town, client):
    make_questions(town, 2)
    client.force_login(town["member"])
    response = client.get(inbox_url(town), {"channel": "telephone"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert 'method="get"' in html and f'action="{inbox_url(town)}"' in html
    assert 'hx-target="#inbox-results"' in html and 'hx-push-url="true"' in html
    assert 'id="inbox-summary" role="status"' in html and "2 vragen gevonden." in html
    assert "HX-Request" in response["Vary"]


def test_the_inbox_with_htmx_is_only_the_results_and_the_announced_count(town, client):
    make_questions(town, 3)
    with scope(municipality=town["m"]):
        QuestionFactory(municipality=town["m"], team=town["kernteam"], channel="walk_in")
    client.force_login(town["member"])
    response = client.get(inbox_url(town), {"channel": "walk_in"}, **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "Hoofdmenu" not in html
    assert html.lstrip().startswith('<section id="inbox-results"')
    assert '<p id="inbox-summary" hx-swap-oob="innerHTML">1 vraag gevonden.</p>' in html
    assert len(response.context["page"].questions) == 1
    assert "HX-Request" in response["Vary"]


def test_a_form_with_errors_loads_the_page_again_when_corrected(town, client):
    """The error summary, the fields' error state and the title belong to the
    page: a corrected filter must replace them, not only the results."""
    client.force_login(town["member"])
    params = {"received_from": "2026-03-10", "received_until": "2026-03-01"}
    page = client.get(inbox_url(town), params).content.decode()
    assert 'id="error-summary"' in page and "hx-get=" not in page
    assert "hx-get=" in client.get(inbox_url(town)).content.decode()


def test_filtering_with_htmx_clears_an_earlier_message(town, client):
    client.force_login(town["member"])
    html = client.get(inbox_url(town), {"channel": "telephone"}, **HX).content.decode()
    assert '<div id="portal-messages" hx-swap-oob="innerHTML"></div>' in html
    assert '<div id="portal-alerts" hx-swap-oob="innerHTML"></div>' in html


def test_a_history_restore_by_htmx_gets_the_whole_page(town, client):
    client.force_login(town["member"])
    response = client.get(
        inbox_url(town), **HX, HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    ).content.decode()
    assert "<html" in response


def test_an_invalid_filter_with_htmx_loads_the_whole_page_with_its_error_summary(town, client):
    client.force_login(town["member"])
    params = {"received_from": "2026-03-10", "received_until": "2026-03-01"}
    response = client.get(inbox_url(town), params, **HX)
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"].startswith(inbox_url(town) + "?")
    page = client.get(response["HX-Redirect"]).content.decode()
    assert 'id="error-summary"' in page and "De einddatum ligt voor de begindatum." in page


def test_the_inbox_fragment_takes_a_fixed_number_of_queries(
    town, client, django_assert_max_num_queries
):
    client.force_login(town["member"])
    make_questions(town, 3)
    client.get(inbox_url(town), **HX)  # sessions and caches settle
    with django_assert_max_num_queries(20) as few:
        client.get(inbox_url(town), **HX)
    make_questions(town, 40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(inbox_url(town), **HX)
    assert len(response.context["page"].questions) == 25
    assert response.content.decode().count(">Oppakken<") == 25


def test_the_inbox_of_another_municipality_is_not_found_with_htmx_too(
    town, client, other_municipality
):
    with scope(municipality=other_municipality):
        foreign = TeamFactory(municipality=other_municipality)
    client.force_login(town["member"])
    assert client.get(reverse("intake:inbox", args=[foreign.pk]), **HX).status_code == 404


def test_an_inbox_one_may_not_open_is_refused_with_htmx_too(town, client):
    client.force_login(town["driel"])
    assert client.get(inbox_url(town), **HX).status_code == 403
    client.force_login(town["policy"])
    assert client.get(inbox_url(town), **HX).status_code == 403


# --- taking a question from the inbox ---------------------------------------------------------


def test_only_a_member_of_the_team_gets_take_buttons_in_the_inbox(town, client):
    make_questions(town, 2)
    client.force_login(town["member"])
    assert client.get(inbox_url(town)).content.decode().count(">Oppakken<") == 2
    client.force_login(town["consultant"])  # sees every inbox, handles only the loket's
    html = client.get(inbox_url(town)).content.decode()
    assert "Oppakken" not in html


def test_taking_from_the_inbox_without_htmx_comes_back_to_the_filtered_inbox(town, client):
    question = make_questions(town, 1)[0]
    client.force_login(town["member"])
    back = inbox_url(town) + "?channel=telephone"
    response = take(client, question, town, next=back, part="row")
    assert response.status_code == 302 and response["Location"] == back
    assert reload(question).assigned_to.user == town["member"]
    page = client.get(back).content.decode()
    assert "U heeft de vraag opgepakt." in page


def test_a_next_address_elsewhere_is_not_followed(town, client):
    question = make_questions(town, 1)[0]
    client.force_login(town["member"])
    response = take(client, question, town, next="https://evil.example/")
    assert response["Location"] == reverse("intake:question_detail", args=[question.pk])
    response = take(client, make_questions(town, 1)[0], town, next="//evil.example/")
    assert "evil" not in response["Location"]


def test_taking_from_the_inbox_with_htmx_swaps_the_row_and_announces_it(town, client):
    question = make_questions(town, 1)[0]
    client.force_login(town["member"])
    response = take(client, question, town, htmx=True, next=inbox_url(town), part="row")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith(
        f'<tr class="utrecht-table__row" id="question-row-{question.pk}"'
    )
    name = town["member"].full_name
    assert f"bij {name}" in html and "Oppakken" not in html
    assert " autofocus>" in html  # the focus goes to the row's link, not to the page's top
    status = html[html.index('<div id="portal-messages" hx-swap-oob="innerHTML">') :]
    assert "U heeft de vraag opgepakt." in status
    assert reload(question).assigned_to.user == town["member"]
    # The message was given here; the next page does not repeat it.
    assert "U heeft de vraag opgepakt." not in client.get(inbox_url(town)).content.decode()


def test_taking_on_the_question_page_with_htmx_swaps_its_status_and_actions(town, client):
    question = make_questions(town, 1)[0]
    client.force_login(town["member"])
    detail = client.get(reverse("intake:question_detail", args=[question.pk])).content.decode()
    assert 'hx-target="#question-handling"' in detail and 'name="part" value="detail"' in detail
    response = take(client, question, town, htmx=True, part="detail")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="question-handling"')
    assert f"opgepakt door {town['member'].full_name}" in html
    assert "Oppakken" not in html and "Doorsturen" in html
    assert 'tabindex="-1" autofocus' in html and "U heeft de vraag opgepakt." in html


def test_taking_on_the_question_page_without_htmx_redirects_to_it(town, client):
    question = make_questions(town, 1)[0]
    client.force_login(town["member"])
    response = take(client, question, town, part="detail")
    assert response["Location"] == reverse("intake:question_detail", args=[question.pk])
    assert "U heeft de vraag opgepakt." in client.get(response["Location"]).content.decode()


# --- conflicts and refusals ------------------------------------------------------------------


def test_a_colleague_who_took_it_first_is_named_with_htmx(town, client, colleague):
    question = make_questions(town, 1)[0]  # the inbox was loaded with this version
    with scope(municipality=town["m"]):
        services.question_assign(actor=colleague, question=question)
    client.force_login(town["member"])
    response = take(client, question, town, htmx=True, next=inbox_url(town), part="row")
    html = response.content.decode()
    assert response.status_code == 200
    # An error goes to the alert region (it interrupts), not to the polite status.
    alerts = html[html.index('<div id="portal-alerts" hx-swap-oob="innerHTML">') :]
    alerts = alerts[: alerts.index('<div id="portal-messages"')]
    assert f"{colleague.full_name} heeft deze vraag al opgepakt." in alerts
    assert "utrecht-alert--error" in alerts
    assert f"bij {colleague.full_name}" in html and "Oppakken" not in html
    assert reload(question).assigned_to.user == colleague


def test_a_colleague_who_took_it_first_is_named_without_htmx(town, client, colleague):
    question = make_questions(town, 1)[0]
    with scope(municipality=town["m"]):
        services.question_assign(actor=colleague, question=question)
    client.force_login(town["member"])
    response = take(client, question, town, next=inbox_url(town), part="row")
    assert response.status_code == 302 and response["Location"] == inbox_url(town)
    page = client.get(inbox_url(town)).content.decode()
    assert f"{colleague.full_name} heeft deze vraag al opgepakt." in page
    assert reload(question).assigned_to.user == colleague


def test_taking_twice_says_it_was_already_taken_by_oneself(town, client):
    question = make_questions(town, 1)[0]
    client.force_login(town["member"])
    take(client, question, town, htmx=True, part="detail")
    response = take(client, question, town, htmx=True, part="detail")  # the same old version
    assert "U had deze vraag al opgepakt." in response.content.decode()


def test_taking_a_question_of_another_municipality_is_not_found(town, client, other_municipality):
    with scope(municipality=other_municipality):
        foreign = QuestionFactory(municipality=other_municipality)
    client.force_login(town["member"])
    for htmx in (False, True):
        assert take(client, foreign, town, htmx=htmx).status_code == 404
    with scopes_disabled():
        assert Question.objects.get(pk=foreign.pk).assigned_to is None


def test_taking_without_the_role_or_the_team_is_refused(town, client):
    question = make_questions(town, 1)[0]
    for person in (town["policy"], town["driel"], town["consultant"]):
        client.force_login(person)
        for htmx in (False, True):
            assert take(client, question, town, htmx=htmx).status_code == 403, person
    assert reload(question).assigned_to is None


def test_an_expired_session_sends_htmx_to_the_login_page_not_into_the_row(town, client):
    question = make_questions(town, 1)[0]
    came_from = "http://testserver" + inbox_url(town) + "?channel=telephone"
    response = client.post(
        reverse("intake:question_assign", args=[question.pk]),
        {"version": question.version, "_municipality": town["m"].pk},
        **HX,
        HTTP_HX_CURRENT_URL=came_from,
    )
    assert response.status_code == 401 and response.content == b""
    assert response["HX-Redirect"].startswith(reverse("accounts:login") + "?next=")
    assert "channel%3Dtelephone" in response["HX-Redirect"]
    response = take(client, question, town)  # without htmx: the usual redirect
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_redirect_answered_to_htmx_loads_a_page_instead_of_swapping_it_in(
    town, client, other_municipality
):
    """A form of the municipality the person worked in before switching (in
    another tab) is refused with a redirect to the start page: htmx must load
    that page, not put it into the table row."""
    question = make_questions(town, 1)[0]
    client.force_login(town["member"])
    response = take(client, question, town, htmx=True, _municipality=other_municipality.pk)
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"] == reverse("core:start")
    assert "HX-Request" in response["Vary"]
    assert reload(question).assigned_to is None
    start = client.get(response["HX-Redirect"]).content.decode()
    assert "andere gemeente" in start  # the message survived the page load
    # Without htmx the browser follows the redirect as before.
    response = take(client, question, town, _municipality=other_municipality.pk)
    assert response.status_code == 302 and response["Location"] == reverse("core:start")


def test_no_page_of_a_signed_in_person_is_kept_in_a_cache(town, client):
    client.force_login(town["member"])
    for url in (inbox_url(town), reverse("core:start"), "/api/v1/me/"):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url
