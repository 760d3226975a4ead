"""What the bad-input walks in `tests/security/` share: a municipality A in
which every free text is hostile (script, a broken-out attribute and a formula
start), a person of A holding every role, and every URL of the portal filled in
with A's objects.

Like `tests/test_tenancy_urls.py`, whose helpers it reuses, this needs no update
when a later issue adds pages, endpoints or models: a URL kwarg `pk` belongs to
the view's model, `<name>_pk` to the scoped model called <name>, and every
municipality-owned model has a factory in `tests/factories.py`.
"""

import itertools
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from apps.decisions.models import Proposal
from apps.teams.models import Membership, Team
from apps.tenants.models import StaffMember
from tests.conftest import VerifiedClient, api_key_for, make_person
from tests.factories import (
    FACTORIES,
    MembershipFactory,
    MunicipalityFactory,
    StaffMemberFactory,
    TeamFactory,
    UserFactory,
)
from tests.test_cross_municipality_relations import scoped_models
from tests.test_tenancy_urls import (
    NON_OBJECT_URLS,
    creation_order,
    iter_urls,
    model_by_name,
    model_of_view,
)

# Script in an element, a quote and `>` that would end an attribute, and an
# element with an event handler: shown unescaped anywhere, one of them runs.
PAYLOAD = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"
# A text that starts with one of these is run as a formula by a spreadsheet; the
# hostile texts take turns, so a CSV export meets all four.
FORMULA_STARTS = "=+-@"
# For a field too short to hold `<script>`: still a tag, one no page contains.
SHORT_PAYLOAD = "<zq>"
# What an HTML body never contains when every text in it is escaped (compared
# in lower case, so a `|upper` does not hide one). Our own pages have no inline
# <script> without attributes (tests/core/test_security.py).
NEEDLES = ("<script>", "<img src=x", "<zq")

# Texts that are never shown to anyone.
NEVER_DISPLAYED = {"key_hash", "password"}
# Every role there is, so no page is refused for want of one.
EVERY_ROLE = [
    (Team.Kind.LOKET, Membership.Function.CONSULTANT),
    (Team.Kind.LOKET, Membership.Function.GATE_CLARIFIER),
    (Team.Kind.KERNTEAM, Membership.Function.TEAM_MEMBER),
    (Team.Kind.KERNTEAM, Membership.Function.COORDINATOR),
    (Team.Kind.EXPERTISE, Membership.Function.BEHAVIOURAL_EXPERT),
    (Team.Kind.KERNTEAM, Membership.Function.VOLUNTEER),
]

_turn = itertools.count()


def hostile_text(max_length: int | None) -> str:
    """The payload behind a formula start (and a number, for names that must be
    unique), cut to `max_length`; for a short field the longest start of it that
    still holds a whole tag."""
    n = next(_turn)
    text = f"{FORMULA_STARTS[n % len(FORMULA_STARTS)]}{PAYLOAD} {n}"
    if max_length is None or max_length >= len("=<script>"):
        return text[:max_length]
    if max_length >= len("<script>"):
        return PAYLOAD[:max_length]
    return SHORT_PAYLOAD[:max_length]


def hostile_user(**kwargs):
    n = next(_turn)
    return UserFactory(
        full_name=hostile_text(200), email=f"{PAYLOAD}{n}@example.test".replace(" ", ""), **kwargs
    )


def is_free_text(model_field) -> bool:
    return (
        isinstance(model_field, models.CharField | models.TextField)
        and not model_field.choices
        and model_field.editable
        and model_field.name not in NEVER_DISPLAYED
    )


@dataclass
class World:
    a: object
    user: object
    staff: object
    key: str
    objects: dict = field(default_factory=dict)
    # Per URL name, objects of A that stand in for `objects` in its kwargs.
    url_objects: dict = field(default_factory=dict)

    def sign_in(self, *, enforce_csrf_checks=False) -> VerifiedClient:
        """A browser of the person of A, past both login steps, acting in A."""
        browser = VerifiedClient(enforce_csrf_checks=enforce_csrf_checks)
        browser.force_login(self.user)
        browser.get(reverse("core:start"))  # the session settles on A
        return browser


def create_hostile_world() -> World:
    """Municipality A (and a second one the person also works for, so the switcher
    shows both names) with one object of every municipality-owned model, every
    free text of which, and the names of every person, is hostile."""
    User = get_user_model()
    a = MunicipalityFactory(name=hostile_text(100))
    elsewhere = MunicipalityFactory(name=hostile_text(100))
    user = make_person(a, admin=True, policy=True, memberships=EVERY_ROLE, user=hostile_user())
    with scope(municipality=elsewhere):
        StaffMemberFactory(municipality=elsewhere, user=user)
    user.last_municipality = a  # where a session starts
    user.save(update_fields=["last_municipality"])
    _, key = api_key_for(user, a, actor=user)
    objects = {}
    with scope(municipality=a):
        staff = user.staff_memberships.get(municipality=a)
        for model in creation_order(FACTORIES):
            kwargs = {"municipality": a}
            for model_field in model._meta.fields:
                if model_field.name in kwargs or model_field.primary_key:
                    continue
                if model_field.is_relation:
                    if model_field.related_model in objects:
                        kwargs[model_field.name] = objects[model_field.related_model]
                    elif model_field.related_model is User:
                        kwargs[model_field.name] = hostile_user()
                elif is_free_text(model_field):
                    kwargs[model_field.name] = hostile_text(model_field.max_length)
            obj = FACTORIES[model](**kwargs)
            for m2m in model._meta.many_to_many:
                if m2m.related_model in objects:
                    getattr(obj, m2m.name).set([objects[m2m.related_model]])
            objects[model] = obj
        # The case is offered to the loket, so the person (a loket consultant) sees it.
        Proposal.objects.filter(pk=objects[Proposal].pk).update(submitted_at=timezone.now())
        # What the helpers above named themselves (the teams of the person's
        # memberships, the key's description).
        for model in scoped_models():
            for obj in model._base_manager.filter(municipality=a):
                harmless = {
                    f.name: hostile_text(f.max_length)
                    for f in obj._meta.fields
                    if is_free_text(f) and "<" not in (getattr(obj, f.attname) or "<")
                }
                if harmless:
                    model._base_manager.filter(pk=obj.pk).update(**harmless)
    assert_every_text_is_hostile(a)
    # The person directs the case at their own kernteam, so its pages and endpoints
    # (and its decision's) are theirs to see and to work on.
    from apps.cases.models import Case, WorkReassignment

    with scope(municipality=a):
        own_team = Membership.objects.get(
            staff_member=staff, function=Membership.Function.TEAM_MEMBER
        ).team_id
        Case.objects.filter(pk=objects[Case].pk).update(director=staff, team_id=own_team)
        # ...and coordinates a team with a work reassignment (only a coordinator
        # sees one; not the world's team, whose pages refuse a member's own change).
        coordinated = TeamFactory(municipality=a, name=hostile_text(150))
        MembershipFactory(
            municipality=a,
            staff_member=staff,
            team=coordinated,
            function=Membership.Function.COORDINATOR,
        )
        objects[WorkReassignment] = FACTORIES[WorkReassignment](
            municipality=a,
            team=coordinated,
            from_staff=objects[StaffMember],
            to_staff=objects[StaffMember],
            by=objects[StaffMember],
            reason=hostile_text(2000),
        )
    # The team-work pages and endpoint are about the team the person coordinates.
    url_objects = {
        name: {Team: coordinated}
        for name in ("cases:team_work", "cases:work_reassign", "api:team-work-of")
    }
    return World(a=a, user=user, staff=staff, key=key, objects=objects, url_objects=url_objects)


def assert_every_text_is_hostile(municipality):
    """Every free text of the municipality that a page could show holds a tag."""
    User = get_user_model()
    harmless = []
    with scopes_disabled():
        rows = [
            obj
            for model in scoped_models()
            for obj in model._base_manager.filter(municipality=municipality)
        ]
        people = [
            getattr(obj, f.name)
            for obj in rows
            for f in obj._meta.fields
            if f.is_relation and f.related_model is User and getattr(obj, f.name) is not None
        ]
    for obj in rows + people:
        for model_field in obj._meta.fields:
            value = getattr(obj, model_field.attname)
            if is_free_text(model_field) and value and "<" not in value:
                harmless.append(f"{type(obj).__name__}.{model_field.name} = {value!r}")
    assert not harmless, f"texts without a tag: {harmless}; make them hostile in the world"


# The platform admin's kwargs, for walks that only need the URL to resolve.
ADMIN_KWARGS = {
    "app_label": "tenants",
    "object_id": "1",
    "id": "1",
    "pk": "1",
    "content_type_id": "1",
}


def url_kwargs(name, kwargs, callback, world) -> dict | None:
    """The URL's kwargs filled in with A's objects; None for a URL whose kwargs are
    no municipality objects (a password reset link)."""
    if name in NON_OBJECT_URLS:
        return None
    values = {}
    for kwarg in kwargs:
        if name.startswith("admin:"):
            values[kwarg] = ADMIN_KWARGS[kwarg]
            continue
        if kwarg == "pk":
            model = model_of_view(callback, world.a)
        elif kwarg.endswith("_pk"):
            model = model_by_name(kwarg[: -len("_pk")])
        else:
            raise AssertionError(f"{name}: unknown URL kwarg {kwarg!r}; name it pk or <model>_pk")
        objects = {**world.objects, **world.url_objects.get(name, {})}
        assert model in objects, f"{name}: no object of A for {model}"
        values[kwarg] = objects[model].pk
    return values


def portal_urls(world, *, skip_namespaces=("admin",)):
    """(name, url, callback) for every URL of the portal, with A's objects."""
    for name, kwargs, callback in iter_urls():
        if name.split(":")[0] in skip_namespaces:
            continue
        values = url_kwargs(name, kwargs, callback, world)
        if values is None:
            continue
        yield name, reverse(name, kwargs=values), callback


def database_state() -> dict:
    """Every row of every municipality-owned model, and every person: what a
    refused request must leave exactly as it was."""
    User = get_user_model()
    with scopes_disabled():
        state = {
            model.__name__: list(model._base_manager.order_by("pk").values())
            for model in scoped_models()
        }
    state["User"] = list(User.objects.order_by("pk").values())
    return state
