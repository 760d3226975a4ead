"""Every URL of the portal, pages and API, walked as a user of municipality A
against the objects of municipality B: nothing of B may be read or changed.

This test needs no update when a later issue adds pages or endpoints, as long as
- a URL kwarg `pk` belongs to the view's model (`model = …` on a Django view,
  `get_queryset()` on a DRF view), and a kwarg `<name>_pk` to the scoped model
  called <name>;
- every municipality-owned model has a factory in `tests/factories.py`.
It fails loudly when it cannot tell which model a URL is about.
"""

from datetime import timedelta

import pytest
from django.apps import apps
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from apps.teams.models import Membership, Team
from apps.tenants.services import api_token_create
from tests.conftest import make_person
from tests.factories import FACTORIES, MunicipalityFactory, UserFactory

MARKER = "ZZBMARKER"

# URLs with kwargs that are not municipality objects.
NON_OBJECT_URLS = {"accounts:password_reset_confirm"}
# Namespaces that are not municipality pages: the platform admin works across
# municipalities on purpose (superusers only; see test_admin_is_for_superusers).
SKIPPED_NAMESPACES = {"admin"}


def scoped_models():
    """Every model of ours that belongs to one municipality."""
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("apps.")
        and any(f.name == "municipality" for f in model._meta.fields)
    ]


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


def model_of_view(callback, municipality):
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
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


@pytest.fixture
def world(db):
    a = MunicipalityFactory(name="Gemeente A")
    b = MunicipalityFactory(name=f"Gemeente {MARKER}")
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
    objects_b = {}
    with scope(municipality=b):
        for model, factory in FACTORIES.items():
            kwargs = {"municipality": b}
            names = {f.name for f in model._meta.fields}
            if "name" in names:
                kwargs["name"] = f"{MARKER} {model._meta.model_name}"
            objects_b[model] = factory(**kwargs)
        # Someone of B, to be sure their name never shows in A.
        make_person(b, user=UserFactory(full_name=f"{MARKER} persoon"), admin=True)
    with scope(municipality=a):
        staff_a = user_a.staff_memberships.get(municipality=a)
        _, key = api_token_create(
            actor=user_a,
            municipality=a,
            staff_member=staff_a,
            name="test",
            expires_at=timezone.now() + timedelta(days=1),
        )
    return {"a": a, "b": b, "user_a": user_a, "objects_b": objects_b, "key_a": key}


def snapshot(objects):
    with scopes_disabled():
        return {
            model: model_to_dict(type(obj).objects.get(pk=obj.pk)) for model, obj in objects.items()
        }


def test_every_scoped_model_has_a_factory():
    missing = [m.__name__ for m in scoped_models() if m not in FACTORIES]
    assert not missing, f"add factories for {missing} to tests/factories.py"


def test_no_url_of_a_reaches_objects_of_b(world, client):
    client.force_login(world["user_a"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world['key_a']}")
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
    # The walk really covered the object pages and endpoints.
    assert {"teams:team_edit", "teams:team_detail", "api:team-detail", "tenants:staff_edit"} <= set(
        checked
    )


def test_no_list_of_a_shows_anything_of_b(world, client):
    client.force_login(world["user_a"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world['key_a']}")
    checked = []
    for name, kwargs, _callback in iter_urls():
        if kwargs or name.split(":")[0] in SKIPPED_NAMESPACES:
            continue
        if name in {"accounts:logout", "set_language", "core:switch_municipality"}:
            continue
        url = reverse(name)
        response = (api if name.startswith("api:") else client).get(url)
        if response.status_code in (301, 302, 405):
            continue
        assert response.status_code == 200, f"GET {url} ({name}) gave {response.status_code}"
        assert MARKER.encode() not in response.content, f"{url} shows data of B"
        checked.append(name)
    assert {"core:start", "teams:team_overview", "api:team-list", "api:membership-list"} <= set(
        checked
    )
