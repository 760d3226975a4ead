"""Every URL of the portal, pages and API, walked as a user of municipality A
against the objects of municipality B: nothing of B may be read, changed or
linked to.

This test needs no update when a later issue adds pages, endpoints or models,
as long as
- a URL kwarg `pk` belongs to the view's model (`model = …` on a Django view,
  `get_queryset()` on a DRF view), and a kwarg `<name>_pk` to the scoped model
  called <name>;
- every municipality-owned model has a factory in `tests/factories.py`;
- a page's relation fields are on its `form_class`, an endpoint's on its
  `serializer_class` (an `@action(serializer_class=...)` on its own), and the
  relation filters of a list on `filterset_fields` or on the serializer named by
  the view's `filter_serializer_class` (query parameters parsed by a serializer).
It fails loudly when it cannot tell which model a URL or a field is about.

Every object of B carries MARKER in every text that could be shown (names, and
the names and e-mail addresses of B's people), and has a primary key from a range
that A's objects never get (B_PK_BASE), so a leaked name or id is recognised in
any page or response.
"""

import itertools
import json
import re
from datetime import timedelta
from unittest import mock

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from rest_framework import serializers
from rest_framework.test import APIClient

from apps.cases.models import Case
from apps.intake.models import LifeDomain, Question, Resident, TriageRule
from apps.teams.models import Area, Membership, Organisation, Team, TeamLocation
from apps.tenants.models import ApiToken, StaffMember
from tests.cases.walk import case_objects_of_a, transfer_to, work_to_move
from tests.conftest import api_key_for, make_person
from tests.factories import (
    FACTORIES,
    TEST_PASSWORD,
    AreaFactory,
    LifeDomainFactory,
    MunicipalityFactory,
    OrganisationFactory,
    QuestionFactory,
    ResidentFactory,
    StaffMemberFactory,
    TeamFactory,
    TeamLocationFactory,
    TriageRuleFactory,
    UserFactory,
)
from tests.test_cross_municipality_relations import (
    assert_no_cross_municipality_references,
    scoped_models,
)

MARKER = "ZZBMARKER"
# B's objects get primary keys from here on (set explicitly, so the sequences A's
# objects draw from never come near): a B id in a response is always a leak,
# whichever model it appears as.
B_PK_BASE = 880_001
# An id that exists in no municipality.
MISSING_PK = 999_999
# Texts that are never shown to anyone, so they need not carry the marker.
# A provider's AGB code (#21) is 8 digits and cannot hold the marker: it is only ever
# shown beside the provider's name, which carries it.
NEVER_DISPLAYED = {"key_hash", "password", "submission_key", "agb_code"}
# Factory arguments that put the marker into texts a factory derives itself.
MARKED_FACTORY_KWARGS = {ApiToken: {"key": f"{MARKER}-key-of-b"}}

# URLs with kwargs that are not municipality objects.
# (agenda:feed: the calendar key, looked up in the scope it names; tests/agenda.)
NON_OBJECT_URLS = {"accounts:password_reset_confirm", "agenda:feed"}
# Namespaces that are not municipality pages: the platform admin works across
# municipalities on purpose (superusers only; see test_admin_is_for_superusers).
SKIPPED_NAMESPACES = {"admin"}
# Kwarg-less URLs that are not about municipality objects at all.
NON_MUNICIPALITY_URLS = {"accounts:logout", "set_language", "core:switch_municipality"}

# Valid values for the fields of every create form and serializer that are not
# relations; the relations get objects of A (valid) or of B (the attack).
VALID_VALUES = {
    "name": "Aangemaakt in de test",
    "kind": "kernteam",
    "access": "direct",
    "function": "team_member",
    "days": 30,
    "email": "nieuw-in-a@example.test",
    "full_name": "Nieuw in A",
    "hours_per_week": "12.0",
    "mandated_laws": [],
    "is_active": True,
    # intake: a question and a forward
    "surname": "Jansen",
    "channel": "telephone",
    "received_at": "2026-01-05T10:00",
    "description": "Hulp gevraagd",
    "override_reason": "Bewust anders",
    "reason": "Hoort bij het andere team",
    # intake configuration: a triage rule to a team, the intake settings, a life domain
    "destination": "team",
    "default_destination": "team",
    "wmo_investigation_weeks": 6,
    "personal_plan_days": 7,
    "wmo_decision_weeks": 2,
    "other_decision_weeks": 8,
    "reassessment_notice_weeks": 8,
    "position": 1,
    # decisions: the provision catalogue
    "law": "wmo",
    "legal_basis": "artikel 2.3.5 Wmo 2015",
    "unit": "hours_per_week",
    # The intake settings page edits the municipality's one settings row, which
    # has no id in its URL (so no version is taken from an object): version 1 is
    # that of a row made with the defaults, as it is in these tests.
    "version": 1,
    # Issuing an API key asks for the account password again (every test user has this one).
    "password": TEST_PASSWORD,
}


def iter_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            child_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from iter_urls(entry, child_ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            kwargs = list(entry.pattern.regex.groupindex)
            if "format" in kwargs:  # DRF's ".json" suffix variants
                continue
            yield name, kwargs, entry.callback


def view_class_of(callback):
    return getattr(callback, "view_class", None) or getattr(callback, "cls", None)


def model_of_view(callback, municipality):
    view_class = view_class_of(callback)
    model = getattr(view_class, "model", None)
    if model is None and hasattr(view_class, "get_queryset"):
        view = view_class()
        view.kwargs = {}
        view.request = None
        view.action = "retrieve"
        with scope(municipality=municipality):
            model = view.get_queryset().model
    return model


def model_by_name(name):
    matches = [m for m in scoped_models() if m._meta.model_name == name.replace("_", "")]
    assert len(matches) == 1, f"URL kwarg {name}_pk: no single scoped model named {name}"
    return matches[0]


def relation_fields(callback):
    """{field name: (model, many)} for the relations to municipality-owned
    models that a page's form or an endpoint's serializer accepts."""
    view_class = view_class_of(callback)
    scoped = set(scoped_models())
    found = {}
    form_class = getattr(view_class, "form_class", None)
    if form_class is not None:
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.ModelChoiceField):
                many = isinstance(field, forms.ModelMultipleChoiceField)
                found[name] = (field.queryset.model, many)
    # A DRF @action may name its own serializer (it reaches the view as an initkwarg).
    serializer_class = getattr(callback, "initkwargs", {}).get("serializer_class") or getattr(
        view_class, "serializer_class", None
    )
    if serializer_class is not None:
        for name, field in serializer_class().fields.items():
            if field.read_only:
                continue
            if isinstance(field, serializers.ManyRelatedField):
                found[name] = (field.child_relation.queryset.model, True)
            elif isinstance(field, serializers.RelatedField):
                found[name] = (field.queryset.model, False)
    return {name: spec for name, spec in found.items() if spec[0] in scoped}


# --- municipality B, marked everywhere ------------------------------------------


def marked_user(label):
    slug = re.sub(r"\W+", "-", label.lower())
    return UserFactory(full_name=f"{MARKER} {label}", email=f"{MARKER.lower()}-{slug}@example.test")


def creation_order(models_):
    """The models, each after the scoped models its foreign keys point to."""
    remaining, ordered = list(models_), []
    while remaining:
        ready = [
            m
            for m in remaining
            if all(
                f.related_model not in remaining or f.related_model is m
                for f in m._meta.fields
                if f.is_relation
            )
        ]
        ordered.append((ready or remaining)[0])
        remaining.remove(ordered[-1])
    return ordered


def displayed_texts_without_marker(obj):
    return [
        f"{type(obj).__name__}.{field.name} = {getattr(obj, field.attname)!r}"
        for field in obj._meta.fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and field.name not in NEVER_DISPLAYED
        and MARKER.lower() not in str(getattr(obj, field.attname) or "").lower()
    ]


def create_objects_of_b(b):
    """One object of every municipality-owned model in B: its relations point to
    the other objects of B (or to marked people), every text carries MARKER, every
    primary key is taken from B_PK_BASE on."""
    User = get_user_model()
    pks = itertools.count(B_PK_BASE)
    objects = {}
    # The decision's letter is made here by its own factory (marked like every
    # other object), not by the task the decision service queues: in a test with
    # real commits (the live server of the API fuzzing) that task would run first.
    with scope(municipality=b), mock.patch("apps.decisions.services._enqueue_letter"):
        for model in creation_order(FACTORIES):
            kwargs = {"municipality": b, "pk": next(pks), **MARKED_FACTORY_KWARGS.get(model, {})}
            for field in model._meta.fields:
                if field.name in kwargs or field.primary_key:
                    continue
                if field.is_relation:
                    if field.related_model in objects:
                        kwargs[field.name] = objects[field.related_model]
                    elif field.related_model is User:
                        kwargs[field.name] = marked_user(f"{model._meta.model_name} {field.name}")
                elif (
                    isinstance(field, models.CharField | models.TextField)
                    and not field.choices
                    and field.editable
                ):
                    text = f"{MARKER} {model._meta.model_name} {field.name}"
                    kwargs[field.name] = text[: field.max_length]
            obj = FACTORIES[model](**kwargs)
            for field in model._meta.many_to_many:
                if field.related_model in objects:
                    getattr(obj, field.name).set([objects[field.related_model]])
            objects[model] = obj
        # Someone else of B, an admin there, to be sure their name never shows in A.
        StaffMemberFactory(
            pk=next(pks),
            municipality=b,
            user=marked_user("beheerder"),
            full_name=f"{MARKER} beheerder",
            is_municipality_admin=True,
        )
    # Every text of B that a page or response could show carries the marker.
    with scopes_disabled():
        unmarked = []
        for model in scoped_models():
            for obj in model._base_manager.filter(municipality=b):
                unmarked += displayed_texts_without_marker(obj)
                for field in obj._meta.fields:
                    if field.is_relation and field.related_model is User:
                        person = getattr(obj, field.name)
                        unmarked += displayed_texts_without_marker(person) if person else []
    assert not unmarked, (
        f"texts of B without {MARKER}: {unmarked}; give them the marker in create_objects_of_b "
        "(or list a text that is never shown in NEVER_DISPLAYED)"
    )
    return objects


def pks_of(municipality):
    """{model: set of primary keys} of everything municipality-owned in `municipality`."""
    with scopes_disabled():
        return {
            model: set(
                model._base_manager.filter(municipality=municipality).values_list("pk", flat=True)
            )
            for model in scoped_models()
        }


@pytest.fixture
def world(db):
    a = MunicipalityFactory(name="Gemeente A")
    b = MunicipalityFactory(name=f"Gemeente {MARKER}")
    objects_b = create_objects_of_b(b)
    # User A holds every role in A, so any 404 comes from tenancy, not permissions.
    F, K = Membership.Function, Team.Kind
    user_a = make_person(
        a,
        admin=True,
        policy=True,
        memberships=[
            (K.LOKET, F.CONSULTANT),
            (K.LOKET, F.GATE_CLARIFIER),
            (K.KERNTEAM, F.TEAM_MEMBER),
            (K.KERNTEAM, F.COORDINATOR),
            (K.EXPERTISE, F.BEHAVIOURAL_EXPERT),
            (K.KERNTEAM, F.VOLUNTEER),
        ],
    )
    _, key = api_key_for(user_a, a, actor=user_a)
    with scope(municipality=a):
        staff_a = user_a.staff_memberships.get(municipality=a)
        # Something of A in the lists too, so they show that they list A's rows.
        question_a = QuestionFactory(municipality=a)
        question_a.life_domains.set([LifeDomainFactory(municipality=a)])
    pks_a, pks_b = pks_of(a), pks_of(b)
    all_pks_b = set().union(*pks_b.values())
    assert min(all_pks_b) >= B_PK_BASE and max(set().union(*pks_a.values())) < B_PK_BASE
    return {
        "a": a,
        "b": b,
        "user_a": user_a,
        "staff_a": staff_a,
        "objects_b": objects_b,
        "pks_b": pks_b,
        "all_pks_b": all_pks_b,
        "key_a": key,
    }


def clients_of(world, client):
    client.force_login(world["user_a"])
    client.get(reverse("core:start"))  # the session settles on A
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world['key_a']}")
    return client, api


def snapshot(objects):
    with scopes_disabled():
        return {
            model: model_to_dict(type(obj).objects.get(pk=obj.pk)) for model, obj in objects.items()
        }


def test_every_scoped_model_has_a_factory():
    missing = [m.__name__ for m in scoped_models() if m not in FACTORIES]
    assert not missing, f"add factories for {missing} to tests/factories.py"


def test_no_url_of_a_reaches_objects_of_b(world, client):
    client, api = clients_of(world, client)
    before = snapshot(world["objects_b"])
    checked = []
    for name, kwargs, callback in iter_urls():
        if name.split(":")[0] in SKIPPED_NAMESPACES or not kwargs or name in NON_OBJECT_URLS:
            continue
        values = {}
        for kwarg in kwargs:
            if kwarg == "pk":
                model = model_of_view(callback, world["a"])
            elif kwarg.endswith("_pk"):
                model = model_by_name(kwarg[: -len("_pk")])
            else:
                pytest.fail(f"{name}: unknown URL kwarg {kwarg!r}; name it pk or <model>_pk")
            assert model in world["objects_b"], f"{name}: no object of B for {model}"
            values[kwarg] = world["objects_b"][model].pk
        url = reverse(name, kwargs=values)
        is_api = name.startswith("api:")
        browser = api if is_api else client
        statuses = {}
        for method in ("get", "post", "put", "patch", "delete"):
            send = getattr(browser, method)
            if method == "get":
                response = send(url)
            elif is_api:
                response = send(url, {"name": "overgenomen"}, format="json")
            else:
                response = send(url, {"name": "overgenomen"})
            statuses[method] = response.status_code
        # 405 (method not offered) reveals nothing; anything else but 404 does.
        assert set(statuses.values()) <= {404, 405}, f"{url} ({name}): {statuses}"
        assert 404 in statuses.values(), f"{url} ({name}) never looked the object up: {statuses}"
        checked.append(name)
    assert snapshot(world["objects_b"]) == before, "an object of B was changed"
    assert_no_cross_municipality_references()
    # The walk really covered the object pages and endpoints.
    assert {
        "teams:team_edit",
        "teams:team_detail",
        "api:team-detail",
        "tenants:staff_edit",
        "api:resident-detail",
        "api:question-detail",
        "api:question-forward",
        "api:question-assign",
        "api:triage-rule-detail",
        "api:life-domain-detail",
        "intake_config:triage_rule_edit",
        "intake_config:triage_rule_move",
        "intake_config:life_domain_edit",
    } <= set(checked)


def body_of(response) -> str:
    """The body of a response, also of a streamed one (a CSV download)."""
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def assert_shows_nothing_of_b(world, url, response):
    content = body_of(response)
    lowered = content.lower()
    for text in (MARKER, world["b"].cbs_code):
        assert text.lower() not in lowered, f"{url} shows {text!r} of B"
    for pk in world["all_pks_b"]:
        assert not re.search(rf"(?<![\w.]){pk}(?![\w.])", content), f"{url} shows id {pk} of B"


def relation_filters(callback, model):
    """(query parameter, related model) for every relation filter of a list endpoint:
    django-filter's `filterset_fields`, or the relation fields of the serializer
    that parses its query parameters (`filter_serializer_class`)."""
    view_class = view_class_of(callback)
    for param in getattr(view_class, "filterset_fields", ()):
        field = model._meta.get_field(param)
        if field.is_relation:
            yield param, field.related_model
    filter_serializer = getattr(view_class, "filter_serializer_class", None)
    if filter_serializer is not None:
        for param, field in filter_serializer().fields.items():
            if isinstance(field, serializers.RelatedField):
                yield param, field.queryset.model


def api_rows(api, url):
    """The rows of a list endpoint over all its pages, or None if it is no list."""
    rows = []
    while url:
        data = api.get(url).json()
        if isinstance(data, list):
            return rows + data
        if not isinstance(data, dict) or "results" not in data:
            return None
        rows += data["results"]
        url = data.get("next")
    return rows


def test_no_list_of_a_shows_anything_of_b(world, client):
    client, api = clients_of(world, client)
    pks_a = pks_of(world["a"])
    checked, api_lists = [], []
    for name, kwargs, callback in iter_urls():
        if kwargs or name.split(":")[0] in SKIPPED_NAMESPACES or name in NON_MUNICIPALITY_URLS:
            continue
        url = reverse(name)
        is_api = name.startswith("api:")
        response = (api if is_api else client).get(url)
        if response.status_code in (301, 302, 405):
            continue
        assert response.status_code == 200, f"GET {url} ({name}) gave {response.status_code}"
        assert_shows_nothing_of_b(world, url, response)
        checked.append(name)
        rows = api_rows(api, url) if is_api and "json" in response["Content-Type"] else None
        if rows is None:
            continue
        # A list endpoint: every row is an object of A, none of B (whatever its id).
        model = model_of_view(callback, world["a"])
        assert model in pks_a, f"{name}: lists {model}, which is not municipality-owned"
        assert world["pks_b"][model], f"{name}: B has no {model.__name__} to leak"
        ids = {row["id"] for row in rows}
        assert not ids & world["pks_b"][model], f"{url} lists objects of B: {ids}"
        assert ids <= pks_a[model], f"{url} lists objects that are not A's: {ids - pks_a[model]}"
        api_lists.append(name)
        # Filtering on an object of B finds nothing, exactly like a non-existent id.
        for param, related_model in relation_filters(callback, model):
            if related_model not in world["objects_b"]:
                continue
            pk_b = world["objects_b"][related_model].pk
            with_b = api.get(url, {param: pk_b})
            assert_shows_nothing_of_b(world, f"{url}?{param}={pk_b}", with_b)
            missing = api.get(url, {param: MISSING_PK})
            assert normalised(with_b, True, pk_b) == normalised(missing, True, MISSING_PK), (
                f"{url}?{param}=: an id of B is told apart from a non-existent one"
            )
    assert {
        "core:start",
        "teams:team_overview",
        "api:team-list",
        "api:membership-list",
        "intake_config:triage_list",
        "intake_config:life_domain_list",
        "intake_config:intake_settings",
    } <= set(checked)
    assert {
        "api:team-list",
        "api:membership-list",
        "api:question-list",
        "api:resident-list",
        "api:triage-rule-list",
        "api:life-domain-list",
    } <= set(api_lists)


# --- creating and changing in A with the ids of B --------------------------------


def normalised(response, is_api, pk):
    """What a response says, with `pk` replaced: for a page its form errors (or
    where it redirects), for the API its body."""
    if is_api:
        said = response.content.decode()
    elif response.status_code == 200 and response.context and "form" in response.context:
        said = json.dumps({k: list(v) for k, v in response.context["form"].errors.items()})
    else:
        said = response.get("Location", "")
    if pk is not None:
        said = re.sub(rf"(?<!\d){pk}(?!\d)", "<id>", said)
    return response.status_code, said


def succeeded(response, is_api):
    if is_api:
        return response.status_code in (200, 201)
    if response.status_code == 302:
        return not any(part in response["Location"] for part in ("inloggen", "geen-gemeente"))
    return (
        response.status_code == 200
        and bool(response.context)
        and "form" in response.context
        and not response.context["form"].errors
    )


def payload(values, relations, is_api):
    data = {**VALID_VALUES, **values}
    for name, (_model, many) in relations.items():
        # (a list named after no model field, e.g. `questions`, is absent from all_of_b)
        if many and name in data and not isinstance(data[name], list):
            data[name] = [data[name]]
    if not is_api:  # an unchecked checkbox is simply absent from a form post
        data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    return data


def send_and_roll_back(browser, method, url, data, is_api):
    """Send one request, check that nothing links A and B, and undo what it saved
    (so every request starts from the same data)."""
    with transaction.atomic():
        if is_api:
            response = getattr(browser, method)(url, data, format="json")
        else:
            response = getattr(browser, method)(url, data)
        assert_no_cross_municipality_references()
        transaction.set_rollback(True)
    return response


def cases_of_a(a, staff_a, valid_a):
    """Objects of A for the case pages: a case at user A's coordinator team that
    a colleague directs (so A may hand it over to themselves and share it), its
    draft plan and draft proposal. Returns, per URL name, the objects and values
    that differ from the shared ones (another colleague to share with; a member
    of the case's household for a proposal)."""
    from apps.cases.models import Case, SupportPlan
    from apps.decisions.models import Proposal, Provision, ProvisionType
    from tests.factories import (
        CaseFactory,
        ProposalFactory,
        ProvisionFactory,
        ProvisionTypeFactory,
    )

    F = Membership.Function
    with scope(municipality=a):
        team = Team.objects.get(
            memberships__staff_member=staff_a, memberships__function=F.COORDINATOR
        )
    director = make_person(a, memberships=[(team, F.TEAM_MEMBER)])
    outsider = make_person(a, memberships=[(Team.Kind.KERNTEAM, F.TEAM_MEMBER)])
    with scope(municipality=a):
        case = CaseFactory(
            municipality=a, team=team, director=director.staff_memberships.get(municipality=a)
        )
        valid_a[Case] = case
        valid_a[SupportPlan] = SupportPlan.objects.create(
            municipality=a, case=case, number=1, created_by=case.director
        )
        valid_a[ProvisionType] = ProvisionTypeFactory(municipality=a)
        valid_a[Proposal] = ProposalFactory(
            municipality=a, case=case, provision_type=valid_a[ProvisionType]
        )
        # A running provision of the household, for a proposal that revises it.
        valid_a[Provision] = ProvisionFactory(
            municipality=a,
            decision__proposal__case=case,
            decision__proposal__provision_type=valid_a[ProvisionType],
        )
        outsider_staff = outsider.staff_memberships.get(municipality=a)
        # The agenda: an appointment on the case, and a time to plan or move one to.
        from apps.agenda.models import Appointment
        from tests.factories import AppointmentFactory

        valid_a[Appointment] = AppointmentFactory(municipality=a, case=case, organiser=staff_a)
    starts_at = timezone.localtime(timezone.now() + timedelta(days=2))
    times = {
        "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    proposal = {
        "objects": {Resident: case.resident},
        "values": {
            "start_date": "2026-01-05",
            "motivation": "Nodig",
            "volume": "3",
            "delivery_form": "zin",
        },
    }
    work = work_to_move(a, staff_a)
    with scope(municipality=a):
        team_of_work = Team.objects.get(pk=work["team"])
        leaving = StaffMember.objects.get(pk=work["from_staff"])
    return {
        "cases:transfer": {"values": {**transfer_to(a), "reason": "Verhuisd"}},
        "cases:work_reassign": {
            "objects": {Team: team_of_work, StaffMember: leaving},
            "values": {
                "to_staff": work["to_staff"],
                "reason": "Vertrekt",
                "items": f"q{work['questions'][0]},c{work['cases'][0]}",
            },
        },
        "cases:share": {"objects": {StaffMember: outsider_staff}},
        "cases:activity_create": {"values": {"kind": "contact", "date": "2026-01-05"}},
        "cases:proposal_create": proposal,
        "cases:proposal_edit": proposal,
        "agenda:plan_case": {"values": {"kind": "home_visit", **times}},
        "agenda:plan_question": {"values": {"kind": "kitchen_table", **times}},
        "agenda:update": {"values": times},
    }


def test_no_create_or_change_in_a_links_objects_of_b(world, client):
    """Every form and endpoint that creates or changes something in A gets B's ids
    for its relations: all at once, and one relation at a time with A's objects in
    the others. An id of B must be refused exactly like an id that does not exist
    (not merely caught later, which tells that the id exists elsewhere), and
    nothing may end up linking A and B."""
    client, api = clients_of(world, client)
    a, objects_b = world["a"], world["objects_b"]
    with scope(municipality=a):
        # Valid choices in A for every relation: an unused team, and user A, who
        # is a loket consultant (as a linked loket consultant must be).
        valid_a = {
            Area: AreaFactory(municipality=a),
            Organisation: OrganisationFactory(municipality=a),
            Team: TeamFactory(municipality=a),
            StaffMember: world["staff_a"],
        }
        valid_a[Membership] = Membership.objects.filter(staff_member=world["staff_a"]).first()
        valid_a[LifeDomain] = LifeDomainFactory(municipality=a)
        valid_a[TriageRule] = TriageRuleFactory(municipality=a)
        # A question at user A's own kernteam, so A may forward it.
        own_team = Team.objects.get(
            memberships__staff_member=world["staff_a"],
            memberships__function=Membership.Function.TEAM_MEMBER,
        )
        valid_a[Question] = QuestionFactory(municipality=a, team=own_team)
        valid_a[Resident] = ResidentFactory(municipality=a)
        valid_a[TriageRule] = TriageRuleFactory(municipality=a)
    # Cases and decisions. The API walk: a case user A directs, and what its
    # endpoints need (tests/cases/walk.py). The pages: a case a colleague directs
    # at A's coordinator team, with per-page objects and values (cases_of_a).
    case_objects, url_values = case_objects_of_a(a, world["staff_a"], own_team, valid_a[LifeDomain])
    valid_a_api = {**valid_a, **case_objects}
    valid_a_for = cases_of_a(a, world["staff_a"], valid_a)
    # #21: a provider of A, contracted for the provisions of the proposals.
    from apps.decisions.models import Proposal, Provider, ProvisionType
    from tests.factories import ProposalFactory, ProviderFactory

    with scope(municipality=a):
        valid_a[Provider] = valid_a_api[Provider] = ProviderFactory(
            municipality=a,
            provision_types=[valid_a[ProvisionType], valid_a_api[ProvisionType]],
        )
        # Deciding names a provider too: user A decides, mandated for the Wmo, on
        # a submitted proposal (each request is rolled back).
        Membership.objects.filter(
            staff_member=world["staff_a"], team__kind=Team.Kind.LOKET, function="consultant"
        ).update(mandated_laws=["wmo"])
        # On a case of its own: a proposal at the loket holds its case's transfer.
        to_decide = ProposalFactory(
            municipality=a,
            provision_type=valid_a[ProvisionType],
            status="submitted",
            submitted_at=timezone.now(),
            application_date=timezone.localdate(),
            decision_deadline=timezone.localdate() + timedelta(weeks=2),
        )
    grant_in_kind = {
        "outcome": "granted_changed",
        "reasons": "In natura",
        "delivery_form": "zin",
        "budget_amount": None,
        "budget_period": "",
    }
    valid_a_for["decisions:review"] = {
        "objects": {Proposal: to_decide},
        "values": {**grant_in_kind, "budget_amount": ""},
    }
    valid_a_for["api:proposal-decide"] = {"objects": {Proposal: to_decide}}
    url_values["api:proposal-decide"] = grant_in_kind
    # Nobody changes their own memberships or links themself to a team as its loket
    # consultant (apps.tenants.services.refuse_own_role_change): the membership and
    # team forms and endpoints get a colleague of user A (and their membership).
    colleague = make_person(a, memberships=[(Team.Kind.LOKET, Membership.Function.CONSULTANT)])
    with scope(municipality=a):
        colleague_staff = colleague.staff_memberships.get(municipality=a)
        colleague_objects = {
            StaffMember: colleague_staff,
            Membership: Membership.objects.get(staff_member=colleague_staff),
        }
    # Correcting the registration keeps the description: a team member who did
    # not register the question does not change it (#20).
    valid_a_for["intake:question_edit"] = {"values": {"description": valid_a[Question].description}}
    for membership_url in (
        "teams:membership_create",
        "teams:membership_edit",
        "api:membership-list",
        "api:membership-detail",
    ):
        valid_a_for[membership_url] = {"objects": colleague_objects}
    for team_url in ("teams:team_create", "teams:team_edit", "api:team-list", "api:team-detail"):
        valid_a_for[team_url] = {"objects": {StaffMember: colleague_staff}}
    # A walk-in location of A to change, and its address (#19).
    with scope(municipality=a):
        location_a = TeamLocationFactory(municipality=a, team=valid_a[Team])
    for location_url in ("teams:location_create", "teams:location_edit"):
        valid_a_for[location_url] = {
            "objects": {TeamLocation: location_a},
            "values": {"address": "Dorpsstraat 1"},
        }
    # Team beëindigen (#19): the unused team of A ends (it has no open work),
    # succeeded by A's own team; a shell partner of each case's team to join it.
    end_values = {
        "ended_on": timezone.localdate().isoformat(),
        "reason": "Opgeheven",
        "successor": own_team.pk,
        "hand_over_to": own_team.pk,
    }
    valid_a_for["cases:team_end"] = {"values": end_values}
    url_values["api:team-end"] = end_values
    for join_url, joined_case in (
        ("cases:join", valid_a[Case]),
        ("api:case-join", case_objects[Case]),
    ):
        shell = make_person(a, memberships=[(joined_case.team, Membership.Function.SHELL_PARTNER)])
        with scope(municipality=a):
            valid_a_for[join_url] = {
                "objects": {StaffMember: shell.staff_memberships.get(municipality=a)}
            }
    # Every relation field name any model, form or serializer uses, with B's object.
    all_of_b = {
        field.name: objects_b[field.related_model].pk
        for model in scoped_models()
        for field in [*model._meta.fields, *model._meta.many_to_many]
        if field.is_relation and field.related_model in objects_b
    }

    valid_a_all = valid_a
    checked = []
    for name, kwargs, callback in iter_urls():
        namespace = name.split(":")[0]
        if namespace in SKIPPED_NAMESPACES | {"accounts"} or name in NON_MUNICIPALITY_URLS:
            continue
        if name in NON_OBJECT_URLS:
            continue
        is_api = name.startswith("api:")
        browser = api if is_api else client
        relations = relation_fields(callback)
        if is_api:
            valid_a = {**valid_a_api, **valid_a_for.get(name, {}).get("objects", {})}
            own_values = url_values.get(name, {})
        else:
            valid_a = {**valid_a_all, **valid_a_for.get(name, {}).get("objects", {})}
            own_values = valid_a_for.get(name, {}).get("values", {})
        # A DRF route says which methods it offers (`actions`: method -> action).
        actions = getattr(callback, "actions", None) or {}
        if kwargs:
            # Changing an object of A: only where there are relations to set.
            if not relations:
                continue
            if is_api and actions:
                method = next((m for m in ("patch", "post") if m in actions), None)
                if method is None:  # a read-only route (its viewset's serializer is for another)
                    continue
            values, extra = {}, {}
            for kwarg in kwargs:
                model = model_of_view(callback, a) if kwarg == "pk" else model_by_name(kwarg[:-3])
                assert model in valid_a, f"{name}: add an object of A for {model} to valid_a"
                values[kwarg] = valid_a[model].pk
                if kwarg == "pk" and hasattr(valid_a[model], "version"):
                    extra["version"] = valid_a[model].version  # the API requires it
            url = reverse(name, kwargs=values)
            if not (is_api and actions):
                method = "patch" if is_api else "post"
        else:
            url, method, extra = reverse(name), "post", {}
            # Everything of B at once, in every relation name there is.
            response = send_and_roll_back(
                browser, method, url, payload({**all_of_b, **extra}, relations, is_api), is_api
            )
            if response.status_code == 405:
                continue
            assert not (relations and succeeded(response, is_api)), (
                f"POST {url} ({name}) accepted objects of B"
            )
        checked.append(name)
        if not relations:
            continue
        extra = {**own_values, **extra} if not is_api else {**extra, **own_values}
        for field, (model, _many) in relations.items():
            assert model in valid_a, f"{name}: {field}: add an object of A for {model} to valid_a"
        valid = {field: valid_a[model].pk for field, (model, _many) in relations.items()}
        response = send_and_roll_back(
            browser, method, url, payload({**valid, **extra}, relations, is_api), is_api
        )
        assert succeeded(response, is_api), (
            f"{method} {url} ({name}) refuses valid values of A, so the probe proves nothing: "
            f"{normalised(response, is_api, None)}; adjust VALID_VALUES or valid_a"
        )
        for field, (model, _many) in relations.items():
            pk_b = objects_b[model].pk
            with_b, missing = (
                send_and_roll_back(
                    browser,
                    method,
                    url,
                    payload({**valid, **extra, field: pk}, relations, is_api),
                    is_api,
                )
                for pk in (pk_b, MISSING_PK)
            )
            assert not succeeded(missing, is_api), f"{url} accepts a non-existent {field}"
            assert normalised(with_b, is_api, pk_b) == normalised(missing, is_api, MISSING_PK), (
                f"{method} {url} ({name}): {field} = {model.__name__} of B is not refused "
                "as non-existent"
            )
    assert_no_cross_municipality_references()
    assert {
        "teams:team_create",
        "teams:membership_create",
        "teams:team_edit",
        "teams:membership_edit",
        "tenants:api_tokens",
        "api:team-list",
        "api:membership-list",
        "api:team-detail",
        "api:membership-detail",
        "api:question-list",
        "api:question-forward",
        "api:triage-rule-list",
        "api:triage-rule-detail",
        "intake_config:triage_rule_create",
        "intake_config:triage_rule_edit",
        "intake_config:intake_settings",
        # cases and decisions
        "api:case-list",
        "api:case-detail",
        "api:case-hand-over",
        "api:case-share",
        "api:activity-list",
        "api:assessment-list",
        "api:plan-list",
        "api:plan-add-goal",
        "api:plan-remove-solution",
        "api:proposal-list",
        "api:proposal-detail",
    } <= set(checked)
