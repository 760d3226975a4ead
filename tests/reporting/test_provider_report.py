"""The report's section on provisions running on the reference date (the last
day of the period) per provider and form of delivery (#21 part 4): counted
from grants, withdrawals, revisions and suspensions made through the services;
another municipality's never count; one grouped query."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format
from django_scopes import scope, scopes_disabled

from apps.decisions import services as decisions
from apps.decisions.models import Provision
from apps.reporting import figures, render
from apps.reporting.figures import build_report_data
from apps.reporting.periods import add_months, month_end
from apps.teams.models import Membership
from tests.cases.api_world import build_world, open_case
from tests.factories import ProviderFactory, ProvisionFactory

F = Membership.Function
PGB = {"delivery_form": "pgb", "budget_amount": 250, "budget_period": "per_month"}


def period():
    """Next month: its last day (the reference date) lies a month or more ahead."""
    start = add_months(timezone.localdate().replace(day=1), 1)
    return start, month_end(start)


@pytest.fixture
def w(municipality, other_municipality):
    w = build_world(municipality, other_municipality)
    w.case = open_case(w)
    with scope(municipality=municipality):
        Membership.objects.filter(staff_member__user=w.consultant).update(
            mandated_laws=["wmo", "jeugdwet"]
        )
        w.x = ProviderFactory(
            municipality=municipality,
            name="Thuiszorg De Linge",
            agb_code="12345678",
            provision_types=[w.household_help, w.youth_care],
        )
        w.y = ProviderFactory(
            municipality=municipality,
            name="Buurtzorg Betuwe",
            agb_code="",
            provision_types=[w.household_help],
        )
    return w


def grant(w, *, provision_type=None, start=None, weeks=52, provider=None, revises=None):
    start = start or timezone.localdate()
    form = {"delivery_form": "zin", "provider": provider} if provider else PGB
    with scope(municipality=w.municipality):
        proposal = decisions.proposal_draft(
            actor=w.member,
            case=w.case,
            provision_type=provision_type or w.household_help,
            volume=3,
            unit="hours_per_week",
            frequency="per_week",
            start_date=start,
            end_date=start + timedelta(weeks=weeks),
            motivation="Kan het huishouden niet aan.",
            **({"revises": revises} if revises else {}),
            **form,
        )
        proposal = decisions.proposal_submit(actor=w.member, proposal=proposal)
        decision = decisions.proposal_decide(
            actor=w.consultant, proposal=proposal, outcome="granted", queue_letter=False
        )
        return Provision.objects.get(decision=decision)


def withdraw(w, provision, end_date):
    with scope(municipality=w.municipality):
        proposal = decisions.withdrawal_draft(
            actor=w.member,
            case=w.case,
            revises=provision,
            end_date=end_date,
            motivation="De hulp is niet meer nodig.",
        )
        proposal = decisions.proposal_submit(actor=w.member, proposal=proposal)
        decisions.proposal_decide(
            actor=w.consultant,
            proposal=proposal,
            outcome="granted",
            reasons="De ondersteuning is niet meer nodig.",
            queue_letter=False,
        )


@pytest.fixture
def counted(w, other_municipality):
    """Provisions on either side of the reference date, through the services."""
    today = timezone.localdate()
    _start, day = period()
    grant(w, provider=w.x)  # counted: X, Wmo
    grant(w)  # counted: pgb
    grant(w, provision_type=w.youth_care, provider=w.x)  # counted: X, Jeugdwet
    withdraw(w, grant(w), today + timedelta(days=7))  # ended before: not counted
    withdraw(w, grant(w, provider=w.x), day + timedelta(days=10))  # ended after: counted (X)
    grant(w, start=day + timedelta(days=1))  # starts after: not counted
    # Revised before the date: the old one stops, the revising grant (pgb) counts.
    grant(w, start=today + timedelta(days=7), revises=grant(w))
    # Revised after the date: the old one (X) counts, the revising grant starts later.
    grant(w, start=day + timedelta(days=1), revises=grant(w, provider=w.x))
    suspended = grant(w, provider=w.y)  # counted: Y, suspended on the date
    resumed = grant(w)  # counted: pgb, suspended and resumed before the date
    with scope(municipality=w.municipality):
        decisions.provision_suspend(
            actor=w.consultant, provision=suspended, date=today, reason="Ziekenhuisopname"
        )
        decisions.provision_suspend(
            actor=w.consultant, provision=resumed, date=today, reason="Ziekenhuisopname"
        )
        decisions.provision_resume(
            actor=w.consultant, provision=resumed, date=today + timedelta(days=3)
        )
    # Granted before the form of delivery was recorded.
    old = grant(w)
    with scopes_disabled():
        Provision.objects.filter(pk=old.pk).update(
            delivery_form="", budget_amount=None, budget_period=""
        )
    # Another municipality's running provision never counts.
    with scope(municipality=other_municipality):
        ProvisionFactory(
            municipality=other_municipality,
            decision__proposal__case=w.foreign.case,
            decision__proposal__provision_type=w.foreign.provision_type,
            start_date=today,
            end_date=None,
        )
    return w


def section_of(data):
    return next(s for s in data.sections if s.key == "running_provisions")


def table(section):
    return {row.label: [c.value for c in row.cells] for row in section.rows}


def test_the_section_counts_what_runs_on_the_last_day_of_the_period(counted):
    start, day = period()
    section = section_of(build_report_data(counted.municipality, start, day))
    assert section.number == 16
    assert section.columns == [
        "Aanbieder of leveringsvorm",
        "Wmo 2015",
        "Jeugdwet",
        "Participatiewet",
        "Totaal",
        "Waarvan opgeschort",
    ]
    assert date_format(day, "DATE_FORMAT") in section.title
    assert table(section) == {
        # Wmo, Jeugdwet, Participatiewet, total, of which suspended
        "Buurtzorg Betuwe": [1, 0, 0, 1, 1],
        "Thuiszorg De Linge (AGB 12345678)": [3, 1, 0, 4, 0],
        "Persoonsgebonden budget (pgb)": [3, 0, 0, 3, 0],
        "Leveringsvorm onbekend": [1, 0, 0, 1, 0],
        "Totaal": [8, 1, 0, 9, 1],
    }
    assert section.rows[-1].is_total and section.total_column == 4
    assert section.chart is not None


def test_a_date_before_the_grants_counts_nothing(counted):
    start = add_months(timezone.localdate().replace(day=1), -1)
    section = section_of(build_report_data(counted.municipality, start, month_end(start)))
    assert table(section) == {
        "Persoonsgebonden budget (pgb)": [0, 0, 0, 0, 0],
        "Leveringsvorm onbekend": [0, 0, 0, 0, 0],
        "Totaal": [0, 0, 0, 0, 0],
    }
    assert section.chart is None


def test_a_provider_no_longer_active_is_marked(counted):
    with scopes_disabled():
        type(counted.y).objects.filter(pk=counted.y.pk).update(is_active=False)
    start, day = period()
    labels = [
        row.label for row in section_of(build_report_data(counted.municipality, start, day)).rows
    ]
    assert "Buurtzorg Betuwe (niet meer actief)" in labels


def test_small_numbers_are_hidden_in_the_report_shared_outside(counted):
    start, day = period()
    data = build_report_data(counted.municipality, start, day, threshold=3)
    rows = {row.label: row for row in section_of(data).rows}
    buurtzorg = rows["Buurtzorg Betuwe"].cells
    assert buurtzorg[0].suppressed and buurtzorg[3].suppressed and buurtzorg[4].suppressed
    assert not rows["Persoonsgebonden budget (pgb)"].cells[3].suppressed
    body = render.render_csv(data).decode("utf-8-sig")
    values = {
        line[6]: line[7]
        for line in csv.reader(io.StringIO(body), delimiter=";")
        if line and line[3] == "16" and line[5] == "Buurtzorg Betuwe"
    }
    assert values["Wmo 2015"] == "<3" and values["Waarvan opgeschort"] == "<3"


def test_the_csv_and_pdf_carry_the_section(counted):
    start, day = period()
    data = build_report_data(counted.municipality, start, day)
    body = render.render_csv(data).decode("utf-8-sig")
    assert "Thuiszorg De Linge (AGB 12345678)" in body
    assert "Lopende voorzieningen per aanbieder en leveringsvorm" in body
    html = render.report_html(data)
    assert "Persoonsgebonden budget (pgb)" in html and "Waarvan opgeschort" in html


def test_one_grouped_query_whatever_the_number_of_provisions(counted):
    start, day = period()
    ctx = figures._Context(
        municipality=counted.municipality,
        start=start,
        end=day,
        generated_at=timezone.now(),
        tz=timezone.get_default_timezone(),
    )

    def count():
        with (
            scope(municipality=counted.municipality),
            CaptureQueriesContext(connection) as queries,
        ):
            figures._running_provisions(ctx)
        return len(queries)

    assert count() == 1
    for _ in range(3):
        grant(counted, provider=counted.y)
    assert count() == 1


def test_the_dashboard_shows_what_runs_at_the_end_of_this_month(client, counted):
    client.force_login(counted.policy)
    body = client.get("/rapportages/dashboard/").content.decode()
    day = date_format(month_end(timezone.localdate()), "DATE_FORMAT")
    assert f"Lopende voorzieningen per aanbieder en leveringsvorm op {day}" in body
    assert "Thuiszorg De Linge (AGB 12345678)" in body
    assert "Persoonsgebonden budget (pgb)" in body
