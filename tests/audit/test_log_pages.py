"""The access log pages of the municipality admin: finding who looked at what,
the CSV export, the overview for a resident, and who may use them."""

import csv
import io
from datetime import timedelta

import pytest
from django.http import StreamingHttpResponse
from django.urls import get_resolver, reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from apps.audit.models import AccessLogEntry
from apps.audit.selectors import decode_cursor, encode_cursor
from apps.teams.models import Membership, Team
from tests.conftest import make_person, residents_shown_by
from tests.factories import (
    AccessLogEntryFactory,
    OrganisationFactory,
    QuestionFactory,
    ResidentFactory,
    TeamFactory,
)

F, K = Membership.Function, Team.Kind
A = AccessLogEntry.Action
LOG = "/beheer/toegangslog/"
EXPORT = "/beheer/toegangslog/export/"


def overview_url(resident):
    return f"/beheer/toegangslog/inwoner/{resident.pk}/"


def csv_of(response):
    assert isinstance(response, StreamingHttpResponse)
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # the BOM, so Excel reads UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def kernteam(municipality):
    with scope(municipality=municipality):
        stuw = OrganisationFactory(municipality=municipality, name="STUW")
        return TeamFactory(
            municipality=municipality, name="Kernteam Elst", kind=K.KERNTEAM, run_by=stuw
        )


@pytest.fixture
def team_member(municipality, kernteam):
    user = make_person(municipality, memberships=[(kernteam, F.CASE_DIRECTOR)])
    user.full_name = "Karin Kernteamlid"
    user.save()
    with scope(municipality=municipality):
        Membership.objects.filter(staff_member__user=user).update(organisation=kernteam.run_by)
    return user


@pytest.fixture
def question(municipality, kernteam):
    with scope(municipality=municipality):
        return QuestionFactory(
            municipality=municipality,
            team=kernteam,
            resident=ResidentFactory(
                municipality=municipality, first_names="Fatima", surname="Bakker"
            ),
        )


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def staff_pk(user, municipality):
    with scope(municipality=municipality):
        return user.staff_memberships.get(municipality=municipality).pk


def entries_of(municipality, **filters):
    with scope(municipality=municipality):
        return list(AccessLogEntry.objects.filter(**filters).order_by("at", "pk"))


# --- the story: a kernteam member looks, the admin finds it ---------------------------


def test_admin_finds_the_kernteam_members_look_by_person_and_by_resident(
    client, municipality, team_member, question, admin_user
):
    client.force_login(team_member)
    assert client.get(f"/intake/vragen/{question.pk}/").status_code == 200
    [entry] = entries_of(municipality, user=team_member)
    assert (entry.action, entry.resident_id) == (A.VIEW, question.resident_id)
    # Who they were at the time, kept with the entry.
    assert entry.acted_as["memberships"] == [
        {
            "team": "Kernteam Elst",
            "team_kind": "kernteam",
            "function": "case_director",
            "organisation": "STUW",
        }
    ]

    client.force_login(admin_user)
    by_person = client.get(LOG, {"staff_member": staff_pk(team_member, municipality)})
    assert by_person.status_code == 200
    assert [e.pk for e in by_person.context["page"].entries] == [entry.pk]
    body = by_person.content.decode()
    assert "Karin Kernteamlid" in body and "Fatima Bakker" in body
    assert "casusregisseur, Kernteam Elst (STUW)" in body

    by_resident = client.get(LOG, {"resident": question.resident_id})
    assert entry.pk in [e.pk for e in by_resident.context["page"].entries]
    assert by_resident.context["picked_resident"] == question.resident
    # From the log of one resident, the overview for that resident is one link away.
    assert overview_url(question.resident) in by_resident.content.decode()


def test_admin_picks_a_resident_by_name_or_bsn(admin_client, municipality, question):
    response = admin_client.get(LOG, {"resident_q": "Bakker"})
    assert response.context["residents_found"] == [question.resident]
    assert f"resident={question.resident.pk}" in response.content.decode()
    with scope(municipality=municipality):
        bsn = "111222333"
        ResidentFactory(municipality=municipality, bsn=bsn, surname="Metbsn")
    response = admin_client.get(LOG, {"resident_q": bsn})
    assert [r.surname for r in response.context["residents_found"]] == ["Metbsn"]
    # Searching residents is logged like any resident search.
    searches = entries_of(municipality, action=A.SEARCH, object_type="intake.resident")
    assert len(searches) == 2


def test_filters_on_action_and_period(admin_client, municipality, admin_user):
    now = timezone.now()
    with scope(municipality=municipality):
        old = AccessLogEntryFactory(
            municipality=municipality, action=A.VIEW, at=now - timedelta(days=40)
        )
        forward = AccessLogEntryFactory(
            municipality=municipality, action=A.FORWARD, at=now - timedelta(days=3)
        )
        recent_view = AccessLogEntryFactory(
            municipality=municipality, action=A.VIEW, at=now - timedelta(days=2)
        )
    today = timezone.localdate()

    def shown(params):
        response = admin_client.get(LOG, params)
        ids = {e.pk for e in response.context["page"].entries}
        return ids & {old.pk, forward.pk, recent_view.pk}

    assert shown({"action": "forward"}) == {forward.pk}
    assert shown({"date_from": (today - timedelta(days=10)).isoformat()}) == {
        forward.pk,
        recent_view.pk,
    }
    # "until" includes the whole day.
    until = timezone.localtime(forward.at).date().isoformat()
    assert shown({"date_until": until, "action": "forward"}) == {forward.pk}
    assert shown({"date_until": (today - timedelta(days=30)).isoformat()}) == {old.pk}


def test_bad_filters_say_what_is_wrong_and_read_nothing(admin_client, municipality):
    response = admin_client.get(LOG, {"date_from": "2026-02-01", "date_until": "2026-01-01"})
    assert response.status_code == 200
    assert "date_until" in response.context["form"].errors
    assert response.context["page"] is None
    assert 'id="error-summary"' in response.content.decode()
    assert entries_of(municipality) == []  # nothing read, nothing logged
    # The export with the same filters goes back to the page that explains.
    export = admin_client.get(EXPORT, {"date_from": "2026-02-01", "date_until": "2026-01-01"})
    assert export.status_code == 302 and export["Location"].startswith(LOG)
    assert entries_of(municipality) == []


def test_reading_the_log_is_logged(admin_client, municipality, admin_user, question):
    admin_client.get(LOG)
    admin_client.get(LOG, {"resident": question.resident_id})
    searched, viewed = entries_of(municipality, user=admin_user)
    assert (searched.action, searched.object_type, searched.resident) == (
        A.SEARCH,
        "audit.accesslogentry",
        None,
    )
    # The log of one resident's file is personal data of that resident.
    assert (viewed.action, viewed.object_type, viewed.resident) == (
        A.VIEW,
        "audit.accesslogentry",
        question.resident,
    )
    assert "Fatima Bakker" in viewed.object_label
    assert viewed.acted_as["roles"] == ["municipality_admin"]


# --- pagination and query count --------------------------------------------------------


def make_entries(municipality, n, *, at=None):
    with scope(municipality=municipality):
        return AccessLogEntry.objects.bulk_create(
            [
                AccessLogEntry(
                    municipality=municipality,
                    action=A.VIEW,
                    object_type="intake.resident",
                    object_label=f"regel {i}",
                    at=at or timezone.now() - timedelta(minutes=i),
                )
                for i in range(n)
            ]
        )


def test_keyset_pagination_walks_every_entry_once_newest_first(admin_client, municipality):
    now = timezone.now()
    make_entries(municipality, 70)
    make_entries(municipality, 45, at=now - timedelta(days=1))  # many with the same time
    seen, cursor, pages = [], "", 0
    while True:
        params = {"action": "view"} | ({"na": cursor} if cursor else {})
        page = admin_client.get(LOG, params).context["page"]
        seen += [(e.at, e.pk) for e in page.entries]
        pages += 1
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert pages == 3
    assert len(seen) == len(set(seen)) == 115
    assert seen == sorted(seen, reverse=True)


def test_the_count_is_bounded(admin_client, municipality, monkeypatch):
    from apps.audit import selectors

    make_entries(municipality, 12)
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 10)
    response = admin_client.get(LOG)
    page = response.context["page"]
    assert (page.count_at_least, page.count_is_bounded) == (10, True)
    assert "meer dan 10" in response.content.decode()


def test_a_malformed_cursor_is_the_first_page(admin_client, municipality):
    make_entries(municipality, 3)
    assert decode_cursor("not-a-cursor") is None
    assert decode_cursor(encode_cursor(timezone.now(), 5))[1] == 5
    page = admin_client.get(LOG, {"na": "bm9uc2Vuc2U", "action": "view"}).context["page"]
    assert len(page.entries) == 3


def test_the_log_page_takes_a_fixed_number_of_queries(
    admin_client, municipality, question, django_assert_max_num_queries
):
    people = [make_person(municipality) for _ in range(3)]

    def entries_by_people(count):
        with scope(municipality=municipality):
            for i in range(count):
                AccessLogEntryFactory(
                    municipality=municipality,
                    user=people[i % 3],
                    resident=question.resident,
                    acted_as={"roles": [], "memberships": [{"team": "T", "function": "support"}]},
                )

    entries_by_people(3)
    # (The page's own entry, written before it reads, is among them.)
    params = {"resident": question.resident_id, "action": "view"}
    with django_assert_max_num_queries(20) as small:
        assert len(admin_client.get(LOG, params).context["page"].entries) == 4
    entries_by_people(60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = admin_client.get(LOG, params).context["page"]
    assert len(page.entries) == 50 and page.next_cursor
    with django_assert_max_num_queries(len(small.captured_queries)):
        admin_client.get(LOG, {**params, "na": page.next_cursor})


# --- the CSV export --------------------------------------------------------------------


def test_export_is_a_streamed_dutch_csv_with_a_formula_guard(
    admin_client, municipality, admin_user, question
):
    with scope(municipality=municipality):
        AccessLogEntryFactory(
            municipality=municipality,
            user_label='=HYPERLINK("http://evil.example";"klik")',
            object_label="+31 6 12345678",
            reason="@SUM(A1:A2)",
            resident=question.resident,
            object_id="-1",
        )
        AccessLogEntryFactory(municipality=municipality, user_label='Één; met "aanhalingstekens"')
    response = admin_client.get(EXPORT, {"action": "view"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="toegangslog-')
    rows = csv_of(response)
    assert rows[0][:4] == ["Tijdstip", "Medewerker", "Functie en team (toen)", "Handeling"]
    by_label = {row[1]: row for row in rows[1:]}
    guarded = by_label['\'=HYPERLINK("http://evil.example";"klik")']
    assert guarded[5] == "'+31 6 12345678"
    assert guarded[6] == "'-1"
    assert guarded[7] == "Fatima Bakker"
    assert guarded[11] == "'@SUM(A1:A2)"
    # Separators and quotes inside a cell survive the round trip.
    assert 'Één; met "aanhalingstekens"' in by_label
    # The export is logged before anything is read, with the filters used.
    [export] = entries_of(municipality, user=admin_user, action=A.EXPORT)
    assert export.object_type == "audit.accesslogentry"
    assert "handeling bekeken" in export.object_label


def test_export_streams_more_rows_than_one_chunk(admin_client, municipality, monkeypatch):
    from apps.portal import audit_views as views

    monkeypatch.setattr(views, "CHUNK_SIZE", 7)
    make_entries(municipality, 30)
    rows = csv_of(admin_client.get(EXPORT, {"action": "view"}))
    assert len(rows) == 31


# --- the overview for a resident -------------------------------------------------------


def test_resident_overview_names_organisation_team_and_function_not_the_person(
    client, municipality, team_member, question, admin_user
):
    client.force_login(team_member)
    client.get(f"/intake/vragen/{question.pk}/")
    client.force_login(admin_user)
    response = client.get(overview_url(question.resident))
    assert response.status_code == 200
    body = response.content.decode().split('<main id="main"')[1]
    assert "Fatima Bakker" in body
    assert "STUW" in body and "Kernteam Elst" in body and "casusregisseur" in body
    assert "Karin Kernteamlid" not in body and team_member.email not in body
    # The admin who made the overview shows as a function of the municipality.
    assert "functioneel beheerder" in body and admin_user.full_name not in body
    assert "Gemeente Overbetuwe-test" in body
    # Printable: the print stylesheet leaves out the navigation and the buttons.
    assert "portal-no-print" in body
    # Making the overview is an export of the resident's data, and logged as such.
    [made] = entries_of(municipality, user=admin_user, action=A.EXPORT)
    assert made.resident == question.resident

    rows = csv_of(client.get(overview_url(question.resident) + "csv/"))
    assert rows[0] == ["Tijdstip", "Organisatie", "Team", "Functie", "Handeling", "Gegeven"]
    assert ["STUW", "Kernteam Elst", "casusregisseur", "bekeken", "vraag"] in [
        row[1:] for row in rows
    ]
    assert "Karin Kernteamlid" not in str(rows)
    assert len(entries_of(municipality, user=admin_user, action=A.EXPORT)) == 2


def test_resident_overview_shows_only_that_resident(admin_client, municipality, question):
    with scope(municipality=municipality):
        other = ResidentFactory(municipality=municipality)
        AccessLogEntryFactory(municipality=municipality, resident=other, object_label="ANDER")
    response = admin_client.get(overview_url(question.resident))
    assert all(r["entry"].resident_id == question.resident_id for r in response.context["rows"])


def test_resident_page_links_to_the_overview_for_the_admin_only(
    client, municipality, team_member, question
):
    admin_with_team = make_person(
        municipality, admin=True, memberships=[(question.team, F.TEAM_MEMBER)]
    )
    url = f"/intake/inwoners/{question.resident_id}/"
    client.force_login(admin_with_team)
    assert overview_url(question.resident) in client.get(url).content.decode()
    client.force_login(team_member)
    assert overview_url(question.resident) not in client.get(url).content.decode()


def test_configuration_home_and_navigation_link_the_log_for_the_admin_only(
    client, admin_user, team_member
):
    client.force_login(admin_user)
    assert client.get("/beheer/").content.decode().count(f'href="{LOG}"') == 2
    client.force_login(team_member)
    assert f'href="{LOG}"' not in client.get("/").content.decode()


# --- nobody changes the log; only the admin reads it ----------------------------------


def audit_urls(resident):
    return [LOG, EXPORT, overview_url(resident), overview_url(resident) + "csv/"]


def test_no_method_changes_the_log(admin_client, municipality, question):
    make_entries(municipality, 2)
    before = [(e.pk, e.action, e.object_label) for e in entries_of(municipality)]
    for url in audit_urls(question.resident):
        for method in ("post", "put", "patch", "delete"):
            response = getattr(admin_client, method)(url, {"action": "change"})
            assert response.status_code == 405, (method, url)
    after = [(e.pk, e.action, e.object_label) for e in entries_of(municipality)]
    assert after == before


@pytest.mark.parametrize(
    "memberships", [[(K.KERNTEAM, F.TEAM_MEMBER)], [(K.LOKET, F.CONSULTANT)], []]
)
def test_other_roles_get_403(client, municipality, question, memberships):
    client.force_login(make_person(municipality, memberships=memberships, policy=True))
    for url in audit_urls(question.resident):
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url


def test_the_admin_of_another_municipality_sees_nothing_of_it(
    client, municipality, other_municipality, team_member, question
):
    client.force_login(team_member)
    client.get(f"/intake/vragen/{question.pk}/")
    other_admin = make_person(other_municipality, admin=True)
    client.force_login(other_admin)
    assert client.get(overview_url(question.resident)).status_code == 404
    assert client.get(overview_url(question.resident) + "csv/").status_code == 404
    page = client.get(LOG)
    assert "Fatima Bakker" not in page.content.decode()
    assert all(e.municipality_id == other_municipality.pk for e in page.context["page"].entries)
    export = b"".join(client.get(EXPORT).streaming_content).decode("utf-8-sig")
    assert "Fatima Bakker" not in export and "Karin" not in export
    # Filtering on A's person or resident is refused like an id that does not exist.
    for field, pk in (
        ("staff_member", staff_pk(team_member, municipality)),
        ("resident", question.resident_id),
    ):
        with_a = client.get(LOG, {field: pk}).context["form"].errors
        missing = client.get(LOG, {field: 999_999}).context["form"].errors
        assert with_a and with_a == missing


def test_every_page_of_the_log_only_reads():
    """Any URL of the audit app, now or later, offers GET (and HEAD) only."""
    found = []
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) != "audit":
            continue
        for entry in pattern.url_patterns:
            view = entry.callback.view_class
            handlers = {m for m in view.http_method_names if hasattr(view, m)}
            assert handlers <= {"get", "head", "options"}, (entry.name, handlers)
            found.append(entry.name)
    assert set(found) == {"log", "log_export", "resident_overview", "resident_overview_csv"}


def test_no_api_endpoint_serves_the_access_log():
    from rest_framework.views import APIView

    def walk(patterns):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns)
            else:
                yield p

    for p in walk(get_resolver().url_patterns):
        view = getattr(p.callback, "cls", None)
        if view is None or not issubclass(view, APIView):
            continue
        queryset = getattr(view, "queryset", None)
        serializer = getattr(view, "serializer_class", None)
        models = {
            getattr(queryset, "model", None),
            getattr(getattr(serializer, "Meta", None), "model", None),
        }
        assert AccessLogEntry not in models, f"{p.pattern}: the access log has no API (yet)"
    assert reverse("audit:log") == LOG


def test_entries_without_a_user_or_a_recorded_role_still_read(
    admin_client, municipality, team_member
):
    with scopes_disabled():
        AccessLogEntryFactory(municipality=municipality, acted_as={}, user=None)
        AccessLogEntryFactory(municipality=municipality, acted_as={}, user=team_member)
    body = admin_client.get(LOG).content.decode()
    assert "systeem (automatische verwerking)" in body
    assert '<span class="portal-muted">medewerker</span>' in body


@pytest.mark.parametrize(
    ("value", "guarded"),
    [
        ("=SUM(A1)", True),
        ("  =HYPERLINK(x)", True),
        ("＝1+1", True),
        ("@cmd", True),
        ("-2", True),
        ("Jansen", False),
        ("", False),
        (None, False),
    ],
)
def test_a_cell_a_spreadsheet_could_run_gets_an_apostrophe(value, guarded):
    from apps.audit.exports import safe_cell

    assert safe_cell(value).startswith("'") is guarded


def test_the_admins_resident_search_names_the_residents_it_lists(
    admin_client, municipality, question
):
    # Their own overview then shows that the admin's search listed them.
    admin_client.get(LOG, {"resident_q": "Bakker"})
    (search,) = entries_of(municipality, action=A.SEARCH, object_type="intake.resident")
    assert search.resident_id == question.resident_id
    assert residents_shown_by(search) == [question.resident_id]
