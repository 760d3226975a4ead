"""The notice (Awb 4:14) that the decision deadline of an application was
extended: sent by whoever may change that deadline (the mandated loket
consultant) from the loket's proposal page after an extension, through the page
and the API, read back as PDF; refused without an extension (nothing saved)."""

from datetime import timedelta

from django.urls import reverse
from django_scopes import scope

from apps.decisions import services as decisions
from apps.letters import services
from apps.letters.models import Letter
from apps.letters.placeholders import LetterKind
from apps.teams.models import Membership, Team
from tests.conftest import make_person
from tests.factories import CaseFactory, ProposalFactory
from tests.letters.test_letters import api_for, body, pdf_text, squash


def extend(town, proposal, weeks=6, reason="Wij wachten op het medisch advies."):
    with scope(municipality=town["m"]):
        return decisions.deadline_change(
            actor=town["loket_consultant"],
            kind="extend",
            new_date=proposal.decision_deadline + timedelta(weeks=weeks),
            reason=reason,
            proposal=proposal,
        )


def letters(town):
    with scope(municipality=town["m"]):
        return list(Letter.objects.order_by("pk"))


def test_after_an_extension_the_loket_sends_the_notice(town, proposal, client):
    client.force_login(town["loket_consultant"])
    review = reverse("decisions:review", args=[proposal.pk])
    url = reverse("letters:proposal_postponement_create", args=[proposal.pk])
    page = client.get(review).content.decode()
    assert url not in page and "Nog geen brieven verstuurd." in page  # no extension yet
    # The deadlines page leads to the proposal's page, which offers the notice.
    assert review in client.get(reverse("decisions:deadlines")).content.decode()
    change = extend(town, proposal)
    page = client.get(review).content.decode()
    assert url in page
    form = client.get(url).content.decode()
    assert "medisch advies" in form and "Cor Aanvrager" in form
    assert letters(town) == []
    response = client.post(url, {})
    assert response.status_code == 302 and response["Location"].startswith(review)
    [letter] = letters(town)
    assert letter.kind == LetterKind.DECISION_POSTPONEMENT
    assert letter.proposal_id == proposal.pk and letter.deadline_change_id == change.pk
    assert letter.question_id is None and letter.resident_id == proposal.resident_id
    page = client.get(review).content.decode()
    pdf_url = reverse("letters:letter_pdf", args=[letter.pk])
    assert pdf_url in page
    text = pdf_text(body(client.get(pdf_url)))
    for expected in (
        "Cor Aanvrager",
        "Hulp bij het huishouden",
        f"uiterlijk op {change.old_date:%-d}",
        f"uiterlijk op {change.new_date:%-d}",
        "medisch advies",
        "4:14",
        f"aanvraag {proposal.pk}",
    ):
        assert squash(expected) in text, expected


def test_the_notice_through_the_api(town, proposal):
    extend(town, proposal)
    api = api_for(town["loket_consultant"], town["m"])
    response = api.post(
        reverse("api:proposal-letter-list", args=[proposal.pk]),
        {"kind": "decision_postponement"},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["proposal"] == proposal.pk and "medisch advies" in data["body"]
    listed = api.get(reverse("api:letter-list"), {"kind": "decision_postponement"}).json()
    assert [row["id"] for row in listed["results"]] == [data["id"]]
    assert api.get(data["pdf"]).status_code == 200
    # The team of the case reads it too.
    team = api_for(town["team_member"], town["m"])
    assert team.get(reverse("api:letter-detail", args=[data["id"]])).status_code == 200


def test_the_notice_is_refused_without_an_extension(town, proposal, client):
    client.force_login(town["loket_consultant"])
    url = reverse("letters:proposal_postponement_create", args=[proposal.pk])
    assert "niet verlengd" in client.get(url).content.decode()
    response = client.post(url, {})
    assert response.status_code == 200
    assert "niet verlengd" in str(response.context["form"].non_field_errors())
    # A suspension is no extension.
    with scope(municipality=town["m"]):
        decisions.deadline_change(
            actor=town["loket_consultant"],
            kind="suspend",
            new_date=proposal.decision_deadline + timedelta(days=7),
            reason="Wachten op stukken",
            proposal=proposal,
        )
    api = api_for(town["loket_consultant"], town["m"])
    response = api.post(
        reverse("api:proposal-letter-list", args=[proposal.pk]),
        {"kind": "decision_postponement"},
        format="json",
    )
    assert response.status_code == 400 and "niet verlengd" in response.content.decode()
    assert letters(town) == []


def test_a_wrong_kind_is_refused_naming_the_field(town, proposal):
    extend(town, proposal)
    api = api_for(town["loket_consultant"], town["m"])
    response = api.post(
        reverse("api:proposal-letter-list", args=[proposal.pk]),
        {"kind": "postponement"},
        format="json",
    )
    assert response.status_code == 400 and "kind" in response.json()
    assert letters(town) == []


def test_a_consultant_without_the_mandate_may_not(town, proposal, client):
    extend(town, proposal)
    with scope(municipality=town["m"]):
        Membership.objects.filter(
            staff_member__user=town["loket_consultant"], function=Membership.Function.CONSULTANT
        ).update(mandated_laws=["jeugdwet"])
    client.force_login(town["loket_consultant"])
    url = reverse("letters:proposal_postponement_create", args=[proposal.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    api = api_for(town["loket_consultant"], town["m"])
    response = api.post(
        reverse("api:proposal-letter-list", args=[proposal.pk]),
        {"kind": "decision_postponement"},
        format="json",
    )
    assert response.status_code == 403
    assert letters(town) == []


def test_a_draft_proposal_does_not_exist_for_the_loket(town, client):
    with scope(municipality=town["m"]):
        draft = ProposalFactory(
            municipality=town["m"], case=CaseFactory(municipality=town["m"], team=town["elst"])
        )
    client.force_login(town["loket_consultant"])
    url = reverse("letters:proposal_postponement_create", args=[draft.pk])
    assert client.get(url).status_code == 404
    api = api_for(town["loket_consultant"], town["m"])
    response = api.post(
        reverse("api:proposal-letter-list", args=[draft.pk]),
        {"kind": "decision_postponement"},
        format="json",
    )
    assert response.status_code == 404


def test_another_municipality_does_not_exist(town, proposal, client, other_municipality):
    extend(town, proposal)
    with scope(municipality=town["m"]):
        letter = services.proposal_letter_create(actor=town["loket_consultant"], proposal=proposal)
    outsider = make_person(
        other_municipality, memberships=[(Team.Kind.LOKET, Membership.Function.CONSULTANT)]
    )
    client.force_login(outsider)
    url = reverse("letters:proposal_postponement_create", args=[proposal.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    assert client.get(reverse("letters:letter_pdf", args=[letter.pk])).status_code == 404
    api = api_for(outsider, other_municipality)
    response = api.post(
        reverse("api:proposal-letter-list", args=[proposal.pk]),
        {"kind": "decision_postponement"},
        format="json",
    )
    assert response.status_code == 404
    assert api.get(reverse("api:letter-detail", args=[letter.pk])).status_code == 404
    assert api.get(reverse("api:letter-list")).json()["results"] == []
    assert len(letters(town)) == 1


def test_the_proposal_page_reads_its_letters_in_fixed_queries(
    town, proposal, client, django_assert_max_num_queries
):
    extend(town, proposal)
    client.force_login(town["loket_consultant"])
    url = reverse("decisions:review", args=[proposal.pk])
    with scope(municipality=town["m"]):
        services.proposal_letter_create(actor=town["loket_consultant"], proposal=proposal)
    client.get(url)
    with django_assert_max_num_queries(80) as few:
        client.get(url)
    with scope(municipality=town["m"]):
        for _ in range(3):
            services.proposal_letter_create(actor=town["loket_consultant"], proposal=proposal)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).content.decode().count("/pdf/") >= 4
